"""The same store-level and service-level tests on every backend: embedded pyoxigraph, Oxigraph
server and Virtuoso (real processes on 127.0.0.1; see tests/stores.py)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from loaders.loading import LoadError
from loaders.store import KnowledgeStore

from .conftest import describe, exists, write_dataset

JP32 = "https://w3id.org/near/id/region/JP-32"
GOV = "https://w3id.org/near/id/government/JP-32"
SHAPES = "https://w3id.org/near/graph/shapes/near"
ONTOLOGY = "https://w3id.org/near/graph/ontology/near"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "SELECT ?this ?label WHERE { ?this <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
)


def count(store: KnowledgeStore, **kwargs) -> int:
    return int(next(iter(store.query(COUNT, **kwargs)))["n"].value)


def count_data(store: KnowledgeStore) -> int:
    """Triples in the data and ontology graphs (the default graph less the description)."""
    return count(store, default_graph=[g.value for g in store.snapshot.union_graphs])


def reference(loaded) -> KnowledgeStore:
    """The same files in an embedded in-memory store: what every backend must answer."""
    from loaders.settings import Settings

    store = KnowledgeStore(Settings.from_env({}, data_dir=loaded.dataset), validator=False)
    store.reload()
    return store


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


# -- store level ---------------------------------------------------------------------------------


def test_graphs_counts_and_version_match_the_embedded_store(backend):
    expected = reference(backend).snapshot
    snapshot = backend.store.snapshot
    assert snapshot.graphs == expected.graphs
    assert snapshot.triples == expected.triples > 0
    assert snapshot.version == expected.version  # the data fingerprint, not a per-load id
    assert snapshot.graphs_of("shapes") and snapshot.file_of_graph()[SHAPES] == "shapes/near.ttl"
    assert [g.value for g in snapshot.union_graphs] == [g.value for g in expected.union_graphs]
    assert (snapshot.store is None) == backend.remote


def test_default_graph_is_the_union_of_data_ontology_and_description_not_shapes(backend):
    store = backend.store
    description = store.snapshot.graphs_of("description")
    assert count_data(store) == store.snapshot.triples
    assert count(store) == store.snapshot.triples + description[0].triples
    assert not bool(store.query("ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"))
    assert bool(store.query(f"ASK {{ GRAPH <{SHAPES}> {{ ?s a ?type }} }}"))
    assert count(store, default_graph=[ONTOLOGY]) == 2


def test_named_graphs_are_the_published_graphs_only(backend):
    found = {
        row["g"].value
        for row in backend.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    }
    assert found == {g.iri for g in backend.store.snapshot.graphs}  # no metadata, no system


def test_select_ask_construct_give_pyoxigraph_results(backend):
    store = backend.store
    solutions = store.query(LABELS, substitutions={"this": ox.NamedNode(JP32)})
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["this", "label"]
    rows = list(solutions)
    assert {r["label"] for r in rows} == {
        ox.Literal("Shimane Prefecture", language="en"),
        ox.Literal("島根県", language="ja"),
    }
    assert all(r["this"] == ox.NamedNode(JP32) for r in rows)
    asked = store.query("ASK { ?this ?p ?o }", substitutions={"this": ox.NamedNode(GOV)})
    assert isinstance(asked, ox.QueryBoolean) and bool(asked)
    built = store.query(
        "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }", substitutions={"this": ox.NamedNode(GOV)}
    )
    triples = list(built)
    assert all(isinstance(t, ox.Triple) for t in triples)
    objects = {t.object for t in triples}
    assert objects >= {ox.NamedNode(JP32), ox.Literal("島根県庁", language="ja")}


@pytest.mark.parametrize(
    "term",
    [
        ox.Literal('"} ?this ?p ?o { #'),
        ox.Literal("a \\ backslash, a\nnew line, a\rreturn, a\ttab, \u0001 and \\u0022"),
        ox.Literal("'''\"\"\"", language="en"),
        ox.Literal("1996", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ox.NamedNode("https://w3id.org/near/id/region/JP-32?a=1&b=%7D#x"),
    ],
)
def test_bound_terms_come_back_unchanged_and_never_change_the_query(backend, term):
    rows = list(backend.store.query("SELECT ?this WHERE { }", substitutions={"this": term}))
    assert [r["this"] for r in rows] == [term]
    assert list(backend.store.query(LABELS, substitutions={"this": term})) == []


def test_malformed_query_raises_syntax_error(backend):
    with pytest.raises(SyntaxError):
        backend.store.query("SELECT WHERE { ?s ?p ")


def test_describe_and_exists(backend):
    triples = describe(backend.store, JP32)
    assert {t.subject.value for t in triples} == {JP32, GOV}
    assert exists(backend.store, JP32) and exists(backend.store, GOV)
    assert not exists(backend.store, JP32 + "-nope")
    membership = describe(backend.store, "https://w3id.org/near/id/membership/JP-32")
    blank = [t for t in membership if isinstance(t.subject, ox.BlankNode)]
    assert len(blank) == 1  # the interval, one level of blank nodes


def test_export_equals_the_embedded_export(backend):
    for rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE):
        ours, theirs = io.BytesIO(), io.BytesIO()
        backend.store.export(ours, rdf_format)
        reference(backend).export(theirs, rdf_format)
        if rdf_format == ox.RdfFormat.N_QUADS:
            parsed = ox.parse(ours.getvalue(), format=rdf_format)
            expected = ox.parse(theirs.getvalue(), format=rdf_format)
            assert canonical(parsed) == canonical(expected)
        else:
            exported = len(list(ox.parse(ours.getvalue(), format=rdf_format)))
            assert exported == count_data(backend.store)


def test_a_second_process_sees_the_same_snapshot_and_follows_reloads(backend):
    replica = KnowledgeStore.open(backend.settings, validator=False)
    assert replica.snapshot.version == backend.store.snapshot.version
    if backend.remote:  # an in-memory embedded store is private to its process
        assert replica.snapshot.loaded_at == backend.store.snapshot.loaded_at
        # when the data last changed travels with it (HTTP's Last-Modified is made from it)
        assert replica.snapshot.changed_at is not None
        assert replica.snapshot.changed_at == backend.store.snapshot.changed_at
        write_dataset(backend.dataset, {"data/turtle/more.ttl": "<http://ex/a> <http://ex/b> 1 ."})
        backend.store.reload()
        assert replica.snapshot.version == backend.store.snapshot.version
        assert count(replica) == count(backend.store)


def test_failed_reload_keeps_the_published_data(backend):
    before = (backend.store.snapshot.version, count(backend.store))
    write_dataset(backend.dataset, {"data/turtle/broken.ttl": "this is not turtle"})
    with pytest.raises(LoadError):
        backend.store.reload()
    assert (backend.store.snapshot.version, count(backend.store)) == before
    if backend.remote:  # and a replica starting now reads the previous version too
        assert KnowledgeStore.open(backend.settings).snapshot.version == before[0]


# -- service level -------------------------------------------------------------------------------


def test_healthz(backend):
    body = backend.client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["triples"] == count_data(backend.store)
    assert body["data_version"] == backend.store.snapshot.version
    assert body["loaded_at"] == backend.store.snapshot.loaded_at.isoformat()


def test_home_page_lists_graphs_with_counts(backend):
    page = backend.client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    for info in backend.store.snapshot.graphs:
        assert info.iri in page and info.file in page


def test_query_output_renders_the_same_on_every_backend(backend):
    from service.cli import query_output

    ours, theirs = io.BytesIO(), io.BytesIO()
    query = LABELS + " ORDER BY ?label"
    subs = {"this": ox.NamedNode(JP32)}
    query_output.write(backend.store.query(query, substitutions=subs), "csv", ours)
    query_output.write(reference(backend).query(query, substitutions=subs), "csv", theirs)
    assert ours.getvalue() == theirs.getvalue()
