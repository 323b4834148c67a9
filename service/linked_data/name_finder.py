"""The name matcher over every thing of a data version (built once per version, like the
entity index), and how a hit is shown: the label in the reader's language and, beside it,
the other name in the query's script.

Search, suggest and /reconcile all find things through ``finder()``.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from loaders.names import NameKeys, NameMatcher, Thing, script_of
from loaders.page_headings import load_table
from loaders.store import KnowledgeStore, Snapshot
from loaders.string_table import StringMap, Tags
from service.http import context
from service.linked_data.entity_index import RECORD_KINDS, EntityIndex, index_for
from service.linked_data.labels import label_of

T = TypeVar("T")

# the languages a query's script suggests, the likeliest first
SCRIPT_LANGUAGES = {
    "latin": ("en",),
    "hangul": ("ko",),
    "kana": ("ja",),
    "han": ("ja", "zh"),
    "cyrillic": ("ru", "mn"),
}


class PerVersion(Generic[T]):
    """A value computed from the entity index once per data version (the previous version's
    value goes when the next is built, like the index itself). ``nearkg serve`` builds it in
    the master before the workers fork (``prepare``), so no first request waits for it."""

    def __init__(self, build: Callable[[KnowledgeStore, Snapshot, EntityIndex], T]) -> None:
        self.build = build
        self.builds = 0  # how many times it was built in this process (tests read it)
        self._value: tuple[EntityIndex, T] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        """The value of the data version the request reads."""
        return self.prepare(context.store(), context.snapshot())

    def prepare(self, store: KnowledgeStore, snapshot: Snapshot) -> T:
        """The value of ``snapshot``, built now unless it was already."""
        index = index_for(store, snapshot)
        value = self._value
        if value is None or value[0] is not index:
            with self._lock:
                value = self._value
                if value is None or value[0] is not index:
                    self._value = None
                    value = self._value = (index, self.build(store, snapshot, index))
                    self.builds += 1
        return value[1]


# centrality: how many statements point at a thing (a conference: its agenda items,
# participations, declaration; a region: its government, participations, figures ...)
IN_DEGREE = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o)) } GROUP BY ?o"
# names for search only (kana readings: data/turtle/readings.ttl)
HIDDEN = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#hiddenLabel> ?l }"


def _rows(store: KnowledgeStore, snapshot: Snapshot, sparql: str):
    # in this process, like the entity index: built once per version, possibly before the fork
    return store.query(sparql, snapshot=snapshot, in_process=True)


class IndexThings(Sequence[Thing]):
    """The things of the entity index as the matcher's ``Thing``s, each made when it is
    asked for (a hit), not held: at two million triples a ``Thing`` per thing was 600 MB."""

    def __init__(self, index: EntityIndex, hidden: StringMap, children: array) -> None:
        self.entities, self.hidden, self.children = index, hidden, children
        # where each thing's labels, alternative and hidden names are in their tables (-1:
        # none), found once by walking the sorted tables side by side: a hit then makes its
        # Thing without a lookup (4 bytes per thing and table)
        labels, alternatives = index.labels, index.alt_labels
        self._labels = labels.positions_of(index.things)  # type: ignore[attr-defined]
        self._alternatives = alternatives.positions_of(index.things)  # type: ignore[attr-defined]
        self._hidden = hidden.positions_of(index.things)

    def __len__(self) -> int:
        return len(self.entities.things)

    def __getitem__(self, number):  # type: ignore[override]
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        index = self.entities
        iri = index.things[number]
        kind, key = index.kind_and_key(iri) or ("", "")
        at = self._labels[number]
        labels = index.labels.value_at(at) if at >= 0 else {}  # type: ignore[attr-defined]
        names = [(text, language) for language, text in labels.items()]
        at = self._alternatives[number]
        if at >= 0:
            names += [(text, "") for text in index.alt_labels.value_at(at)]  # type: ignore[attr-defined]
        at = self._hidden[number]
        if at >= 0:
            names += [(text, HIDDEN_LANGUAGES[tag]) for tag, text in self.hidden.value_at(at)]
        names.append((key, ""))
        record, children = kind in RECORD_KINDS, self.children[number]
        return Thing(iri, kind, names, labels, record, children, {"key": key})


HIDDEN_LANGUAGES: Tags[str] = Tags()


def build_matcher(store: KnowledgeStore, snapshot: Snapshot, index: EntityIndex) -> NameMatcher:
    """Every thing of the index with its labels, alternative and hidden names and key."""
    degrees = {row["o"].value: int(row["n"].value) for row in _rows(store, snapshot, IN_DEGREE)}
    children = array("I", (degrees.get(iri, 0) for iri in index.things))
    del degrees
    hidden: dict[str, list[tuple[int, str]]] = {}
    for row in _rows(store, snapshot, HIDDEN):
        name = (HIDDEN_LANGUAGES(row["l"].language or ""), row["l"].value)
        hidden.setdefault(row["s"].value, []).append(name)
    things = IndexThings(index, StringMap(hidden, list), children)
    return NameMatcher(things, NameKeys.from_table(load_table()))


def other_name(hit, index: EntityIndex, query: str, lang: str) -> str | None:
    """The name shown beside a hit's label: the name that matched when it is in the query's
    script, else the thing's label in a language written in that script; none if it would
    repeat the label."""
    shown = label_of(index, hit.thing.iri, lang)
    script = script_of(query)
    if script and script_of(hit.name) == script:
        other = hit.name
    else:
        languages = SCRIPT_LANGUAGES.get(script, ())
        if hit.language in languages:
            languages = (hit.language, *languages)
        other = next((hit.thing.preferred[x] for x in languages if x in hit.thing.preferred), None)
    return other if other and other != shown else None


finder = PerVersion(build_matcher)  # finder(): the matcher of the current data version
