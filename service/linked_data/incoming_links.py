"""The statements pointing to a much-linked thing, kept, counted and ordered by name once per
data version, so that its page reads only the 50 "Linked from" values it shows.

A country at 100k triples is the object of thousands of statements; turning each into a
``Statement`` and ordering them all by name on every page was a quarter of a reader's CPU.
For a thing with more than ``KEPT_FROM`` of them, ``describe`` (given a ``KeptIncoming``)
reads them once and keeps them here as compact arrays (positions in the entity index's
sorted things, predicates and graphs as small numbers); the page then asks for one
language's order (made once per language, then kept) and makes values for its window only.

Memory is bounded: at most ``KEPT_BYTES`` of arrays per data version (an estimate per entry),
the first things asked for kept, the rest read from the store as before.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from dataclasses import dataclass, field

from loaders.string_table import SortedStrings

KEPT_FROM = 200  # incoming statements from which a thing's are kept
KEPT_BYTES = 16 * 1024 * 1024  # of arrays per data version (a country at 100k: ~40 kB)


@dataclass
class IncomingGroup:
    """One predicate's statements in a language's order: subjects and graphs by number."""

    predicate: str
    subjects: array  # positions (``Incoming.subject``)
    graphs: array  # positions in ``Incoming.graphs``


@dataclass
class Incoming:
    """The statements pointing to one thing from named subjects, in the store's order."""

    iri: str
    things: SortedStrings  # the entity index's things (shared, not copied)
    others: tuple[str, ...]  # subjects outside them (position -1 - i)
    predicates: tuple[str, ...]
    graphs: tuple[str | None, ...]
    subject_of: array
    predicate_of: array
    graph_of: array
    blank: list  # statements from blank nodes (the thing's own, ``describe`` adds them)
    records: frozenset[str]  # the subjects that are records (``describe`` lists them)
    _orders: dict[str, list[IncomingGroup]] = field(default_factory=dict, repr=False)
    _ordered: dict[tuple, list[IncomingGroup]] = field(default_factory=dict, repr=False)

    def subject(self, position: int) -> str:
        return self.things[position] if position >= 0 else self.others[-1 - position]

    def size(self) -> int:
        """Bytes, roughly: the arrays, and those of the orders of six languages."""
        return 72 * len(self.subject_of) + 128 * (len(self.others) + len(self.blank)) + 512

    def window(self, group: IncomingGroup, window: slice) -> list[tuple[str, str | None]]:
        """(subject, graph) of the statements of ``group`` inside ``window``."""
        return [
            (self.subject(s), self.graphs[g])
            for s, g in zip(group.subjects[window], group.graphs[window], strict=True)
        ]

    def order(self, lang: str, order_key) -> list[IncomingGroup]:
        """Every statement grouped by predicate (in order of first appearance), each group
        ordered by ``order_key(subject)`` (a stable sort: ties keep the store's order); made
        once per language and kept."""
        made = self._orders.get(lang)
        if made is None:
            members: dict[int, list[int]] = {}
            for n in range(len(self.subject_of)):
                members.setdefault(self.predicate_of[n], []).append(n)
            made = []
            for predicate, statements in members.items():
                statements.sort(key=lambda n: order_key(self.subject(self.subject_of[n])))
                made.append(
                    IncomingGroup(
                        self.predicates[predicate],
                        array("l", (self.subject_of[n] for n in statements)),
                        array("l", (self.graph_of[n] for n in statements)),
                    )
                )
            self._orders[lang] = made
        return made

    def ordered(self, lang: str, left_out: frozenset[str], order_key) -> list[IncomingGroup]:
        """``order(lang)`` without the statements from ``left_out`` subjects (a group left
        empty is dropped), kept per language and ``left_out``: compared by position, so the
        subjects are not read again."""
        key = (lang, left_out)
        made = self._ordered.get(key)
        if made is None:
            full = self.order(lang, order_key)
            # positions as ``keep`` numbers them: in the things (find's -1: not there), else
            # among the others
            out = {p for p in map(self.things.find, left_out) if p >= 0}
            out.update(-1 - i for i, subject in enumerate(self.others) if subject in left_out)
            made = []
            for group in full:
                keep = [n for n, position in enumerate(group.subjects) if position not in out]
                if keep:
                    made.append(
                        IncomingGroup(
                            group.predicate,
                            array("l", (group.subjects[n] for n in keep)),
                            array("l", (group.graphs[n] for n in keep)),
                        )
                    )
            self._ordered[key] = made
        return made


class KeptIncoming:
    """The ``Incoming`` of the much-linked things of one data version (``kept_for(index)``)."""

    def __init__(self, things: SortedStrings) -> None:
        self.things = things
        self._kept: dict[str, Incoming] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, iri: str) -> Incoming | None:
        return self._kept.get(iri)

    def keep(self, iri: str, named: list, blank: list, records: frozenset[str]) -> None:
        """Keep ``named`` (``Statement``s pointing to ``iri`` from named subjects, already
        unique) if there are enough of them and there is room."""
        if len(named) <= KEPT_FROM:
            return
        others: dict[str, int] = {}
        predicates: dict[str, int] = {}
        graphs: dict[str | None, int] = {}
        subject_of, predicate_of, graph_of = array("l"), array("l"), array("l")
        for statement in named:
            subject = statement.subject.value
            position = self.things.find(subject)
            if position < 0:
                position = -1 - others.setdefault(subject, len(others))
            subject_of.append(position)
            predicate_of.append(predicates.setdefault(statement.predicate.value, len(predicates)))
            graph_of.append(graphs.setdefault(statement.graph, len(graphs)))
        found = Incoming(
            iri, self.things, tuple(others), tuple(predicates), tuple(graphs),
            subject_of, predicate_of, graph_of, list(blank), records,
        )  # fmt: skip
        with self._lock:
            if iri in self._kept or self._bytes + found.size() > KEPT_BYTES:
                return
            self._kept[iri] = found
            self._bytes += found.size()


_kept: dict[int, KeptIncoming] = {}


def kept_for(index) -> KeptIncoming:
    """The kept incoming statements of an entity index's data version (dropped with it)."""
    found = _kept.get(id(index))
    if found is None:
        found = _kept[id(index)] = KeptIncoming(index.things)
        weakref.finalize(index, _kept.pop, id(index), None)
    return found
