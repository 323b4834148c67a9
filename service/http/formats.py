"""Every representation the service writes, in one table: media type, other names for it,
file suffix, ``format=`` names, charset, and the serialiser that writes it.

Negotiation (service.negotiation), the document routes, ``/sparql``, its Service Description,
``openapi.json`` and the CLI's ``--format`` choices all read this table, so a name that means
N-Triples in one place means N-Triples everywhere (``text/plain``, ``format=nt``, ``.nt``).

A ``format=`` *family* name (``n3``, ``json``, ``xml``) names several formats at once: the
``Accept`` header picks among its members (SPARQLWrapper sends ``format=n3`` with
``Accept: application/n-triples``), and the family's first member is sent otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from service.http import xml_output

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # the canonical format= name, also used in ETags
    media_type: str
    kind: str  # "graph" (RDF), "results" (SPARQL results), "page" (HTML), "data" (JSON)
    suffix: str | None = None  # of the format-specific URL of a document, without the dot
    names: tuple[str, ...] = ()  # other format= names
    aliases: tuple[str, ...] = ()  # other media types clients use for it
    charset: bool = False  # send "; charset=utf-8" (text a client must not read as Latin-1)
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    w3c: str | None = None  # name under http://www.w3.org/ns/formats/ (Service Description)

    @property
    def content_type(self) -> str:
        """The exact Content-Type header."""
        return self.media_type + ("; charset=utf-8" if self.charset else "")

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)

    @property
    def all_media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def w3c_iri(self) -> str | None:
        return W3C_FORMATS + self.w3c if self.w3c else None


# -- RDF --------------------------------------------------------------------------------------
TURTLE = Format(
    "turtle", "text/turtle", "graph", "ttl", ("ttl",),
    # Turtle is N3's subset: a client asking for N3 reads it
    ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
    charset=True, rdf=ox.RdfFormat.TURTLE, w3c="Turtle",
)  # fmt: skip
N_TRIPLES = Format(
    "ntriples", "application/n-triples", "graph", "nt", ("nt", "n-triples"),
    ("text/plain",),  # N-Triples' first media type; rdflib parse(url, format="nt") asks for it
    charset=True, rdf=ox.RdfFormat.N_TRIPLES, w3c="N-Triples",
)  # fmt: skip
JSON_LD = Format(
    "jsonld", "application/ld+json", "graph", "jsonld", ("json-ld",),
    ("application/x-json+ld", "application/json"),
    rdf=ox.RdfFormat.JSON_LD, w3c="JSON-LD",
)  # fmt: skip
RDF_XML = Format(
    "rdfxml", "application/rdf+xml", "graph", "rdf", ("rdf", "rdf+xml"),
    ("application/xml", "text/xml"),
    rdf=ox.RdfFormat.RDF_XML, w3c="RDF_XML",
)  # fmt: skip
TRIG = Format(
    "trig", "application/trig", "graph", "trig", (), (), charset=True,
    rdf=ox.RdfFormat.TRIG, w3c="TriG",
)  # fmt: skip
N_QUADS = Format(
    "nquads", "application/n-quads", "graph", "nq", ("nq",), ("text/x-nquads",), charset=True,
    rdf=ox.RdfFormat.N_QUADS, w3c="N-Quads",
)  # fmt: skip

# -- SPARQL results (sent without charset: old protocol runners compare the type exactly;
#    CSV and TSV carry it, as their specification recommends) ---------------------------------
RESULTS_JSON = Format(
    "json", "application/sparql-results+json", "results", "srj", (),
    ("application/json", "text/javascript", "application/javascript"),
    results=ox.QueryResultsFormat.JSON, w3c="SPARQL_Results_JSON",
)  # fmt: skip
RESULTS_XML = Format(
    "xml", "application/sparql-results+xml", "results", "srx", (),
    ("application/xml", "text/xml"),
    results=ox.QueryResultsFormat.XML, w3c="SPARQL_Results_XML",
)  # fmt: skip
RESULTS_CSV = Format(
    "csv", "text/csv", "results", "csv", charset=True,
    results=ox.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV",
)  # fmt: skip
RESULTS_TSV = Format(
    "tsv", "text/tab-separated-values", "results", "tsv", charset=True,
    results=ox.QueryResultsFormat.TSV, w3c="SPARQL_Results_TSV",
)  # fmt: skip

# -- pages and data ---------------------------------------------------------------------------
HTML = Format("html", "text/html", "page", "html", (), ("application/xhtml+xml",), charset=True)
JSON = Format("json", "application/json", "data", "json")
PROBLEM_JSON = Format("problem", "application/problem+json", "data")
PLAIN_TEXT = Format("text", "text/plain", "data", "txt", charset=True)

ALL: tuple[Format, ...] = (
    TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS,
    RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV, HTML,
)  # fmt: skip

# Offers in the server's order of preference (the first is sent to a client that states none).
# Documents: Turtle first, so that no Accept and ``*/*`` get Turtle; browsers name text/html.
RDF_DOCUMENT: tuple[Format, ...] = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
DOCUMENT: tuple[Format, ...] = (*RDF_DOCUMENT, HTML)
SPARQL_GRAPH: tuple[Format, ...] = (*RDF_DOCUMENT, TRIG, N_QUADS)  # CONSTRUCT and DESCRIBE
SPARQL_RESULTS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
# ASK: the CSV and TSV results formats are defined for SELECT only (a table of bindings)
SPARQL_BOOLEAN: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML)
DATASET: tuple[Format, ...] = (N_QUADS, TRIG, TURTLE)  # a whole dataset (nearkg export)

# format= names that stand for several formats (see the module docstring)
FAMILIES: dict[str, tuple[Format, ...]] = {
    "n3": (TURTLE, N_TRIPLES),
    "json": (RESULTS_JSON, JSON_LD),
    "xml": (RESULTS_XML, RDF_XML),
}

BY_SUFFIX = {f.suffix: f for f in DOCUMENT}


def aliases(offers: Iterable[Format]) -> dict[str, str]:
    """Other media type -> the offer's media type it stands for, for these offers."""
    return {alias: f.media_type for f in offers for alias in f.aliases}


