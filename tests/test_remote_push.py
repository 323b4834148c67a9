"""Publishing to a remote SPARQL store (Oxigraph server and Virtuoso, real processes): staging,
count checks, the swap, failures half-way, stores without Graph Store or Update endpoints."""

from __future__ import annotations

import logging
import urllib.parse

import pytest
from click.testing import CliRunner

from loaders.backends import push as push_module
from loaders.backends.http import RemoteStoreError
from loaders.backends.metadata import staging_root
from loaders.loading import LoadError
from loaders.settings import Settings
from loaders.store import KnowledgeStore
from service.cli.commands import main

from .backends import EXTRA_DATA
from .conftest import write_dataset
from .stores import CuttingProxy

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MORE = "<http://ex/a> <http://ex/b> <http://ex/c> .\n"


def settings(request, name: str, dataset, **overrides) -> Settings:
    server = request.getfixturevalue(f"{name}_server")
    env = {**server.environment(), "NEARKG_RELOAD_CHECK_SECONDS": "0"}
    env.update({k: v for k, v in overrides.items() if v is not None})
    for key in [k for k, v in overrides.items() if v is None]:
        env.pop(key, None)
    return Settings.from_env(env, data_dir=dataset)


def count(store: KnowledgeStore) -> int:
    """Triples in the data and ontology graphs (not the description, which follows them)."""
    data = [g.value for g in store.snapshot.union_graphs]
    return int(next(iter(store.query(COUNT, default_graph=data)))["n"].value)


def all_graphs(store: KnowledgeStore) -> set[str]:
    rows = store.backend.client.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"].value for row in rows}


@pytest.mark.parametrize("writer", ["gsp", "update"])
def test_connection_killed_half_way_leaves_the_published_graphs(
    request, remote_name, tiny_dataset, writer
):
    write_dataset(tiny_dataset, {"data/turtle/memberships.ttl": EXTRA_DATA})
    good = settings(request, remote_name, tiny_dataset)
    published = KnowledgeStore(good)
    published.reload()
    before = {g.iri: g.triples for g in published.snapshot.graphs}
    version, total = published.snapshot.version, count(published)

    # new data; the connection that writes the shapes graph is cut by a proxy
    write_dataset(tiny_dataset, {"data/turtle/more.ttl": MORE})
    server = request.getfixturevalue(f"{remote_name}_server")
    endpoint = server.gsp if writer == "gsp" else server.update
    port = urllib.parse.urlsplit(endpoint).port
    proxy = CuttingProxy(port, victim=b"shapes%2Fnear")
    try:
        broken = settings(
            request,
            remote_name,
            tiny_dataset,
            NEARKG_SPARQL_GSP_ENDPOINT=proxy.url(server.gsp) if writer == "gsp" else None,
            NEARKG_SPARQL_UPDATE_ENDPOINT=proxy.url(server.update),
        )
        said: list[str] = []
        with pytest.raises(RemoteStoreError):
            KnowledgeStore(broken).reload(say=said.append)
    finally:
        proxy.close()
    assert proxy.cut >= 1
    assert any("staging" in line for line in said)

    replica = KnowledgeStore.open(good)
    assert replica.snapshot.version == version
    assert {g.iri: g.triples for g in replica.snapshot.graphs} == before
    assert count(replica) == total
    for graph, triples in before.items():
        assert replica.backend.client.count(graph) == triples
    # the half-written staging graphs are invisible, and the next load removes them
    published.reload()
    assert count(published) == total + 1
    leftovers = {g for g in all_graphs(published) if g.startswith(staging_root(good.base))}
    assert leftovers == set()


def test_without_update_endpoint_graphs_are_replaced_in_place_and_it_says_so(
    request, remote_name, tiny_dataset
):
    gsp_only = settings(request, remote_name, tiny_dataset, NEARKG_SPARQL_UPDATE_ENDPOINT=None)
    said: list[str] = []
    store = KnowledgeStore(gsp_only)
    store.reload(say=said.append)
    assert any("NOT atomic" in line for line in said)
    assert count(store) == store.snapshot.triples
    write_dataset(tiny_dataset, {"data/turtle/more.ttl": MORE})
    store.reload(say=said.append)
    assert count(store) == store.snapshot.triples


def test_without_graph_store_endpoint_graphs_go_in_chunks_with_blank_nodes_kept_whole(
    request, remote_name, tiny_dataset, monkeypatch
):
    monkeypatch.setattr(push_module, "CHUNK_TRIPLES", 2)
    write_dataset(tiny_dataset, {"data/turtle/memberships.ttl": EXTRA_DATA})
    update_only = settings(request, remote_name, tiny_dataset, NEARKG_SPARQL_GSP_ENDPOINT=None)
    said: list[str] = []
    store = KnowledgeStore(update_only)
    store.reload(say=said.append)
    assert any("INSERT in chunks" in line for line in said)
    assert count(store) == store.snapshot.triples
    shape = store.query(
        "ASK { ?m <http://www.w3.org/ns/org#memberDuring> ?i . "
        "?i <http://www.w3.org/2006/time#hasBeginning> ?b . "
        '?b <http://www.w3.org/2006/time#inXSDgYear> "1996" }'
    )
    assert bool(shape)  # one blank-node structure, not three unconnected nodes


