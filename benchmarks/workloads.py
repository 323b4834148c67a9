"""What the benchmarks ask: the same questions of near-kg and of Oxigraph server.

Each workload is an HTTP request for near-kg and, where one exists, the equivalent request for
Oxigraph server (``--union-default-graph``, so both see every data graph as the default graph).
The entity is a synthetic region (``benchmarks/synthetic.py``) chosen by the data, so that both
servers are asked about the same thing at every size.
"""

from __future__ import annotations

import random
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

BASE = "https://w3id.org/near/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NEAR = BASE + "def#"


@dataclass(frozen=True)
class Request:
    path: str  # path and query string
    accept: str


@dataclass(frozen=True)
class Workload:
    name: str
    what: str
    nearkg: Request
    oxigraph: Request | None
    query: str | None = None  # the SPARQL text, for the in-process medians


def entity_construct(iri: str) -> str:
    """Oxigraph's equivalent of an entity document: the thing's statements, the statements
    pointing to it, and the names of what they link."""
    return f"""CONSTRUCT {{ ?this ?p ?o . ?s ?q ?this . ?o <{SKOS}prefLabel> ?ol .
  ?s <{SKOS}prefLabel> ?sl }}
WHERE {{ VALUES ?this {{ <{iri}> }}
  {{ ?this ?p ?o OPTIONAL {{ ?o <{SKOS}prefLabel> ?ol }} }}
  UNION {{ ?s ?q ?this OPTIONAL {{ ?s <{SKOS}prefLabel> ?sl }} }} }}"""


def light_construct(iri: str) -> str:
    return f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"


def language_join(country: str) -> str:
    """Participations of one country's governments, with the Japanese name of the region
    and the English title of the conference: four joins and two language filters."""
    return f"""SELECT ?region ?name ?conference ?title WHERE {{
  ?region <{NEAR}country> <{BASE}id/country/{country}> ; <{SKOS}prefLabel> ?name .
  ?gov <{NEAR}governs> ?region .
  ?participation <{NEAR}participant> ?gov ; <{NEAR}conference> ?conference .
  ?conference <{SKOS}prefLabel> ?title .
  FILTER(lang(?name) = "ja" && lang(?title) = "en")
}} ORDER BY ?title ?name LIMIT 100"""


AGGREGATE = f"""SELECT ?country (COUNT(?participation) AS ?participations)
WHERE {{
  ?participation a <{NEAR}Participation> ; <{NEAR}participant> ?gov .
  ?gov <{NEAR}country> ?country .
}} GROUP BY ?country ORDER BY ?country"""


