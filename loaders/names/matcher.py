"""The name matcher: every name of every thing, found by any of its forms, ranked.

A query is compared with each name in four ways, best first (the *tier* of a hit):

4 exact     the name keys are equal (folded, generic words dropped: "shimane" = "Shimane
            Prefecture" = "Government of Shimane Prefecture")
3 bridged   equal after script bridging: the loose Latin keys of their romanizations
            (Kyongsangbuk = 경상북도, しまね = Shimane Prefecture)
2 prefix    the query begins a word of the name, or any character run of a CJK/Hangul word
0 fuzzy     the loose keys are close (rapidfuzz: Indel similarity and Jaro-Winkler averaged);
            typos such as "khabarovks" or "Shimame"

Fuzzy hits are looked for only when no name matched exactly or through a bridge. Hits are
ranked by tier (fuzzy ones in bands of 0.05), then things that are records of a relation
(agenda items, participations ...) after the others, then score, then centrality (how many
statements point at the thing: a conference above its agenda items), then label. Each hit
has a score in [0, 1] (1 is an exact match) that reconciliation and ingest report.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from ..string_table import KeyedNumbers, StringList, Tags
from .folding import NameKeys, fold, spaced, words_of
from .romanization import forget_words, loose_keys

EXACT, BRIDGED, PREFIX, FUZZY = 4, 3, 2, 0
FUZZY_CUTOFF = 0.75  # below this a fuzzy hit is only offered as "did you mean"
FUZZY_BESIDE = 0.85  # fuzzy hits shown beside better ones must be at least this close
SUGGESTION_CUTOFF = 0.5
FUZZY_CAP = 0.94  # a fuzzy hit never scores as high as a bridged one
# where a prefix search may start: a word's first character, or any Han, kana or Hangul one
# (those scripts write names without spaces)
_SEARCH_STARTS = re.compile(
    r"(?:^|(?<=[ \n]))[^ \n]"
    r"|[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]",
    re.M,
)
_SORT_CHARS = 48  # prefix search positions are sorted by the characters that follow, this many
_PREFIX_SCAN = 50  # prefix hits looked at per result asked for (a one-letter query)


@dataclass
class Thing:
    """Something with names: its IRI, kind, names (text, language) and centrality."""

    iri: str
    kind: str
    names: list[tuple[str, str]]
    preferred: dict[str, str] = field(default_factory=dict)  # language -> preferred label
    record: bool = False  # a record of a relation (ranked after things)
    children: int = 0  # things that hang below it (centrality)
    extra: dict = field(default_factory=dict)  # what the caller wants back (code, country ...)

    def label(self, language: str) -> str:
        return (
            self.preferred.get(language)
            or self.preferred.get("en")
            or next(iter(self.preferred.values()), "")
            or (self.names[0][0] if self.names else self.iri)
        )


@dataclass
class Hit:
    thing: Thing
    score: float  # 0..1
    tier: int
    name: str  # the name that matched
    language: str  # its language tag ("" when unknown)

    def rank(self) -> tuple:
        fuzzy_band = round(self.score * 20) if self.tier == FUZZY else 0
        return (
            -self.tier,
            -fuzzy_band,
            self.thing.record,
            -round(self.score, 3),
            -self.thing.children,
            self.thing.label("en"),
        )


class NameMatcher:
    """Every name of ``things``, indexed by exact key, loose key and prefix."""

    def __init__(self, things: Iterable[Thing], keys: NameKeys) -> None:
        """``things`` may be a sequence that makes each ``Thing`` when asked for (the
        service's, over the entity index): the matcher keeps no ``Thing`` of its own, and
        its tables are arrays and strings in bytes (``loaders.string_table``), not a Python
        object per name."""
        self.keys = keys
        self.things: Sequence[Thing] = things if isinstance(things, Sequence) else list(things)
        self._owners = array("I")  # entry -> thing number
        self._texts = StringList()  # entry -> the name as written
        self._languages: Tags[str] = Tags()
        self._language_of = array("H")  # entry -> language tag
        self._key_lengths = array("I")  # entry -> length of its key (for the score)
        exact: dict[str, list[int]] = defaultdict(list)
        loose_entries: dict[str, list[int]] = defaultdict(list)  # loose key -> entries
        starts, pieces, length = array("I"), [], 0
        for number, thing in enumerate(self.things):
            for text, language in dict.fromkeys(thing.names):
                entry = len(self._owners)
                words = words_of(fold(text))
                flat = " ".join(words)
                self._owners.append(number)
                self._texts.append(text)
                self._language_of.append(self._languages(language))
                key = keys.of_words(words)
                self._key_lengths.append(len(key))
                exact[key].append(entry)
                for loose in loose_keys(key, language):
                    loose_entries[loose].append(entry)
                starts.append(length)
                pieces.append(flat)
                length += len(flat) + 1
        self._starts = starts
        self._text = "\n".join(pieces)
        del pieces
        self._exact = KeyedNumbers(exact)
        del exact
        self._loose = KeyedNumbers(loose_entries)
        del loose_entries
        self._suffixes = self._suffix_offsets()
        # the loose keys by first letter and by second and third letters (so that a typo in
        # any of them is found), each bucket by length: fuzzy search compares similar lengths;
        # a bucket holds positions in self._loose.keys_
        buckets: dict[str, list[int]] = defaultdict(list)
        for position, loose in enumerate(self._loose.keys_):
            for bucket in _buckets(loose):
                buckets[bucket].append(position)
        loose_keys_ = self._loose.keys_
        self._buckets: dict[str, array] = {}
        self._bucket_lengths: dict[str, array] = {}
        # each bucket's keys as one text, so that a fuzzy search splits the part it compares
        # in one call instead of reading each key from the table
        self._bucket_texts: dict[str, str] = {}
        self._bucket_offsets: dict[str, array] = {}
        for bucket, positions in buckets.items():
            keys_ = sorted(((loose_keys_[p], p) for p in positions), key=lambda kp: len(kp[0]))
            self._buckets[bucket] = array("I", (p for _, p in keys_))
            self._bucket_lengths[bucket] = array("I", (len(k) for k, _ in keys_))
            offsets, length = array("I"), 0
            for key, _ in keys_:
                offsets.append(length)
                length += len(key) + 1
            offsets.append(length)
            self._bucket_texts[bucket] = "\n".join(k for k, _ in keys_)
            self._bucket_offsets[bucket] = offsets
        forget_words()

    def _name(self, entry: int) -> tuple[int, str, str, str]:
        """(thing number, name, language, name folded and spaced) of an entry."""
        start = self._starts[entry]
        end = self._starts[entry + 1] - 1 if entry + 1 < len(self._starts) else len(self._text)
        language = self._languages[self._language_of[entry]]
        return self._owners[entry], self._texts[entry], language, self._text[start:end]

    @property
    def nbytes(self) -> int:
        """The bytes of the matcher's tables, which grow with the names (not the things,
        which the caller holds)."""
        arrays = (self._owners, self._language_of, self._key_lengths, self._starts)
        arrays += (self._suffixes, *self._buckets.values(), *self._bucket_lengths.values())
        arrays += tuple(self._bucket_offsets.values())
        text = sys.getsizeof(self._text)
        return (
            text
            + self._texts.nbytes
            + self._exact.nbytes
            + self._loose.nbytes
            + sum(sys.getsizeof(text) for text in self._bucket_texts.values())
            + sum(a.itemsize * len(a) for a in arrays)
        )

    def _suffix_offsets(self) -> array:
        """Offsets where a prefix search may start: each word, and each character of the
        unspaced scripts' words; sorted by the text that follows them."""
        text = self._text
        starts = (match.start() for match in _SEARCH_STARTS.finditer(text))
        return array("I", sorted(starts, key=lambda o: text[o : o + _SORT_CHARS]))

    # ------------------------------------------------------------------ queries

    def find(
        self,
        query: str,
        limit: int = 10,
        *,
        accept: Callable[[Thing], bool] | None = None,
        fuzzy: bool = True,
    ) -> list[Hit]:
        """The best hit per thing for ``query``, ranked (see module), at most ``limit``."""
        best: dict[int, Hit] = {}
        flat = spaced(query)
        if not flat:
            return []
        key = self.keys(query)
        self._add(best, self._exact.get(key), EXACT, flat, accept)
        query_loose = loose_keys(key)
        for loose in query_loose:
            self._add(best, self._loose.get(loose), BRIDGED, flat, accept)
        self._add(best, self._prefixed(flat, limit * _PREFIX_SCAN), PREFIX, flat, accept)
        if fuzzy and len(best) < limit and not any(h.tier >= BRIDGED for h in best.values()):
            cutoff = FUZZY_BESIDE if best else FUZZY_CUTOFF
            for entry, similarity in self._close(query_loose, cutoff, limit * 4):
                self._add(best, (entry,), FUZZY, flat, accept, similarity)
        return sorted(best.values(), key=Hit.rank)[:limit]

    def suggestions(self, query: str, limit: int = 3, *, accept=None) -> list[Hit]:
        """Names close to a query that found nothing: the "did you mean" list."""
        best: dict[int, Hit] = {}
        for entry, similarity in self._close(loose_keys(self.keys(query)), SUGGESTION_CUTOFF, 20):
            self._add(best, (entry,), FUZZY, spaced(query), accept, similarity)
        return sorted(best.values(), key=Hit.rank)[:limit]

    def _add(self, best, entries, tier, flat, accept, similarity: float = 1.0) -> None:
        for entry in entries:
            number, text, language, name_flat = self._name(entry)
            score = _score(tier, flat, name_flat, similarity, self._key_lengths[entry])
            hit = best.get(number)
            if hit is not None and (tier, score) <= (hit.tier, hit.score):
                continue  # not better than this thing's hit, accepted or not: no Thing made
            thing = hit.thing if hit is not None else self.things[number]
            if accept is not None and not accept(thing):
                continue
            best[number] = Hit(thing, score, tier, text, language)

    def _prefixed(self, flat: str, most: int) -> list[int]:
        text, offsets = self._text, self._suffixes
        probe = flat[:_SORT_CHARS]  # the offsets are sorted by this many characters
        n = len(probe)
        low = bisect_left(offsets, probe, key=lambda o: text[o : o + n])
        high = bisect_right(offsets, probe, lo=low, key=lambda o: text[o : o + n])
        scanned = (offsets[i] for i in range(low, high)[:most])
        found = {bisect_right(self._starts, o) - 1 for o in scanned if text.startswith(flat, o)}
        return sorted(found)

    def _close(self, query_loose: set[str], cutoff: float, limit: int) -> list[tuple[int, float]]:
        """(entry, similarity) of the names whose loose key is close to one of the query's."""
        found: dict[int, float] = {}
        rough_cutoff = max(cutoff - 0.2, 0.1)
        # Indel similarity s needs the shorter key at least s/(2-s) of the longer one
        ratio = rough_cutoff / (2 - rough_cutoff)
        for loose in query_loose:
            if loose.isdigit():  # a number is a code or a year: a near one is another thing
                continue
            seen: set[str] = set()
            for bucket in _buckets(loose):
                lengths = self._bucket_lengths.get(bucket, ())
                low = bisect_left(lengths, int(len(loose) * ratio))
                high = bisect_right(lengths, int(len(loose) / ratio) + 1)
                if low >= high:
                    continue
                positions = self._buckets[bucket][low:high]
                offsets = self._bucket_offsets[bucket]
                text = self._bucket_texts[bucket][offsets[low] : offsets[high] - 1]
                choices = text.split("\n")
                rough = process.extract(
                    loose, choices, scorer=Indel.normalized_similarity, limit=limit,
                    score_cutoff=rough_cutoff,
                )  # fmt: skip
                for choice, indel, at in rough:
                    if choice in seen:
                        continue
                    seen.add(choice)
                    similarity = (indel + JaroWinkler.normalized_similarity(loose, choice)) / 2
                    if similarity >= cutoff:
                        for entry in self._loose.run(positions[at]):
                            found[entry] = max(found.get(entry, 0.0), similarity)
        return sorted(found.items(), key=lambda item: -item[1])[:limit]

    def preferred_hit(self, hits: list[Hit]) -> Hit | None:
        """The one hit certain enough to take without asking: exact or bridged, and alone in
        its tier; or a fuzzy one of at least 0.9 with no other within 0.1 of it."""
        if not hits:
            return None
        top = hits[0]
        rivals = [h for h in hits[1:] if h.tier == top.tier]
        if top.tier >= BRIDGED:
            return None if rivals else top
        if top.tier == FUZZY and top.score >= 0.9:
            return top if all(h.score < top.score - 0.1 for h in hits[1:]) else None
        return None


def _score(tier: int, flat: str, name_flat: str, similarity: float, key_length: int) -> float:
    """1 for an exact name, a little less when the name says more than the query (a fuzzy
    hit on "Government of X" scores below one on "X Prefecture")."""
    closeness = Indel.normalized_similarity(flat, name_flat)
    specificity = min(key_length / max(len(name_flat), 1), 1.0)
    if tier == EXACT:
        return 0.97 + 0.015 * (closeness + specificity)
    if tier == BRIDGED:
        return 0.92 + 0.015 * (closeness + specificity)
    if tier == PREFIX:
        return 0.5 + 0.35 * (len(flat) / max(len(name_flat), 1)) + 0.05 * closeness
    return min(similarity, FUZZY_CAP) * (0.97 + 0.03 * specificity)


def _buckets(loose: str) -> tuple[str, ...]:
    """The fuzzy-search buckets of a loose key: its first letter, and its second and third
    (a typo in the first letter is found through the second bucket, one in the second or
    third through the first)."""
    return (loose[0], "2" + loose[1:3]) if len(loose) >= 4 else (loose[0],)
