"""The content-negotiation function as a table: Accept header -> chosen type."""

import pytest

from service.http import formats
from service.http.negotiation import choose, negotiate, negotiate_language

DOC = [
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
]
RDF_FIRST = [
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "text/html",
]
ALIASES = {
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/xhtml+xml": "text/html",
}
RESULTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
RESULT_ALIASES = {"application/json": "application/sparql-results+json"}

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RAPPER_G = (
    "application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, "
    "text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, "
    "text/html;q=0.2, application/xhtml+xml;q=0.4, text/html;q=0.6, "
    "application/xhtml+xml;q=0.8, application/json;q=0.1, text/json;q=0.1, "
    "text/x-nquads, */*;q=0.1"
)
JENA_DEREF = (
    "text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.7,application/trig,"
    "application/n-quads;q=0.9,application/ld+json;q=0.8,*/*;q=0.5"
)
COMUNICA = (
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
    "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
    "application/json;q=0.45,text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,"
    "text/xml;q=0.3,text/html;q=0.2,application/xhtml+xml;q=0.18"
)
# rdflib 7.6 Graph().parse(url) without format= (its registered parsers' media types)
RDFLIB_PARSE = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)
SPARQLWRAPPER_JSON = (
    "application/sparql-results+json,application/json,text/javascript,application/javascript"
)
JENA_SELECT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "text/tab-separated-values;q=0.7, text/csv;q=0.5,application/json;q=0.2,"
    "application/xml;q=0.2,*/*;q=0.1"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("garbage;;;,,", "text/turtle"),
        (BROWSER, "text/html"),
        ("application/xhtml+xml,text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("text/turtle;charset=utf-8", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("image/png", None),
        ("text/turtle;q=0, */*", "application/ld+json"),
        ("text/turtle;q=0", None),
        ("text/*", "text/turtle"),  # wildcard tie: server order
        # a wildcard matches the offers' own types, never an alias (application/x-turtle)
        ("application/*", "application/ld+json"),
        ("application/*;q=0.5, text/html;q=0.4", "application/ld+json"),
        ("text/*;q=0.5, text/turtle;q=0.1", "text/html"),
        # Vapour's mixed Accept headers
        ("application/rdf+xml;q=0.5,text/html;q=.3", "application/rdf+xml"),
        ("application/rdf+xml;q=0.3,text/html;q=.5", "text/html"),
        ("application/rdf+xml;q=0.5,text/html;q=.5", "application/rdf+xml"),
        ("application/rdf+xml,text/html", "application/rdf+xml"),
        ("text/html,application/rdf+xml", "text/html"),
        ("application/rdf+xml;q=0.5", "application/rdf+xml"),
        ("text/html;q=0.5", "text/html"),
        # real clients
        (RAPPER_G, "application/rdf+xml"),
        (
            "text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, */*;q=0.1",
            "text/turtle",
        ),
        (JENA_DEREF, "text/turtle"),
        (COMUNICA, "application/ld+json"),
        ("application/ld+json,application/x-json+ld", "application/ld+json"),
        ("application/turtle,text/turtle", "text/turtle"),
        ("application/rdf+xml, application/sparql-results+xml", "application/rdf+xml"),
        (RDFLIB_PARSE, "application/rdf+xml"),
        ("text/turtle, application/x-turtle, */*;q=0.1", "text/turtle"),  # rdflib turtle
        ("application/ld+json, application/json;q=0.9, */*;q=0.1", "application/ld+json"),
        ("application/rdf+xml, */*;q=0.1", "application/rdf+xml"),  # rdflib format="xml"
        ("text/turtle;q=2", "text/turtle"),  # invalid q: range ignored, nothing left -> default
        ("text/html;q=abc, application/n-triples", "application/n-triples"),
    ],
)
def test_documents(accept, expected):
    assert negotiate(accept, RDF_FIRST, aliases=ALIASES) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        (SPARQLWRAPPER_JSON, "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        (JENA_SELECT, "application/sparql-results+json"),
        (
            "application/sparql-results+json;q=1.0,application/sparql-results+xml;q=0.7",
            "application/sparql-results+json",
        ),
        ("application/sparql-results+json,*/*;q=0.9", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/turtle", None),
    ],
)
def test_sparql_results(accept, expected):
    assert negotiate(accept, RESULTS, aliases=RESULT_ALIASES) == expected


