"""The W3C SPARQL 1.1 Protocol (34) and Service Description (3) tests against a real server.

The manifests live in ../shared/w3c-sparql11-tests (outside the repository); without them
these tests skip, or fail with CI=true. Updates are enabled with a token for the protocol
tests, whose data is loaded by SPARQL Update as each test's ``ut:graphData`` says.
"""

from __future__ import annotations

import pytest
import rdflib

from .sparql_support import (
    RDF_TYPES,
    RESULT_TYPES,
    TABULAR,
    TOKEN,
    call,
    load_graph_data,
    manifest_path,
    protocol_tests,
    start,
)

pytestmark = pytest.mark.server
TESTS = protocol_tests()
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    from .conftest import TINY_DATA, TINY_ONTOLOGY, write_dataset

    root = tmp_path_factory.mktemp("w3c")
    dataset = write_dataset(
        root / "data", {"ontology/near.ttl": TINY_ONTOLOGY, "data/turtle/regions.ttl": TINY_DATA}
    )
    server = start(root, "--data-dir", str(dataset), env={"NEARKG_UPDATE_TOKEN": TOKEN})
    yield server
    server.stop()


def test_the_manifest_has_all_34_protocol_tests():
    manifest_path("protocol")
    assert len(TESTS) == 34


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(server, test):
    load_graph_data(server.url, test.graph_data)
    for step in test.steps:
        path = step.path.replace("/sparql/", "/sparql", 1)
        headers = {**step.headers, "Authorization": f"Bearer {TOKEN}"}
        reply = call(server.url, step.method, path, step.body, headers)
        assert reply.status // 100 in step.statuses, (test.name, reply.status, reply.body[:500])
        if step.format == "boolean":
            assert reply.media_type in RESULT_TYPES
        elif step.format == "tabular":
            assert reply.media_type in TABULAR
        elif step.format == "RDF":
            assert reply.media_type in RDF_TYPES
            reply.graph()
        if step.boolean is not None:
            assert reply.boolean() is step.boolean, test.name


def _description(server) -> tuple[rdflib.Graph, object]:
    manifest_path("service-description")
    accept = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8"
    reply = call(server.url, "GET", "/sparql", headers={"Accept": accept})
    assert reply.status == 200
    return reply.graph(), reply


def test_sd_returns_rdf(server):
    graph, reply = _description(server)
    assert reply.media_type == "text/turtle"
    assert len(graph) > 10


def test_sd_has_endpoint_triple(server):
    graph, _ = _description(server)
    services = list(graph.subjects(SD.endpoint, rdflib.URIRef(server.url + "/sparql")))
    assert len(services) == 1
    assert isinstance(services[0], rdflib.BNode)


def test_sd_conforms_to_schema(server):
    graph, _ = _description(server)
    service = next(graph.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in graph  # the token is set
    # the default graph is the union of the data and ontology graphs, not of every named
    # graph (the shapes are left out), so the union feature is not claimed
    assert (service, SD.feature, SD.UnionDefaultGraph) not in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, SD.Dataset) in graph
    assert graph.value(dataset, SD.defaultGraph) is not None
    named = list(graph.objects(dataset, SD.namedGraph))
    assert named
    for entry in named:
        assert isinstance(graph.value(entry, SD.name), rdflib.URIRef)
    for language in graph.objects(service, SD.supportedLanguage):
        assert language in {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
