"""Reading the dates a conference page prints, in any unambiguous form.

Accepted: ``1993-10-08``, ``1995.09.06``, ``1995/9/6``, ``September 06, 1995``, ``6 September
1995``, ``1995年9月6日``, ``1995년 9월 6일`` (month names come from the heading table), and a range
of two of these separated by ``~``, ``〜``, ``～``, ``–``, ``—`` or `` - ``. Day-first or
month-first numeric forms such as ``06/09/1995`` are refused as ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

RANGE_SEPARATOR = re.compile(r"\s*[~〜～–—]\s*|\s+-\s+|\s+to\s+")
YEAR_FIRST = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$")
CJK = re.compile(r"^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?$")
MONTH_DAY_YEAR = re.compile(
    r"^(?P<month>[^\W\d]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})$"
)
DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<month>[^\W\d]+)\.?,?\s+(?P<year>\d{4})$"
)


class DateError(ValueError):
    """A date that cannot be read unambiguously."""


def month_number(name: str, month_names: Iterable[Iterable[str]]) -> int | None:
    key = name.casefold().rstrip(".")
    for number, spellings in enumerate(month_names, start=1):
        if any(key == spelling.casefold() for spelling in spellings):
            return number
    return None


def parse_date(text: str, month_names: Iterable[Iterable[str]] = ()) -> date:
    """One date; raises DateError when it is unreadable or ambiguous."""
    text = " ".join(text.split())
    month_names = list(month_names)
    for pattern in (YEAR_FIRST, CJK):
        found = pattern.match(text)
        if found:
            return _make(text, *(int(part) for part in found.groups()))
    for pattern in (MONTH_DAY_YEAR, DAY_MONTH_YEAR):
        found = pattern.match(text)
        if found:
            month = month_number(found["month"], month_names)
            if month is None:
                raise DateError(f"unknown month name {found['month']!r} in {text!r}")
            return _make(text, int(found["year"]), month, int(found["day"]))
    if re.match(r"^\d{1,2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{4}$", text):
        raise DateError(f"ambiguous date {text!r}: day and month order unknown")
    raise DateError(f"unreadable date {text!r}")


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise DateError(f"impossible date {text!r}: {error}") from error


def parse_period(text: str, month_names: Iterable[Iterable[str]] = ()) -> tuple[date, date]:
    """A start and end date: ``A ~ B`` or a single date (start = end)."""
    month_names = list(month_names)
    parts = [p for p in RANGE_SEPARATOR.split(text.strip()) if p.strip()]
    if len(parts) == 1:
        day = parse_date(parts[0], month_names)
        return day, day
    if len(parts) != 2:
        raise DateError(f"unreadable period {text.strip()!r}: expected 'start ~ end'")
    start, end = (parse_date(part, month_names) for part in parts)
    if end < start:
        raise DateError(f"period {text.strip()!r} ends before it starts")
    return start, end
