"""The VoID description is in the store (issue 18): a real server on a published on-disk
generation answers SPARQL about it, with canonical IRIs, and serves the same triples at
/.well-known/void with its own addresses on the host it was asked on."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import JSON, SPARQLWrapper

from loaders.dataset_description import description_graph

from .conftest import TINY_DATA, TINY_ONTOLOGY, nearkg, write_dataset
from .sparql_support import start

BASE = "https://w3id.org/near/"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("void-in-store")
    data = write_dataset(
        root / "dataset",
        {"ontology/near.ttl": TINY_ONTOLOGY, "data/turtle/regions.ttl": TINY_DATA},
    )
    store = root / "store"
    loaded = nearkg("load", "--data-dir", str(data), "--store", str(store))
    assert loaded.returncode == 0, loaded.stderr
    served = start(root, "--data-dir", str(data), "--store", str(store), "--workers", "2")
    request.addfinalizer(served.stop)
    return served


def ask(server, query: str) -> bool:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.query().convert()["boolean"]


def select(server, query: str) -> list[dict]:
    reply = requests.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]["bindings"]


def test_the_endpoint_answers_about_the_void_with_the_canonical_endpoint_iri(server):
    canonical = f"ASK {{ ?d <{VOID}sparqlEndpoint> <{BASE}sparql> }}"
    assert ask(server, canonical)
    # the store holds canonical IRIs only: this host's own address of the endpoint is not in it
    local = f"ASK {{ ?d <{VOID}sparqlEndpoint> <{server.url}/sparql> }}"
    assert not ask(server, local)
    in_its_graph = f"ASK {{ GRAPH <{description_graph(BASE)}> {{ ?d <{VOID}sparqlEndpoint> ?e }} }}"
    assert ask(server, in_its_graph)


def test_void_triples_count_the_data_and_not_the_description(server):
    (row,) = select(server, f"SELECT ?n WHERE {{ <{BASE}void#dataset> <{VOID}triples> ?n }}")
    stated = int(row["n"]["value"])
    counted = select(
        server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/data/") '
        f'|| STRSTARTS(STR(?g), "{BASE}graph/ontology/")) }}',
    )
    everything = select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    in_description = select(
        server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{description_graph(BASE)}> {{ ?s ?p ?o }} }}",
    )
    assert stated == int(counted[0]["n"]["value"]) > 0
    assert int(everything[0]["n"]["value"]) == stated + int(in_description[0]["n"]["value"])
    health = requests.get(server.url + "/healthz", timeout=30).json()
    assert health["triples"] == stated


def _triples(data: bytes, content_type: str) -> set[tuple[str, str, str]]:
    fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0])
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(data, fmt)}


def test_the_served_void_is_the_stored_graph_with_this_hosts_addresses(server):
    served = requests.get(
        server.url + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=30
    )
    assert served.status_code == 200
    stored = requests.get(
        server.url + "/sparql",
        params={
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": description_graph(BASE),
        },  # fmt: skip
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert stored.status_code == 200, stored.text
    on_this_host = _triples(served.content, served.headers["Content-Type"])
    canonical = _triples(stored.content, stored.headers["Content-Type"])
    assert len(canonical) > 20
    # the host mapping: the service's own addresses, and nothing else, move onto this host
    mapped = {
        tuple(term.replace(f"<{server.url}/", f"<{BASE}") for term in t) for t in on_this_host
    }
    assert mapped == canonical
    assert on_this_host != canonical
    assert (f"<{BASE}void#dataset>", f"<{VOID}sparqlEndpoint>", f"<{server.url}/sparql>") in (
        on_this_host
    )
