"""Real SPARQL clients (SPARQLWrapper, rdflib SPARQLStore) and the time limit, against a real
``nearkg serve`` on the repository's data."""

from __future__ import annotations

import json
import time
import urllib.parse

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from .conftest import nearkg
from .sparql_support import call, start

pytestmark = pytest.mark.server
TIMEOUT = 2.0
SELECT = (
    "PREFIX near: <https://w3id.org/near/def#> "
    "SELECT ?r ?code WHERE { ?r a near:Region ; near:iso3166_2 ?code } ORDER BY ?code LIMIT 5"
)
CONSTRUCT = (
    "PREFIX near: <https://w3id.org/near/def#> "
    "CONSTRUCT { ?r near:iso3166_2 ?code } WHERE { ?r near:iso3166_2 ?code } LIMIT 5"
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("clients"), env={"NEARKG_QUERY_TIMEOUT": str(TIMEOUT)})
    yield server
    server.stop()


def wrapper(server, method=GET, request_method=URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]


@pytest.mark.parametrize("method,request_method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(server, method, request_method, fmt):
    client = wrapper(server, method, request_method)
    client.setQuery(SELECT)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    if fmt == JSON:
        rows = converted["results"]["bindings"]
        assert [r["code"]["value"] for r in rows] == sorted(r["code"]["value"] for r in rows)
        assert len(rows) == 5
    elif fmt == XML:
        assert len(converted.getElementsByTagName("result")) == 5
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        lines = [line for line in text.splitlines() if line]
        assert len(lines) == 6
        if fmt == CSV:
            assert text.startswith("r,code\r\n")
        else:
            assert lines[0] == "?r\t?code"


@pytest.mark.parametrize("method,request_method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server, method, request_method, fmt):
    client = wrapper(server, method, request_method)
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(fmt)
    converted = client.queryAndConvert()
    if fmt == JSON:
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method,request_method", METHODS)
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct(server, method, request_method, fmt):
    client = wrapper(server, method, request_method)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    converted = client.queryAndConvert()
    if isinstance(converted, bytes):
        converted = rdflib.Graph().parse(data=converted, format="turtle")
    assert len(converted) == 5


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_rdflib_sparqlstore(server, method, return_format):
    store = SPARQLStore(server.url + "/sparql", returnFormat=return_format, method=method)
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(SELECT))  # rdflib adds its ~30 PREFIX lines
    assert len(rows) == 5
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) == 5


def test_long_get_url_passes_gunicorn(server):
    padding = " ".join(f"PREFIX p{i}: <https://example.org/{'x' * 60}/{i}#>" for i in range(100))
    query = padding + " ASK { ?s ?p ?o }"
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    assert len(path) > 8000
    reply = call(server.url, "GET", path, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200
    assert json.loads(reply.body)["boolean"] is True


def test_a_query_over_the_time_limit_gets_503_and_the_worker_recovers(server):
    path = "/sparql?" + urllib.parse.urlencode({"query": SLOW})
    started = time.monotonic()
    reply = call(server.url, "GET", path)
    elapsed = time.monotonic() - started
    assert reply.status == 503
    assert b"NEARKG_QUERY_TIMEOUT" in reply.body
    assert elapsed < TIMEOUT + 1
    # the same query would be stopped again: no invitation to retry it at once
    assert int(reply.headers["retry-after"]) >= 60
    for _ in range(3):  # answered normally, by a fresh query process
        reply = call(server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": SELECT}))
        assert reply.status == 200
        assert len(json.loads(reply.body)["results"]["bindings"]) == 5


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"],
)
def test_construct_parses_with_rdflib_and_pyoxigraph(server, media_type):
    path = "/sparql?" + urllib.parse.urlencode({"query": CONSTRUCT})
    reply = call(server.url, "GET", path, headers={"Accept": media_type})
    assert reply.status == 200
    assert reply.media_type == media_type
    assert len(reply.graph()) == 5
    assert len(list(ox.parse(reply.body, ox.RdfFormat.from_media_type(media_type)))) == 5


def test_on_disk_store_runs_queries_in_spawned_processes(tmp_path):
    # serve reads what `nearkg load` published (it never publishes itself)
    assert nearkg("load", "--store", str(tmp_path / "store")).returncode == 0
    server = start(
        tmp_path,
        "--store",
        str(tmp_path / "store"),
        "--workers",
        "2",
        env={"NEARKG_QUERY_TIMEOUT": str(TIMEOUT)},
    )
    try:
        query = "/sparql?" + urllib.parse.urlencode({"query": SELECT})
        assert call(server.url, "GET", query).status == 200
        slow = call(server.url, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW}))
        assert slow.status == 503
        reply = call(server.url, "GET", query)
        assert len(json.loads(reply.body)["results"]["bindings"]) == 5
    finally:
        server.stop()