def named(name: str, offers: Sequence[Format]) -> tuple[Format, ...]:
    """The offers a ``format=`` value names: one, several (a family), or none."""
    name = name.strip().lower()
    if name in FAMILIES:
        return tuple(f for f in FAMILIES[name] if f in offers)
    return tuple(f for f in offers if name in f.all_names or name == f.media_type)


def format_names(offers: Iterable[Format]) -> list[str]:
    """Every ``format=`` value these offers answer to (openapi.json, help texts)."""
    offers = tuple(offers)
    names = [n for f in offers for n in f.all_names]
    names += [family for family, members in FAMILIES.items() if set(members) & set(offers)]
    return list(dict.fromkeys(names))


def split_suffix(name: str, formats: Sequence[Format] = DOCUMENT) -> tuple[str, Format | None]:
    """``JP-32.ttl`` -> (``JP-32``, Turtle); a name without a known suffix is returned whole."""
    stem, dot, suffix = name.rpartition(".")
    for f in formats:
        if dot and stem and suffix == f.suffix:
            return stem, f
    return name, None


def by_cli_name(name: str) -> Format:
    """A format by its canonical name (``nearkg query --format``)."""
    return next(f for f in ALL if f.name == name)


def stable_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with their blank nodes named by RDF Dataset Canonicalization (RDFC-1.0,
    ``_:c14n0``, ...) and in N-Triples order: the same graph, however its blank nodes were
    labelled and in whatever order it came, gives the same list, so its serialisation is the
    same bytes on every request, worker and replica, as its strong ETag promises (RFC 9110
    §8.8.3). For a graph whose blank nodes are made afresh for each request (the validation
    report); the data's blank nodes keep the labels the store gave them."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in dataset), key=str)


def serialize(triples: Iterable[ox.Triple], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Triples as bytes in an RDF format, with absolute IRIs (no base is set). RDF/XML that
    XML cannot carry (a character XML 1.0 forbids in a literal, a predicate with no XML name)
    raises ``xml_output.NotXml``, which the error handler answers 406."""
    assert fmt.rdf is not None, f"{fmt.media_type} is not an RDF format"
    plain = fmt.rdf is ox.RdfFormat.N_TRIPLES or fmt.rdf is ox.RdfFormat.N_QUADS
    if fmt is RDF_XML:
        triples = list(triples)
        xml_output.check_rdf_xml_names(triples, fmt.media_type, NOT_XML_DOCUMENT)
    data = ox.serialize(triples, format=fmt.rdf, prefixes=None if plain else prefixes)
    assert data is not None, "without an output, serialize returns the bytes"
    if fmt is RDF_XML:
        xml_output.check_characters(data, fmt.media_type, NOT_XML_DOCUMENT)
    return data


# where XML cannot carry a document, the formats that can
NOT_XML_DOCUMENT = tuple(f.media_type for f in RDF_DOCUMENT if f is not RDF_XML)
