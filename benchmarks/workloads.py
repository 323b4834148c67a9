"""What the benchmarks ask: the same questions of near-kg and of Oxigraph server.

Each workload is an HTTP request for near-kg and, where one exists, the equivalent request for
Oxigraph server (``--union-default-graph``, so both see every data graph as the default graph).
The entity is a synthetic region (``benchmarks/synthetic.py``) chosen by the data, so that both
servers are asked about the same thing at every size.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

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
