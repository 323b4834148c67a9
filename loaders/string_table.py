"""Strings kept as bytes, not as Python objects: what the per-version indexes are made of.

A Python ``str`` costs about 50 bytes before its text, a list slot 8 more, a dict entry ~100;
at two million triples the entity index and the name matcher held millions of them (1.3 GB in
the master, and again in every forked worker as reference counting touched their pages). Here
every string of a table is UTF-8 in one ``bytes`` blob with a 4-byte end offset: a Python
object only exists while a caller holds a looked-up value.

``StringList`` keeps strings in the order given; ``SortedStrings`` keeps them distinct and in
code point order (UTF-8 bytes sort the same way) and finds one through a table of 4-byte
slots addressed by the string's CRC-32 (open addressing; bisection with a Python key cost
about 20 slices per lookup, a third of an entity document's CPU at a million triples);
``StringMap``
maps each key of a ``SortedStrings`` to a run of (tag, value) pairs, the tag a small integer
the caller gives meaning to (a language, a predicate, a property: see ``Tags``);
``KeyedNumbers`` maps each key to a run of numbers (the entries of a name index).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar, cast
from zlib import crc32

V = TypeVar("V")
T = TypeVar("T")

# no UTF-8 text contains this byte: a prefix followed by it sorts after every string it begins
_AFTER_ALL = b"\xff"


class StringList(Sequence[str]):
    """Strings in the order given, stored as one UTF-8 blob and the end of each."""

    __slots__ = ("_blob", "_ends")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self._blob, self._ends = bytearray(), array("I")
        for text in strings:
            self.append(text)

    def append(self, text: str) -> None:
        """Add ``text`` at the end (while a table is built; it is read-only once shared)."""
        self._blob += text.encode()
        self._ends.append(len(self._blob))  # OverflowError past 4 GiB, never a wrong offset

    def __len__(self) -> int:
        return len(self._ends)

    def raw(self, position: int) -> bytes:
        """The UTF-8 bytes of the string at ``position`` (no ``str`` made)."""
        start = self._ends[position - 1] if position else 0
        # a bytearray's slice: compares and decodes as bytes do (not hashable)
        return cast(bytes, self._blob[start : self._ends[position]])

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        return self.raw(position).decode()

    def __iter__(self) -> Iterator[str]:
        blob, start = self._blob, 0
        for end in self._ends:
            yield blob[start:end].decode()
            start = end

    @property
    def nbytes(self) -> int:
        """The bytes the table holds (the blob and the offsets)."""
        return len(self._blob) + self._ends.itemsize * len(self._ends)


class SortedStrings(StringList):
    """Distinct strings in code point order; ``find`` and ``in`` look them up by hash,
    ``starting_with`` bisects the blob. Read-only once built."""

    __slots__ = ("_slots",)

    def __init__(self, strings: Iterable[str] = ()) -> None:
        super().__init__(sorted(set(strings)))
        self._slots = self._hash_slots()

    def _hash_slots(self) -> array:
        """Each string's position + 1 at its CRC-32 (modulo a power of two at least twice
        the count), or the next free slot after it; 0: free."""
        size = 8
        while size < 2 * len(self):
            size *= 2
        mask, slots = size - 1, array("I", bytes(4 * size))
        blob, start = self._blob, 0
        for position, end in enumerate(self._ends):
            at = crc32(blob[start:end]) & mask
            while slots[at]:
                at = (at + 1) & mask
            slots[at] = position + 1
            start = end
        return slots

    def append(self, text: str) -> None:
        if getattr(self, "_slots", None) is not None:
            raise TypeError("a SortedStrings is read-only once built")
        super().append(text)

    def find(self, text: str) -> int:
        """The position of ``text``, or -1."""
        if not isinstance(text, str):
            return -1
        try:
            target = text.encode()
        except UnicodeEncodeError:  # a lone surrogate (JSON's "\ud800"): no UTF-8 text here
            return -1
        slots = self._slots
        mask = len(slots) - 1
        at = crc32(target) & mask
        while held := slots[at]:
            if self.raw(held - 1) == target:
                return held - 1
            at = (at + 1) & mask
        return -1

    @property
    def nbytes(self) -> int:
        """The bytes the table holds (the blob, the offsets and the hash slots)."""
        return super().nbytes + self._slots.itemsize * len(self._slots)

    def __contains__(self, text: object) -> bool:
        return self.find(text) >= 0  # type: ignore[arg-type]

    def index(self, text: object, start: int = 0, stop: int | None = None) -> int:
        position = self.find(text)  # type: ignore[arg-type]
        if position < 0:
            raise ValueError(text)
        return position

    def starting_with(self, prefix: str) -> range:
        """The positions of the strings that begin with ``prefix`` (they are contiguous)."""
        head = prefix.encode()
        low = bisect_left(range(len(self)), head, key=self.raw)
        high = bisect_left(range(len(self)), head + _AFTER_ALL, lo=low, key=self.raw)
        return range(low, high)


class StringMap(Mapping[str, V], Generic[V]):
    """Each key -> a run of (tag, value) strings, shown through ``shape`` (e.g. a dict of
    language -> label). Read-only once built; built from key -> [(tag, value), ...]."""

    __slots__ = ("keys_", "_starts", "_tags", "_values", "_shape")

    def __init__(
        self,
        runs: Mapping[str, Sequence[tuple[int, str]]],
        shape: Callable[[list[tuple[int, str]]], V],
    ) -> None:
        self.keys_ = SortedStrings(runs)
        starts, tags = array("I", [0]), array("H")

        def values() -> Iterator[str]:
            for key in self.keys_:
                for tag, value in runs[key]:
                    tags.append(tag)
                    yield value
                starts.append(len(tags))

        self._values = StringList(values())
        self._starts, self._tags, self._shape = starts, tags, shape

    def pairs(self, key: str) -> list[tuple[int, str]]:
        """The (tag, value) run of ``key`` in the order given; [] for a key not held."""
        position = self.keys_.find(key)
        if position < 0:
            return []
        return self._run(position)

    def value_at(self, position: int) -> V:
        """The value of the key at ``position`` in ``keys_`` (no lookup)."""
        return self._shape(self._run(position))

    def positions_of(self, keys: StringList) -> array:
        """For each string of ``keys`` (sorted, as a ``SortedStrings`` is), its position in
        this map's keys or -1: one walk of both sorted tables, no lookup per key."""
        found, mine, at = array("i"), self.keys_, 0
        for position in range(len(keys)):
            wanted = keys.raw(position)
            while at < len(mine) and mine.raw(at) < wanted:
                at += 1
            found.append(at if at < len(mine) and mine.raw(at) == wanted else -1)
        return found

    def _run(self, position: int) -> list[tuple[int, str]]:
        run = range(self._starts[position], self._starts[position + 1])
        tags, raw = self._tags, self._values.raw  # positions from the table: no checks
        return [(tags[i], raw(i).decode()) for i in run]

    def __getitem__(self, key: str) -> V:
        position = self.keys_.find(key)
        if position < 0:
            raise KeyError(key)
        return self._shape(self._run(position))

    def __contains__(self, key: object) -> bool:
        return key in self.keys_

    def items(self):  # type: ignore[override]
        """(key, value) in key order, without looking each key up again."""
        return ((key, self._shape(self._run(i))) for i, key in enumerate(self.keys_))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)

    @property
    def nbytes(self) -> int:
        arrays = (self._starts, self._tags)
        return self.keys_.nbytes + self._values.nbytes + sum(a.itemsize * len(a) for a in arrays)


