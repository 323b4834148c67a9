"""The one folding rule every name comparison uses (search, ingest, reconciliation).

``fold`` makes the forms a reader would call "the same text" equal:

- Unicode NFKC: full-width Latin and digits, half-width katakana, compatibility ideographs and
  ligatures become their ordinary forms (ＳＨＩＭＡＮＥ -> SHIMANE, ｼﾏﾈ -> シマネ);
- case (``str.casefold``);
- the diacritics of Latin, Greek and Cyrillic letters (Tōyama -> toyama, й -> и);
- katakana as hiragana (シマネ -> しまね): the same sounds in the other kana script.

It deliberately **keeps** the voicing marks of kana (が is not か) and every Hangul and Han
character: in Japanese the dakuten distinguish names (ぎふ Gifu, きふ is no place), and the
search's old rule of dropping them (NFKD, then every combining mark) made different names
equal. Near misses such as a missing dakuten are left to the fuzzy scoring, which ranks them
below exact matches instead of making them indistinguishable.

``NameKeys`` adds the table of generic words per language (``loaders/page_headings.toml``:
"Province", "-do", "муж", "県" ...) to give the key a printed name is matched by.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from ..page_headings import HeadingTable

_KATAKANA = range(0x30A1, 0x30F7)  # ァ..ヶ; ー and the middle dot are not letters to shift
_LATIN_GREEK_CYRILLIC_END = 0x0530


def fold(text: str) -> str:
    """NFKC, case, Latin/Greek/Cyrillic diacritics and katakana -> hiragana (see module)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and ord(out[-1]) < _LATIN_GREEK_CYRILLIC_END:
            continue
        out.append(chr(ord(ch) - 0x60) if ord(ch) in _KATAKANA else ch)
    return unicodedata.normalize("NFC", "".join(out))


def words_of(folded: str) -> list[str]:
    """The words of a folded text: letters, digits and apostrophes; the rest separates."""
    text = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in folded)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def spaced(text: str) -> str:
    """The folded text with punctuation as single spaces: what substrings are looked for in."""
    return " ".join(words_of(fold(text)))


SCRIPTS = (
    ("hangul", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
    ("kana", ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))),
    ("han", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))),
    ("cyrillic", ((0x0400, 0x052F),)),
    ("latin", ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF))),
)


@functools.lru_cache(maxsize=65536)
def script_of_char(ch: str) -> str:
    code = ord(ch)
    for name, ranges in SCRIPTS:
        if any(low <= code <= high for low, high in ranges):
            return name
    return ""


def script_of(text: str) -> str:
    """The script most of the letters of ``text`` are in ("latin", "cyrillic", "hangul",
    "kana", "han"; "kana" wins over "han" since kanji with kana is Japanese), or ""."""
    if text.isascii():
        return "latin" if any(ch.isalpha() for ch in text) else ""
    counts: dict[str, int] = {}
    for ch in text:
        name = script_of_char(ch)
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return ""
    if "kana" in counts and "han" in counts:
        counts["kana"] += counts.pop("han")
    return max(counts, key=counts.__getitem__)


@dataclass(frozen=True)
class NameKeys:
    """The key a name is matched by: folded, punctuation as spaces, generic words dropped.

    "Khabarovsk Krai" -> "khabarovsk", "경상북도" -> "경상북", "Амур муж" -> "амур". A name made
    only of generic words keeps them ("Special City" stays "special city").
    """

    generic_words: frozenset[str]
    generic_suffixes: tuple[str, ...]  # longest first

    @classmethod
    def from_table(cls, table: HeadingTable) -> NameKeys:
        suffixes = sorted({fold(s) for s in table.generic_suffixes}, key=len, reverse=True)
        return cls(frozenset(fold(w) for w in table.generic_words), tuple(suffixes))

    def __call__(self, name: str) -> str:
        return self.of_words(words_of(fold(name)))

    def of_words(self, words: list[str]) -> str:
        """The key of a name already folded and split (``words_of(fold(name))``)."""
        kept = [w for w in words if w not in self.generic_words]
        if len(kept) == 1:
            kept = [self.strip_suffix(kept[0])]
        return " ".join(kept) or " ".join(words)

    def strip_suffix(self, word: str) -> str:
        for suffix in self.generic_suffixes:
            if word.endswith(suffix) and len(word) > len(suffix):
                return word[: -len(suffix)]
        return word

    def without_generic_words(self, name: str) -> str:
        """The name as written, minus its generic words ("Khabarovsk Krai" -> "Khabarovsk")."""
        words = name.replace("-", " ").split()
        kept = [w for w in words if fold(w.strip(",.")) not in self.generic_words]
        return " ".join(kept) or name