def test_chunks_keep_blank_node_structures_together():
    import pyoxigraph as ox

    a, b, c = (ox.BlankNode(x) for x in "abc")
    p = ox.NamedNode("http://ex/p")
    s = ox.NamedNode("http://ex/s")
    triples = [
        ox.Triple(s, p, a),
        ox.Triple(a, p, b),
        ox.Triple(b, p, ox.Literal("1")),
        ox.Triple(s, p, c),
        ox.Triple(s, p, s),
    ]
    chunks = push_module.chunks(triples, 2)
    structure = {str(t) for t in triples[:3]}
    assert any(structure <= {str(t) for t in chunk} for chunk in chunks)
    assert sorted(len(x) for x in chunks) == [2, 3]  # a structure may exceed the size, alone
    assert sorted(str(t) for t in sum(chunks, [])) == sorted(str(t) for t in triples)


def test_graphs_no_longer_in_the_data_are_dropped(request, remote_name, tiny_dataset):
    write_dataset(tiny_dataset, {"data/turtle/more.ttl": MORE})
    store = KnowledgeStore(settings(request, remote_name, tiny_dataset))
    store.reload()
    gone = "https://w3id.org/near/graph/data/more"
    assert gone in all_graphs(store)
    (tiny_dataset / "data/turtle/more.ttl").unlink()
    store.reload()
    assert gone not in all_graphs(store)
    assert gone not in {g.iri for g in store.snapshot.graphs}


def test_a_replica_on_a_store_without_near_kg_data_says_how_to_publish(request, remote_name):
    empty_base = Settings.from_env(
        request.getfixturevalue(f"{remote_name}_server").environment(),
        base="http://127.0.0.1:9/never-loaded/",
    )
    with pytest.raises(LoadError, match="nearkg load --to"):
        KnowledgeStore.open(empty_base)


def test_open_logs_what_the_remote_backend_cannot_do(request, remote_name, tiny_dataset, caplog):
    s = settings(request, remote_name, tiny_dataset)
    KnowledgeStore(s).reload()
    with caplog.at_level(logging.WARNING, logger="loaders.store"):
        KnowledgeStore.open(s)
    assert "cannot stop the query in the store" in caplog.text


def test_a_query_with_its_own_from_clause(request, remote_name, tiny_dataset):
    """The SPARQL Protocol's default-graph-uri replaces a query's FROM on Oxigraph (as in
    pyoxigraph); Virtuoso merges both. Pinned here so docs/deployment.md stays true."""
    store = KnowledgeStore(settings(request, remote_name, tiny_dataset))
    store.reload()
    ontology = "https://w3id.org/near/graph/ontology/near"
    shapes = "https://w3id.org/near/graph/shapes/near"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{shapes}> WHERE {{ ?s ?p ?o }}"
    found = int(next(iter(store.query(query)))["n"].value)
    union = store.snapshot.default_graph_triples  # data, ontology and the VoID description
    shape_triples = store.snapshot.graphs_of("shapes")[0].triples
    expected = {"oxigraph": union, "virtuoso": union + shape_triples}
    assert found == expected[remote_name]
    narrowed = int(next(iter(store.query(COUNT, default_graph=[ontology])))["n"].value)
    assert narrowed == 2


def test_nearkg_load_to_publishes_and_prints_what_it_does(request, remote_name, tiny_dataset):
    server = request.getfixturevalue(f"{remote_name}_server")
    env = {k: v for k, v in server.environment().items() if k != "NEARKG_SPARQL_ENDPOINT"}
    result = CliRunner(env=env).invoke(
        main, ["load", "--data-dir", str(tiny_dataset), "--to", server.query]
    )
    assert result.exit_code == 0, result.output
    assert "staging" in result.output and "swapping" in result.output
    output = " ".join(result.output.split())  # rich wraps long lines
    assert f"in the SPARQL store at {server.query}" in output
    assert "graph/data/regions" in output


def test_nearkg_load_to_a_store_that_is_down_exits_3(tiny_dataset):
    from .stores import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner(env={"NEARKG_SPARQL_UPDATE_ENDPOINT": url}).invoke(
        main, ["load", "--data-dir", str(tiny_dataset), "--to", url]
    )
    assert result.exit_code == 3
    assert "error:" in result.output


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX select: <http://ex/ask> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("# SELECT in a comment\nASK { ?s ?p 'DESCRIBE' }", "ASK"),
        ("describe <http://ex/a>", "DESCRIBE"),
        ("BASE <http://ex/> SELECT * {}", "SELECT"),
        ("SELEC", None),
    ],
)
def test_query_form(query, form):
    from loaders.backends.bindings import query_form

    assert query_form(query) == form


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "{ ?s"),
        ('SELECT (CONCAT("{", ?x) AS ?y) { ?x ?p ?o }', "{ ?x"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"[:5]),
        ("# { not here\nASK FROM <http://ex/x> { ?s ?p ?o }", "{ ?s"),
    ],
)
def test_values_go_into_the_outermost_where_group(query, where):
    from loaders.backends.bindings import where_brace

    at = where_brace(query)
    assert query[at : at + len(where)] == where
    if query.startswith("CONSTRUCT"):
        assert at == query.index("WHERE") + len("WHERE ")


def test_values_cannot_go_into_a_short_construct_or_bind_blank_nodes():
    import pyoxigraph as ox

    from loaders.backends.bindings import inline

    with pytest.raises(ValueError):
        inline("CONSTRUCT WHERE { ?this ?p ?o }", {"this": ox.NamedNode("http://ex/a")})
    with pytest.raises(ValueError):
        inline("SELECT * WHERE { ?this ?p ?o }", {"this": ox.BlankNode()})
    with pytest.raises(ValueError):
        inline("SELECT * WHERE { ?this ?p ?o }", {"not a name": ox.NamedNode("http://ex/a")})
