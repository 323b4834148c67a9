"""Putting names in the order a reader of their language expects.

ICU collation (PyICU) for the reader's language, with numbers compared as numbers (agenda
item 2 before 10, "3rd" before "10th"). Where PyICU is not installed, natsort's natural
order of case-folded text (numbers still right; scripts in code-point order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

from natsort import natsort_keygen, ns

try:
    import icu
except ImportError:  # PyICU needs the ICU library to build; natsort alone still sorts numbers
    icu = None

T = TypeVar("T")

# ICU locale of each site language (Mongolian in Cyrillic script)
ICU_LOCALES = {"en": "en", "ja": "ja", "ko": "ko", "zh": "zh", "ru": "ru", "mn": "mn"}


@cache
def _collator(lang: str):
    collator = icu.Collator.createInstance(icu.Locale(ICU_LOCALES.get(lang, "en")))
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return collator


_natural = natsort_keygen(alg=ns.IGNORECASE)


def sort_key(lang: str) -> Callable[[str], Any]:
    """A key function ordering texts for a reader of ``lang``."""
    if icu is None:
        return _natural
    return _collator(lang).getSortKey


def sorted_for(items: Iterable[T], lang: str, key: Callable[[T], str] = str) -> list[T]:
    """``items`` ordered by ``key(item)`` for a reader of ``lang``."""
    text_key = sort_key(lang)
    return sorted(items, key=lambda item: text_key(key(item)))