class KeyedNumbers:
    """Each key -> a run of numbers (e.g. a name key -> the entries that have it)."""

    __slots__ = ("keys_", "_starts", "_numbers")

    def __init__(self, runs: Mapping[str, Sequence[int]]) -> None:
        self.keys_ = SortedStrings(runs)
        self._starts, self._numbers = array("I", [0]), array("I")
        for key in self.keys_:
            self._numbers.extend(runs[key])
            self._starts.append(len(self._numbers))

    def run(self, position: int) -> array:
        """The numbers of the key at ``position`` in ``keys_``."""
        return self._numbers[self._starts[position] : self._starts[position + 1]]

    def items(self) -> Iterator[tuple[str, array]]:
        """(key, its numbers) in key order."""
        return ((key, self.run(i)) for i, key in enumerate(self.keys_))

    def get(self, key: str) -> Sequence[int]:
        """The numbers of ``key`` in the order given; () for a key not held."""
        position = self.keys_.find(key)
        return self.run(position) if position >= 0 else ()

    @property
    def nbytes(self) -> int:
        return self.keys_.nbytes + 4 * (len(self._starts) + len(self._numbers))


class Tags(Generic[T]):
    """A small registry numbering the values it is given (languages, predicates ...): the
    tag of a value is the same for every table that uses one registry."""

    def __init__(self) -> None:
        self.values: list[T] = []
        self._numbers: dict[T, int] = {}

    def __call__(self, value: T) -> int:
        number = self._numbers.get(value)
        if number is None:
            number = self._numbers.setdefault(value, len(self.values))
            if number == len(self.values):  # not another thread's
                self.values.append(value)
        return number

    def __getitem__(self, number: int) -> T:
        return self.values[number]
