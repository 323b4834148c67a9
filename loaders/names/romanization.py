"""Script bridging: a name in any of NEAR's scripts as Latin letters, and the loose Latin key
that makes the common romanization systems meet (rules in ``romanization.toml``).

``anyascii`` romanizes Hangul (Revised-Romanization-like, syllable by syllable), Cyrillic
(Russian and Mongolian letters), kana (Hepburn-like) and Chinese characters (Mandarin pinyin
without tones), from tables shipped in its wheel. Kanji in a Japanese name are *not*
romanized: their reading is not in the characters, so it comes from the data instead (kana
readings as ``skos:hiddenLabel``, ``data/turtle/readings.ttl``). The loose key absorbs the
differences between systems: RR against McCune-Reischauer, BGN/PCGN against ISO 9, Hepburn
against Kunrei (``romanization.toml`` names each rule's systems). docs/names.md says why
these libraries.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from anyascii import anyascii

from .folding import fold, script_of

RULES_FILE = Path(__file__).with_name("romanization.toml")


# words whose forms are remembered: names share words while an index is built; afterwards
# (``forget_words``) a worker keeps at most this many words of the queries it was sent
WORDS_KEPT = 65536


@functools.cache
def _rules(path: Path = RULES_FILE) -> tuple[tuple[re.Pattern, str], ...]:
    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    return tuple((re.compile(r["pattern"]), r["replacement"]) for r in table["rule"])


def romanizations(text: str, language: str = "") -> set[str]:
    """The Latin forms of ``text`` (lower case, ASCII): one per plausible reading.

    Kanji in a Japanese name have none (see module); everything else is romanized with
    anyascii. Words are romanized one by one (and remembered: names share their words).
    """
    forms = [""]
    for word in text.split():
        choices = _word_forms(word, language)
        forms = [f"{a} {b}".strip() for a in forms for b in choices][:4]
    return {f for f in forms if f}


@functools.lru_cache(maxsize=WORDS_KEPT)
def _word_forms(word: str, language: str) -> tuple[str, ...]:
    if word.isascii():
        return (word.lower(),)
    if language == "ja" and script_of(word) == "han":
        return ()
    return (fold(anyascii(word)),)


def loose_key(latin: str) -> str:
    """The romanization-insensitive key of a Latin text (rules in romanization.toml, applied
    word by word, so that a rule never joins the end of one word to the next)."""
    return "".join(_loose_word(word) for word in latin.split())


@functools.lru_cache(maxsize=WORDS_KEPT)
def _loose_word(word: str) -> str:
    key = fold(anyascii(word))
    for pattern, replacement in _rules():
        key = pattern.sub(replacement, key)
    return key


def loose_keys(text: str, language: str = "") -> set[str]:
    """The loose keys of every romanization of ``text``."""
    return {key for form in romanizations(text, language) if (key := loose_key(form))}


def forget_words() -> None:
    """Drop the remembered word forms: once a name index is built they are the words of
    every name (80 MB at a million triples), which no query needs again."""
    _word_forms.cache_clear()
    _loose_word.cache_clear()
