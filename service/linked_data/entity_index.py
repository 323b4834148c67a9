"""What every page needs about every thing, computed once per data version.

Labels (preferred names per language, alternative names), the things in our URI space, the
parent of each thing (for breadcrumbs), and each graph's title and sources. Built from the
snapshot with fixed queries; cached until the data version changes.

The tables are strings in bytes (``loaders.string_table``), not Python objects: at two
million triples dicts of strings made the index 290 MB, which reference counting then copied
into every forked worker. ``labels``, ``alt_labels`` and ``parents`` read as mappings and
``things`` as a sorted sequence (``in`` bisects it); each value is made when it is asked for.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.memory import return_free_memory
from loaders.store import KnowledgeStore, Snapshot
from loaders.string_table import SortedStrings, StringMap, Tags
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


# the label statements kept made (label_triples), the oldest made dropped first past the bound:
# an ox.Triple with a literal costs about 3 µs to make, and a crawl links the same things from
# thousands of documents; about 800 bytes a thing, so the bound keeps a worker's copy near
# 13 MB however large the data (at 100k triples every linked thing fits; issue 22)
LABEL_TRIPLES_KEPT = 16_384
_LABEL_TRIPLES_WRITE = threading.Lock()


def _label_dict(pairs: list[tuple[int, str]]) -> dict[str, str]:
    return {LABEL_TAGS[tag][1]: text for tag, text in pairs}


def _texts(pairs: list[tuple[int, str]]) -> list[str]:
    return [text for _, text in pairs]


def _first(pairs: list[tuple[int, str]]) -> str:
    return pairs[0][1]


# a label's tag in the index: (the predicate it was stated with, its language); shared by all
# versions of the index, a few dozen pairs
LABEL_TAGS: Tags[tuple[str, str]] = Tags()


class _LabelPredicates(Mapping[str, str]):
    """iri -> the predicate its labels were stated with (read from the labels' tags)."""

    def __init__(self, labels: StringMap) -> None:
        self._labels = labels

    def __getitem__(self, iri: str) -> str:
        pairs = self._labels.pairs(iri)
        if not pairs:
            raise KeyError(iri)
        return LABEL_TAGS[pairs[0][0]][0]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


_EMPTY: StringMap = StringMap({}, _texts)


@dataclass
class EntityIndex:
    base: str
    # iri -> lang -> label
    labels: Mapping[str, dict[str, str]] = field(default_factory=lambda: _EMPTY)
    alt_labels: Mapping[str, list[str]] = field(default_factory=lambda: _EMPTY)
    things: SortedStrings = field(default_factory=SortedStrings)  # sorted IRIs in {base}id/
    kinds: frozenset[str] = frozenset()  # the kinds of the things (``region``...)
    all_kinds: frozenset[str] | None = None  # and those of the model (linked_data.things)
    parents: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    graph_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    graph_sources: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _label_triples: dict[str, tuple[ox.Triple, ...]] = field(default_factory=dict, repr=False)
    # (iri, language) -> the label shown and its language (service.linked_data.labels)
    chosen_labels: dict[tuple[str, str], tuple[str, str | None]] = field(
        default_factory=dict, repr=False
    )

    @property
    def thing_set(self) -> SortedStrings:
        """The things, for ``in`` (a bisection of the sorted table)."""
        return self.things

    @property
    def label_predicates(self) -> Mapping[str, str]:
        return _LabelPredicates(self.labels)  # type: ignore[arg-type]

    @property
    def nbytes(self) -> int:
        """The bytes of the per-thing tables (what grows with the data)."""
        tables = (self.labels, self.alt_labels, self.things, self.parents)
        return sum(getattr(table, "nbytes", 0) for table in tables)

    @property
    def thing_prefix(self) -> str:
        return self.base + "id/"

    def kind_and_key(self, iri: str) -> tuple[str, str] | None:
        if not iri.startswith(self.thing_prefix):
            return None
        kind, _, key = iri[len(self.thing_prefix) :].partition("/")
        return (kind, key) if key else None

    def things_of_kind(self, kind: str) -> list[str]:
        return [self.things[i] for i in self.things.starting_with(f"{self.thing_prefix}{kind}/")]

    def label_triples(self, iri: str) -> tuple[ox.Triple, ...]:
        """The statements naming ``iri`` that an entity document linking to it carries (its
        labels of the best kind, every language, in order), made once per data version: the
        same countries, kinds and bodies are linked from thousands of documents."""
        made = self._label_triples.get(iri)
        if made is None:
            labels = self.labels.get(iri, {})
            made = ()
            if labels:
                predicate = self.label_predicates[iri]
                subject, named = ox.NamedNode(iri), ox.NamedNode(predicate)
                made = tuple(
                    ox.Triple(subject, named, ox.Literal(text, language=lang or None))
                    for lang, text in sorted(labels.items())
                )
            kept = self._label_triples
            with _LABEL_TRIPLES_WRITE:  # readers only get(): iteration happens here alone
                while len(kept) >= LABEL_TRIPLES_KEPT:
                    del kept[next(iter(kept))]
                kept[iri] = made
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


def build_index(store: KnowledgeStore, snapshot: Snapshot) -> EntityIndex:
    base = snapshot.base
    index = EntityIndex(base=base)
    near = base + "def#"
    # iri -> (predicate, {language: label}): preferred labels win over rdfs:label, which wins
    # over titles (a row at a time; the tables below are made from these once)
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for predicate in (DCTERMS + "title", RDFS + "label", SKOS + "prefLabel"):
        for row in _rows(store, snapshot, f"SELECT ?s ?l WHERE {{ ?s <{predicate}> ?l }}"):
            subject, literal = row["s"], row["l"]
            if isinstance(subject, ox.NamedNode) and isinstance(literal, ox.Literal):
                held = found.get(subject.value)
                if held is None or held[0] != predicate:
                    held = found[subject.value] = (predicate, {})  # a better kind replaces
                held[1][literal.language or ""] = literal.value
    index.labels = StringMap(
        {
            iri: [(LABEL_TAGS((predicate, lang)), text) for lang, text in labels.items()]
            for iri, (predicate, labels) in found.items()
        },
        _label_dict,
    )
    del found
    alternatives: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _rows(store, snapshot, f"SELECT ?s ?l WHERE {{ ?s <{SKOS}altLabel> ?l }}"):
        if isinstance(row["s"], ox.NamedNode):
            alternatives[row["s"].value].append((0, row["l"].value))
    index.alt_labels = StringMap(alternatives, _texts)
    del alternatives
    index.things = SortedStrings(_things(store, snapshot, index))
    index.kinds = frozenset(kk[0] for kk in map(index.kind_and_key, index.things) if kk)
    index.parents = _parents(store, snapshot, index, near)
    for graph in snapshot.graphs:
        index.graph_titles[graph.iri] = index.labels.get(graph.iri, {})
    for row in _rows(
        store,
        snapshot,
        f"SELECT ?g ?src WHERE {{ ?g <{PROV}wasDerivedFrom> ?src }} ORDER BY ?g ?src",
    ):
        if isinstance(row["src"], ox.NamedNode):
            index.graph_sources[row["g"].value].append(row["src"].value)
    return index


def _things(store: KnowledgeStore, snapshot: Snapshot, index: EntityIndex):
    """The IRIs in our URI space that are subjects."""
    for row in _rows(store, snapshot, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"):
        subject = row["s"]
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(index.thing_prefix):
            yield subject.value


def _parents(store, snapshot, index: EntityIndex, near: str) -> StringMap:
    predicates = {p if "://" in p else near + p for ps in PARENT_PREDICATES.values() for p in ps}
    found: dict[str, dict[str, str]] = defaultdict(dict)  # thing -> predicate -> object
    for predicate in sorted(predicates):
        query = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o FILTER(isIRI(?o)) }}"
        for row in _rows(store, snapshot, query):
            found[row["s"].value].setdefault(predicate, row["o"].value)
    parents: dict[str, list[tuple[int, str]]] = {}
    for iri, objects in found.items():
        kind_key = index.kind_and_key(iri)  # a subject in our URI space: one of the things
        if not kind_key:
            continue
        for name in PARENT_PREDICATES.get(kind_key[0], ()):
            parent = objects.get(name if "://" in name else near + name)
            if parent:
                parents[iri] = [(0, parent)]
                break
    return StringMap(parents, _first)
