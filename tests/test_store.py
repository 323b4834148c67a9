import pyoxigraph as ox
import pytest

from loaders.loading import LoadError
from loaders.settings import Settings
from loaders.store import KnowledgeStore

from .conftest import TINY_DATA, describe, exists, write_dataset

JP32 = "https://w3id.org/near/id/region/JP-32"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(store: KnowledgeStore, *, everything: bool = False) -> int:
    """Triples in the data and ontology graphs, or (``everything``) in the default graph."""
    data = None if everything else [g.value for g in store.snapshot.union_graphs]
    return int(next(iter(store.query(COUNT, default_graph=data)))["n"].value)


def loaded(settings: Settings) -> KnowledgeStore:
    store = KnowledgeStore(settings, validator=False)
    store.reload()
    return store


def test_default_graph_is_union_of_data_ontology_and_description_but_not_shapes(tiny_settings):
    store = loaded(tiny_settings)
    graphs = {g.folder: g for g in store.snapshot.graphs}
    assert set(graphs) == {"ontology", "data", "shapes", "description"}
    described = graphs["ontology"].triples + graphs["data"].triples
    assert store.snapshot.triples == described  # the description is not counted as data
    assert count(store) == described
    assert count(store, everything=True) == described + graphs["description"].triples
    shapes_visible = store.query("ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }")
    assert not bool(shapes_visible)
    in_named = store.query(
        "ASK { GRAPH <https://w3id.org/near/graph/shapes/near> "
        "{ ?s a <http://www.w3.org/ns/shacl#NodeShape> } }"
    )
    assert bool(in_named)


def test_default_graph_can_be_narrowed_to_named_graphs(tiny_settings):
    store = loaded(tiny_settings)
    only_ontology = store.query(COUNT, default_graph=["https://w3id.org/near/graph/ontology/near"])
    assert int(next(iter(only_ontology))["n"].value) == 2


def test_user_terms_are_bound_not_pasted(tiny_settings):
    store = loaded(tiny_settings)
    query = (
        "SELECT ?label ?this WHERE { ?this <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
    )
    with pytest.raises(ValueError):  # not an IRI: refused before any query is built
        ox.NamedNode("https://w3id.org/near/id/region/x> ?p ?o } #")
    hostile = ox.Literal('"} ?this ?p ?o { #')
    assert list(store.query(query, substitutions={"this": hostile})) == []
    labels = {
        s["label"].value for s in store.query(query, substitutions={"this": ox.NamedNode(JP32)})
    }
    assert labels == {"Shimane Prefecture", "島根県"}


def test_describe_returns_own_and_incoming_triples(tiny_dataset):
    government = "https://w3id.org/near/id/government/JP-32"
    extra = f"<{government}> <https://w3id.org/near/def#governs> <{JP32}> .\n"
    write_dataset(tiny_dataset, {"data/turtle/governments.ttl": extra})
    store = loaded(Settings.from_env({}, data_dir=tiny_dataset))
    triples = describe(store, JP32)
    subjects = {t.subject.value for t in triples}
    assert subjects == {JP32, "https://w3id.org/near/id/government/JP-32"}
    assert exists(store, JP32)
    assert not exists(store, JP32 + "-nope")


def test_syntax_error_names_file_line_and_column(tiny_dataset):
    write_dataset(
        tiny_dataset,
        {"data/turtle/broken.ttl": '@prefix ex: <http://ex/> .\n\nex:a ex:b "oops .\n'},
    )
    store = KnowledgeStore(Settings.from_env({}, data_dir=tiny_dataset), validator=False)
    with pytest.raises(LoadError) as caught:
        store.reload()
    error = caught.value
    assert error.file == "data/turtle/broken.ttl"
    assert error.line == 3
    assert str(error).startswith("data/turtle/broken.ttl:3:")
    assert error.exit_code == 2


def test_reload_is_atomic_good_then_bad_then_good(tiny_dataset):
    settings = Settings.from_env({}, data_dir=tiny_dataset)
    store = loaded(settings)
    first = store.snapshot
    before = count(store)

    write_dataset(tiny_dataset, {"data/turtle/broken.ttl": "this is not turtle"})
    with pytest.raises(LoadError):
        store.reload()
    assert store.snapshot is first
    assert count(store) == before

    write_dataset(
        tiny_dataset, {"data/turtle/broken.ttl": "<http://ex/a> <http://ex/b> <http://ex/c> ."}
    )
    store.reload()
    assert count(store) == before + 1
    assert store.snapshot.version != first.version


def test_version_follows_content_not_reload_count(tiny_settings):
    store = loaded(tiny_settings)
    version = store.snapshot.version
    store.reload()
    assert store.snapshot.version == version  # same data, same version: caches and replicas agree


def test_configured_base_rewrites_our_iris_only(tiny_dataset):
    settings = Settings.from_env({"NEARKG_BASE": "http://127.0.0.1:9/near/"}, data_dir=tiny_dataset)
    store = loaded(settings)
    assert exists(store, "http://127.0.0.1:9/near/id/region/JP-32")
    assert not exists(store, JP32)
    graphs = {g.iri for g in store.snapshot.graphs}
    assert "http://127.0.0.1:9/near/graph/data/regions" in graphs
    # IRIs outside the base (skos, rdfs) are untouched
    assert bool(store.query("ASK { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }"))


def test_on_disk_store_publishes_generations_that_other_processes_see(tiny_dataset, tmp_path):
    store_path = tmp_path / "store"
    settings = Settings.from_env(
        {"NEARKG_RELOAD_CHECK_SECONDS": "0"}, data_dir=tiny_dataset, store_path=store_path
    )
    writer = loaded(settings)
    reader = KnowledgeStore.open(settings, validator=False)  # opens the generation read-only
    assert count(reader) == count(writer)

    write_dataset(
        tiny_dataset, {"data/turtle/more.ttl": "<http://ex/a> <http://ex/b> <http://ex/c> ."}
    )
    writer.reload()
    assert count(reader) == count(writer)  # the reader noticed the new CURRENT generation
    assert len(list(store_path.glob("gen-*"))) <= 2


def test_open_serves_what_is_published_and_never_publishes(tiny_dataset, tmp_path):
    settings = Settings.from_env({}, data_dir=tiny_dataset, store_path=tmp_path / "store")
    first = loaded(settings)
    again = KnowledgeStore.open(settings, validator=False)
    assert again.snapshot.generation == first.snapshot.generation
    assert not again.checkout_differs()
    current = (tmp_path / "store" / "CURRENT").read_text()
    write_dataset(
        tiny_dataset,
        {"data/turtle/regions.ttl": TINY_DATA + "\n# changed\n<http://ex/a> <http://ex/b> 1 ."},
    )
    changed = KnowledgeStore.open(settings, validator=False)
    # the files changed: still the published data, and the difference is noticed
    assert changed.snapshot.generation == first.snapshot.generation
    assert changed.checkout_differs()
    assert (tmp_path / "store" / "CURRENT").read_text() == current


def test_failed_on_disk_load_leaves_current_generation(tiny_dataset, tmp_path):
    settings = Settings.from_env({}, data_dir=tiny_dataset, store_path=tmp_path / "store")
    store = loaded(settings)
    current = (tmp_path / "store" / "CURRENT").read_text()
    write_dataset(tiny_dataset, {"data/turtle/broken.ttl": "@prefix : <x> . :a :b"})
    with pytest.raises(LoadError):
        KnowledgeStore(settings, validator=False).reload()
    assert (tmp_path / "store" / "CURRENT").read_text() == current
    assert count(store) > 0
    assert len(list((tmp_path / "store").glob("gen-*"))) == 1