# Accept -> media type chosen from the format registry's own offers and aliases
REGISTRY_TABLE = [
    # documents: a wildcard matches each format's own type, in the registry's order
    ("document", None, "text/turtle"),
    ("document", "*/*", "text/turtle"),
    ("document", "application/*", "application/ld+json"),  # not Turtle by application/x-turtle
    ("document", "text/*", "text/turtle"),
    ("document", "application/*;q=0.5, text/html;q=0.4", "application/ld+json"),
    ("document", "text/*;q=0.1, application/*", "application/ld+json"),
    ("document", "application/*, text/turtle", "text/turtle"),  # the exact range first
    ("document", "application/*;q=0.5, application/x-turtle", "text/turtle"),
    ("document", "application/x-turtle", "text/turtle"),  # an alias named exactly still works
    ("document", "application/turtle;q=0.9, application/rdf+xml", "application/rdf+xml"),
    ("document", "text/plain", "application/n-triples"),
    ("document", "text/*;q=0, application/x-turtle", "text/turtle"),  # exact beats wildcard
    ("document", "application/*;q=0, text/plain", "application/n-triples"),
    ("document", "image/*", None),
    # CONSTRUCT and DESCRIBE
    ("graph", "application/*", "application/ld+json"),
    ("graph", "text/*", "text/turtle"),
    ("graph", "application/*;q=0.5, text/*;q=0.4", "application/ld+json"),
    ("graph", "application/x-turtle", "text/turtle"),
    ("graph", "text/x-nquads", "application/n-quads"),
    # SELECT: text/* is CSV (not JSON by text/javascript, nor XML by text/xml)
    ("select", "text/*", "text/csv"),
    ("select", "text/*;q=0.9, application/*;q=0.1", "text/csv"),
    ("select", "text/*, text/tab-separated-values", "text/tab-separated-values"),
    ("select", "application/*", "application/sparql-results+json"),
    ("select", "*/*", "application/sparql-results+json"),
    ("select", "text/javascript", "application/sparql-results+json"),
    ("select", "text/xml", "application/sparql-results+xml"),
    ("select", "text/*;q=0.5, text/xml", "application/sparql-results+xml"),
    ("select", "image/*", None),
]
REGISTRY_OFFERS = {
    "document": formats.DOCUMENT,
    "graph": formats.SPARQL_GRAPH,
    "select": formats.SPARQL_RESULTS,
}


@pytest.mark.parametrize(("offers", "accept", "expected"), REGISTRY_TABLE)
def test_the_registry_formats(offers, accept, expected):
    choice = choose(REGISTRY_OFFERS[offers], accept)
    assert (choice.format.media_type if choice else None) == expected


def test_default_is_used_without_preference_and_order_breaks_wildcard_ties():
    assert negotiate(None, DOC, default="text/turtle") == "text/turtle"
    assert negotiate("*/*", DOC) == "text/html"
    assert negotiate("*/*", DOC, default="text/turtle") == "text/html"


def test_huge_headers_are_cut_not_fatal():
    header = ",".join(["application/x-nothing"] * 10_000) + ",text/turtle"
    assert negotiate(header, RDF_FIRST) in (None, "text/turtle")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("ja", "ja"),
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("ko-KR;q=0.9, ru;q=1", "ru"),
        ("fr, mn;q=0.5", "mn"),
        ("fr, de", "en"),
        ("zh-Hans-CN", "zh"),
        ("*", "en"),
        ("en;q=0, ja;q=0.1", "ja"),
        (";;;garbage", "en"),
    ],
)
def test_language(header, expected):
    assert negotiate_language(header, ["en", "ja", "ko", "zh", "ru", "mn"]) == expected
