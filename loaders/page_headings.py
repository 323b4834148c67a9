"""The heading table: what a conference page's headings and patterns look like, per language.

The table is data (``page_headings.toml``); this module only reads it and answers questions such
as "is this line the Overview heading in Mongolian?". A page in a new language is read by adding
rows to the table (or passing another table), never by changing code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TABLE = Path(__file__).with_name("page_headings.toml")

SECTION_ROLES = ("overview", "contents", "declaration")
FIELD_ROLES = ("period", "venue", "organizer", "participation")
HEADING_ROLES = SECTION_ROLES + FIELD_ROLES


def fold(text: str) -> str:
    """Case- and spacing-insensitive form of a heading."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class LanguageHeadings:
    """The rows of the table for one language."""

    language: str
    headings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    title: tuple[re.Pattern, ...] = ()
    declaration_title: tuple[re.Pattern, ...] = ()
    stated_counts: tuple[re.Pattern, ...] = ()
    decision_cues: tuple[str, ...] = ()
    decision_group_cues: tuple[str, ...] = ()
    months: tuple[tuple[str, ...], ...] = ()
    place_separator: str = ">"
    genitive_suffixes: tuple[str, ...] = ()
    generic_words: frozenset[str] = frozenset()
    generic_suffixes: tuple[str, ...] = ()

    @property
    def reads_pages(self) -> bool:
        """True when the table has enough rows to read a page in this language."""
        return all(self.headings.get(role) for role in ("overview", "period"))

    def role_of(self, line: str) -> str | None:
        """The heading role a line is, or None; a leading "·" bullet is ignored."""
        key = fold(line.lstrip("·・• \t"))
        for role in HEADING_ROLES:
            if any(key == fold(heading) for heading in self.headings.get(role, ())):
                return role
        return None

    def match_declaration_title(self, line: str) -> str | None:
        """The city named by a declaration's title line ("Khabarovsk Declaration"), or None."""
        text = " ".join(line.lstrip("·・ \t").split())
        for pattern in self.declaration_title:
            found = pattern.match(text)
            if found:
                return found.group("city")
        return None


@dataclass(frozen=True)
class HeadingTable:
    languages: dict[str, LanguageHeadings]

    def __getitem__(self, language: str) -> LanguageHeadings:
        return self.languages[language]

    def page_languages(self) -> list[str]:
        """Languages whose rows are complete enough to read a page."""
        return [code for code, rows in self.languages.items() if rows.reads_pages]

    @property
    def generic_words(self) -> frozenset[str]:
        """The generic words of every language (reconciliation ignores them all)."""
        return frozenset().union(*(rows.generic_words for rows in self.languages.values()))

    @property
    def generic_suffixes(self) -> tuple[str, ...]:
        """Every language's generic endings, longest first."""
        endings = {s for rows in self.languages.values() for s in rows.generic_suffixes}
        return tuple(sorted(endings, key=len, reverse=True))

    def with_language(self, language: str, rows: dict) -> HeadingTable:
        """A copy of the table with a language's rows added or replaced."""
        return HeadingTable({**self.languages, language: _language(language, rows)})


def _patterns(values) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(value, re.IGNORECASE) for value in values or ())


def _language(code: str, rows: dict) -> LanguageHeadings:
    return LanguageHeadings(
        language=code,
        headings={role: tuple(rows.get(role, ())) for role in HEADING_ROLES},
        title=_patterns(rows.get("title")),
        declaration_title=_patterns(rows.get("declaration_title")),
        stated_counts=_patterns(rows.get("stated_counts")),
        decision_cues=tuple(rows.get("decision_cues", ())),
        decision_group_cues=tuple(rows.get("decision_group_cues", ())),
        months=tuple(tuple(m.split("|")) for m in rows.get("months", ())),
        place_separator=rows.get("place_separator", ">"),
        genitive_suffixes=tuple(rows.get("genitive_suffixes", ())),
        generic_words=frozenset(w.casefold() for w in rows.get("generic_words", ())),
        generic_suffixes=tuple(rows.get("generic_suffixes", ())),
    )


def table_from_dict(data: dict) -> HeadingTable:
    return HeadingTable({code: _language(code, rows) for code, rows in data.items()})


def load_table(path: Path | None = None) -> HeadingTable:
    """Read the heading table (default: ``loaders/page_headings.toml``)."""
    with open(path or DEFAULT_TABLE, "rb") as handle:
        return table_from_dict(tomllib.load(handle))
