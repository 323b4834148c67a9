"""What every page needs about every thing, computed once per data version.

Labels (preferred names per language, alternative names), the things in our URI space, the
parent of each thing (for breadcrumbs), and each graph's title and sources. Built from the
snapshot with fixed queries; cached until the data version changes.

Every IRI, language tag and predicate is held once (``_Strings``): the same IRI comes back
from each query as a new string, and at a million triples the copies were most of the index.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.memory import return_free_memory
from loaders.store import KnowledgeStore, Snapshot
from service.http.response_cache import data_stamp

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# kind -> predicates (local names in near:, or full IRIs) leading to the parent shown in
# breadcrumbs: back to the country, the conference or the body.
PARENT_PREDICATES: dict[str, tuple[str, ...]] = {
    "region": ("country",),
    "government": ("governs", "country"),
    "membership": (ORG + "member",),
    "participation": ("conference",),
    "agenda-item": ("conference",),
    "conference": ("inSeries",),
    "declaration": ("adoptedAt",),
    "resolution": ("declaration",),
    "body": (ORG + "unitOf",),
    "subcommittee": (ORG + "unitOf",),
    "coordination": ("subcommittee",),
    "figure": ("about",),
    "program": ("partnerOf", ORG + "unitOf"),
}

# kinds whose things are records of a relation; they are described with the things they link
RECORD_KINDS = frozenset(
    {"membership", "participation", "coordination", "resolution", "agenda-item", "figure"}
)


# the label statements kept made (label_triples): the most linked things are met first; a
# bound keeps a crawl of a million-triple dataset from making a copy of every label
LABEL_TRIPLES_KEPT = 2_000


@dataclass
class EntityIndex:
    base: str
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # iri -> lang -> label
    label_predicates: dict[str, str] = field(default_factory=dict)  # iri -> predicate used
    alt_labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    things: list[str] = field(default_factory=list)  # sorted IRIs in {base}id/
    thing_set: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()  # the kinds of the things (``region``...)
    all_kinds: frozenset[str] | None = None  # and those of the model (linked_data.things)
    parents: dict[str, str] = field(default_factory=dict)
    graph_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    graph_sources: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    distinct_subjects: int = 0  # of every graph a query sees by default (VoID)
    _label_triples: dict[str, tuple[ox.Triple, ...]] = field(default_factory=dict, repr=False)
    # (iri, language) -> the label shown (service.linked_data.labels.label_of)
    chosen_labels: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @property
    def thing_prefix(self) -> str:
        return self.base + "id/"

    def kind_and_key(self, iri: str) -> tuple[str, str] | None:
        if not iri.startswith(self.thing_prefix):
            return None
        kind, _, key = iri[len(self.thing_prefix) :].partition("/")
        return (kind, key) if key else None

    def things_of_kind(self, kind: str) -> list[str]:
        prefix = f"{self.thing_prefix}{kind}/"
        return [iri for iri in self.things if iri.startswith(prefix)]

    def label_triples(self, iri: str) -> tuple[ox.Triple, ...]:
        """The statements naming ``iri`` that an entity document linking to it carries (its
        labels of the best kind, every language, in order), made once per data version: the
        same countries, kinds and bodies are linked from thousands of documents."""
        made = self._label_triples.get(iri)
        if made is None:
            predicate = self.label_predicates.get(iri)
            made = ()
            if predicate is not None:
                subject, named = ox.NamedNode(iri), ox.NamedNode(predicate)
                made = tuple(
                    ox.Triple(subject, named, ox.Literal(text, language=lang or None))
                    for lang, text in sorted(self.labels.get(iri, {}).items())
                )
            if len(self._label_triples) < LABEL_TRIPLES_KEPT:  # a race: the same tuple twice
                self._label_triples[iri] = made
        return made

    def breadcrumbs(self, iri: str, depth: int = 5) -> list[str]:
        """Ancestors, the farthest first (e.g. country, region for a government)."""
        trail: list[str] = []
        current = self.parents.get(iri)
        while current and current not in trail and current != iri and len(trail) < depth:
            trail.insert(0, current)
            current = self.parents.get(current)
        return trail


_cache: dict[int, tuple[tuple[str, str], EntityIndex]] = {}
_lock = threading.Lock()


def index_for(store: KnowledgeStore, snapshot: Snapshot) -> EntityIndex:
    """The index of this snapshot (built on first use, then reused)."""
    key = id(store)
    cached = _cache.get(key)
    stamp = data_stamp(snapshot)
    if cached and cached[0] == stamp:
        return cached[1]
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
        _cache.pop(key, None)  # the previous version's index goes before the next is built
        index = build_index(store, snapshot)
        _cache[key] = (stamp, index)
        return_free_memory()  # the query rows and the string table, ~20 MB at 1M triples
        return index


def _rows(store: KnowledgeStore, snapshot: Snapshot, sparql: str):
    return store.query(sparql, snapshot=snapshot, in_process=True)  # once per snapshot


class _Strings(dict):
    """One copy of each string: ``strings(text)`` is the first string equal to ``text``."""

    def __call__(self, text: str) -> str:
        return self.setdefault(text, text)


def build_index(store: KnowledgeStore, snapshot: Snapshot) -> EntityIndex:
    base = snapshot.base
    index = EntityIndex(base=base)
    near = base + "def#"
    one = _Strings()
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    # preferred labels win over rdfs:label, which wins over titles
    for predicate in (DCTERMS + "title", RDFS + "label", SKOS + "prefLabel"):
        for row in _rows(store, snapshot, f"SELECT ?s ?l WHERE {{ ?s <{predicate}> ?l }}"):
            subject, literal = row["s"], row["l"]
            if isinstance(subject, ox.NamedNode) and isinstance(literal, ox.Literal):
                iri = one(subject.value)
                if index.label_predicates.get(iri) != predicate:
                    labels[iri] = {}  # a better kind of label replaces the others
                    index.label_predicates[iri] = predicate
                labels[iri][one(literal.language or "")] = literal.value
    index.labels = dict(labels)
    for row in _rows(store, snapshot, f"SELECT ?s ?l WHERE {{ ?s <{SKOS}altLabel> ?l }}"):
        if isinstance(row["s"], ox.NamedNode):
            index.alt_labels[one(row["s"].value)].append(row["l"].value)
    things = set()
    for row in _rows(store, snapshot, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"):
        subject = row["s"]
        index.distinct_subjects += 1
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(index.thing_prefix):
            things.add(one(subject.value))
    index.things = sorted(things)
    index.thing_set = frozenset(things)
    index.kinds = frozenset(kk[0] for kk in map(index.kind_and_key, index.things) if kk)
    _index_parents(store, snapshot, index, near, one)
    for graph in snapshot.graphs:
        index.graph_titles[graph.iri] = labels.get(graph.iri, {})
    for row in _rows(
        store,
        snapshot,
        f"SELECT ?g ?src WHERE {{ ?g <{PROV}wasDerivedFrom> ?src }} ORDER BY ?g ?src",
    ):
        if isinstance(row["src"], ox.NamedNode):
            index.graph_sources[row["g"].value].append(row["src"].value)
    return index


def _index_parents(store, snapshot, index: EntityIndex, near: str, one: _Strings) -> None:
    predicates = {p if "://" in p else near + p for ps in PARENT_PREDICATES.values() for p in ps}
    found: dict[tuple[str, str], str] = {}
    for predicate in sorted(predicates):
        query = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?o)) }}"
        for row in _rows(store, snapshot, query):
            found.setdefault((one(row["s"].value), predicate), one(row["o"].value))
    for iri in index.things:
        kind_key = index.kind_and_key(iri)
        if not kind_key:
            continue
        for name in PARENT_PREDICATES.get(kind_key[0], ()):
            parent = found.get((iri, name if "://" in name else near + name))
            if parent:
                index.parents[iri] = parent
                break
