"""KnowledgeStore.matching_quads: an entity document's statements read by pattern. The embedded
store reads its indexes; the general way (a remote store's) is one SELECT. Both must give the
quads of the data and ontology graphs, never the shapes'."""

import pyoxigraph as ox

from loaders.backends import Backend
from loaders.settings import Settings
from loaders.store import KnowledgeStore

JP32 = ox.NamedNode("https://w3id.org/near/id/region/JP-32")
REGION = ox.NamedNode("https://w3id.org/near/def#Region")
REGION_SHAPE = ox.NamedNode("https://w3id.org/near/def#RegionShape")


def loaded(settings: Settings) -> KnowledgeStore:
    store = KnowledgeStore(settings, validator=False)
    store.reload()
    return store


def by_query(store: KnowledgeStore, **pattern) -> set[ox.Quad]:
    """The general implementation (a SELECT), run on the same embedded store."""
    subject, obj = pattern.get("subject"), pattern.get("obj")
    return set(Backend.matching_quads(store.backend, store.snapshot, subject, obj))


def test_by_subject_and_by_object_match_the_query(tiny_settings):
    store = loaded(tiny_settings)
    for pattern in ({"subject": JP32}, {"obj": JP32}, {"obj": REGION}, {"subject": REGION}):
        assert set(store.matching_quads(**pattern)) == by_query(store, **pattern), pattern
    own = set(store.matching_quads(subject=JP32))
    assert {q.subject for q in own} == {JP32}
    expected = set(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                             substitutions={"s": JP32}))  # fmt: skip
    assert {q.triple for q in own} == expected
    incoming = set(store.matching_quads(obj=REGION))
    assert {q.subject for q in incoming} == {JP32}  # not the shape targeting the class
    assert {q.object for q in incoming} == {REGION}


def test_the_shapes_graphs_are_left_out(tiny_settings):
    store = loaded(tiny_settings)
    in_store = list(store.snapshot.store.quads_for_pattern(REGION_SHAPE, None, None, None))
    assert in_store, "the shape is in the store (its own graph)"
    assert list(store.matching_quads(subject=REGION_SHAPE)) == []
    assert by_query(store, subject=REGION_SHAPE) == set()
