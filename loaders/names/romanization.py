"""Script bridging: a name in any of NEAR's scripts as Latin letters, and the loose Latin key
that makes the common romanization systems meet (rules in ``romanization.toml``).

Libraries (see docs/names.md for the choice):

- ``pykakasi`` gives Japanese kanji and kana their readings in Hepburn (島根 -> shimane) and
  kanji their kana readings (島根 -> しまね); it carries its own dictionary, so kanji with
  several readings get the common one;
- ``anyascii`` romanizes Hangul (Revised-Romanization-like, syllable by syllable), Cyrillic
  (Russian and Mongolian letters), Chinese characters (Mandarin pinyin without tones) and
  everything else, from tables shipped in the wheel.

The loose key absorbs the rest: RR against McCune-Reischauer, BGN/PCGN against ISO 9,
Hepburn against Kunrei (``romanization.toml`` names each rule's systems).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from anyascii import anyascii

from .folding import fold, script_of

RULES_FILE = Path(__file__).with_name("romanization.toml")


@functools.cache
def _rules(path: Path = RULES_FILE) -> tuple[tuple[re.Pattern, str], ...]:
    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    return tuple((re.compile(r["pattern"]), r["replacement"]) for r in table["rule"])


@functools.cache
def _kakasi():
    import pykakasi  # loaded on first use: its dictionaries take ~50 ms to open

    return pykakasi.kakasi()


def japanese_reading(text: str) -> tuple[str, str]:
    """(hiragana reading, Hepburn romanization) of Japanese text."""
    parts = _kakasi().convert(text)
    return "".join(p["hira"] for p in parts), "".join(p["hepburn"] for p in parts)


def romanizations(text: str, language: str = "") -> set[str]:
    """The Latin forms of ``text`` (lower case, ASCII): one per plausible reading.

    Kana, and kanji in a Japanese name, are read with pykakasi; Chinese characters in a
    Chinese name (or of unknown language) with anyascii's pinyin; Hangul and Cyrillic with
    anyascii. Han text of unknown language gets both readings. Words are romanized one by
    one (and remembered: names share most of their words).
    """
    forms = [""]
    for word in text.split():
        choices = _word_forms(word, language)
        forms = [f"{a} {b}".strip() for a in forms for b in choices][:4]
    return {f for f in forms if f}


@functools.lru_cache(maxsize=262144)
def _word_forms(word: str, language: str) -> tuple[str, ...]:
    script = script_of(word)
    if script == "latin" and word.isascii():
        return (word.lower(),)
    forms = []
    if script == "kana" or (script == "han" and language in ("ja", "")):
        forms.append(japanese_reading(word)[1])
    if script != "kana" and not (script == "han" and language == "ja"):
        forms.append(anyascii(word))
    return tuple(dict.fromkeys(fold(f) for f in forms if f))


@functools.lru_cache(maxsize=262144)
def kana_reading(word: str) -> str:
    """The hiragana reading of a Japanese word (島根 -> しまね), folded."""
    return fold(japanese_reading(word)[0])


def loose_key(latin: str) -> str:
    """The romanization-insensitive key of a Latin text (rules in romanization.toml, applied
    word by word, so that a rule never joins the end of one word to the next)."""
    return "".join(_loose_word(word) for word in latin.split())


@functools.lru_cache(maxsize=262144)
def _loose_word(word: str) -> str:
    key = fold(anyascii(word))
    for pattern, replacement in _rules():
        key = pattern.sub(replacement, key)
    return key


def loose_keys(text: str, language: str = "") -> set[str]:
    """The loose keys of every romanization of ``text``."""
    return {key for form in romanizations(text, language) if (key := loose_key(form))}