def _get(endpoint: str, query: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': query})}"


def workloads(region_key: str, country: str = "MN") -> list[Workload]:
    iri = f"{BASE}id/region/{region_key}"
    turtle, results = "text/turtle", "application/sparql-results+json"
    construct = entity_construct(iri)
    oxigraph_entity = Request(_get("/query", construct), turtle)
    queries = {
        "sparql-light": ("one-entity CONSTRUCT", light_construct(iri), turtle),
        "sparql-join": ("join with language filters", language_join(country), results),
        "sparql-aggregate": ("GROUP BY count", AGGREGATE, results),
    }
    found = [
        Workload(
            "entity-html",
            "entity page, HTML (Oxigraph: the equivalent CONSTRUCT)",
            Request(f"/doc/region/{region_key}.html", "text/html"),
            oxigraph_entity,
            construct,
        ),
        Workload(
            "entity-ttl",
            "entity document, Turtle (Oxigraph: the equivalent CONSTRUCT)",
            Request(f"/doc/region/{region_key}.ttl", turtle),
            oxigraph_entity,
            construct,
        ),
    ]
    for name, (what, query, accept) in queries.items():
        found.append(
            Workload(
                name,
                what,
                Request(_get("/sparql", query), accept),
                Request(_get("/query", query), accept),
                query,
            )
        )
    return found


# -- what users do: every entity once (a crawl), pages following links (a reader) ----------------
ENTITY_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ID = BASE + "id/"


@dataclass(frozen=True)
class Entities:
    """The things of a data directory (``{base}id/{kind}/{key}``) and the links between them."""

    keys: list[tuple[str, str]]  # (kind, key), sorted
    links: dict[tuple[str, str], list[tuple[str, str]]]  # both directions


def entities(folder: Path) -> Entities:
    """Read from the Turtle files of ``folder/data/turtle`` (what every server is given)."""
    found: set[tuple[str, str]] = set()
    edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for path in sorted((folder / "data/turtle").rglob("*.ttl")):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject = _kind_key(triple.subject)
            if subject is None:
                continue
            found.add(subject)
            target = _kind_key(triple.object)
            if target is not None and target != subject:
                edges.setdefault(subject, set()).add(target)
                edges.setdefault(target, set()).add(subject)
    links = {k: sorted(v & found) for k, v in edges.items() if k in found}
    return Entities(sorted(found), links)


def _kind_key(term) -> tuple[str, str] | None:
    if not isinstance(term, ox.NamedNode) or not term.value.startswith(ID):
        return None
    kind, _, key = term.value[len(ID) :].partition("/")
    return (kind, key) if kind and ENTITY_KEY.fullmatch(key) else None


def reader_walk(found: Entities, steps: int, seed: int = 0) -> list[tuple[str, str]]:
    """A reader following links from page to page: a random walk over the links between
    things (seeded), starting over from a random thing one step in seven or at a dead end."""
    chooser = random.Random(seed)
    here = chooser.choice(found.keys)
    walk = [here]
    while len(walk) < steps:
        onward = found.links.get(here)
        here = chooser.choice(onward) if onward and chooser.random() > 1 / 7 else None
        here = here or chooser.choice(found.keys)
        walk.append(here)
    return walk


@dataclass(frozen=True)
class PathWorkload:
    """A list of requests asked in turn (``wrk_runner.run_paths``), per server."""

    name: str
    what: str
    accept: str
    paths: dict[str, list[str]]  # server name -> paths, the same things in the same order


def entity_paths(server: str, things: list[tuple[str, str]], suffix: str) -> list[str] | None:
    """How each server is asked for a thing's document (None: it has no such answer).
    near-kg and the bare app: ``/doc/{kind}/{key}.{suffix}``; Trifid dereferences the thing
    itself with Accept; Oxigraph and rdflib-endpoint answer the equivalent CONSTRUCT (Turtle)."""
    if server in ("nearkg", "nearkg_uncached", "nearkg_before", "bare"):
        return [f"/doc/{kind}/{key}.{suffix}" for kind, key in things]
    if server == "trifid":
        return [f"/id/{kind}/{key}" for kind, key in things]
    if suffix != "ttl":
        return None
    endpoint = {"oxigraph": "/query", "rdflib_endpoint": "/"}[server]
    return [_get(endpoint, entity_construct(f"{ID}{kind}/{key}")) for kind, key in things]


SERVERS = (
    "nearkg_before", "nearkg_uncached", "nearkg", "bare", "oxigraph", "trifid", "rdflib_endpoint",
)  # fmt: skip


def crawl_order(found: Entities, seed: int = 0) -> list[tuple[str, str]]:
    """Every thing once, in a seeded random order: a measured window of a few seconds is then
    a sample of every kind. In key order, the 3 s windows of a 100k crawl saw agenda items,
    conferences and governments only (a conference page costs five times a government's), and
    two windows of one run gave 808 and 331 pages a second."""
    order = list(found.keys)
    random.Random(seed).shuffle(order)
    return order


def user_workloads(found: Entities, reader_steps: int = 2000) -> list[PathWorkload]:
    walk = reader_walk(found, reader_steps)
    crawl = crawl_order(found)
    found_loads = []
    for name, what, things, suffix, accept in (
        ("crawl-ttl", "every entity once, Turtle", crawl, "ttl", "text/turtle"),
        ("crawl-html", "every entity once, HTML", crawl, "html", "text/html"),
        ("reader-html", f"HTML pages following links ({reader_steps} steps)", walk, "html",
         "text/html"),
    ):  # fmt: skip
        paths = {s: entity_paths(s, things, suffix) for s in SERVERS}
        found_loads.append(
            PathWorkload(name, what, accept, {s: p for s, p in paths.items() if p is not None})
        )
    return found_loads
