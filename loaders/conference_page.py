"""Reading a NEAR conference page (plain text) into a format-independent ``ConferencePage``.

A page has a title ("The 3rd NEAR Conference"), an overview (period, venue, organizer,
participation: a stated-counts sentence, then country headings each followed by a comma-separated
list of regions), contents (agenda items bulleted with ▷ or •, sub-items "- ...") and a
declaration (a preamble and numbered resolutions). Headings are recognised through the heading
table (``page_headings.toml``), so the code knows no language. Lines may end in CRLF and carry
stray spaces and tabs; blank lines are ignored; the contents and the declaration are optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import page_completeness as completeness
from .page_dates import DateError, parse_period
from .page_headings import FIELD_ROLES, SECTION_ROLES, HeadingTable, LanguageHeadings, load_table

ITEM_MARKERS = "▷▶►▸■□◆◇○●•・◦"
SUB_ITEM = re.compile(r"^[-–−]\s*(?P<text>.+)$")
NUMBERED = re.compile(r"^(?P<ordinal>\d{1,2})\s*[.)]\s*(?P<text>.*)$")
LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


class PageError(ValueError):
    """A page that cannot be read; names the line when there is one."""

    def __init__(self, message: str, line: int | None = None, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.source = source

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.source, self.line) if p is not None)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the page
    text: str  # without surrounding whitespace


@dataclass
class Place:
    """ "Russia > Khabarovsk Territory, International Conference Hall" """

    printed: str
    line: int
    country: str | None
    region: str | None
    detail: str | None  # what follows the region (the hall, the organizing body)


@dataclass
class PrintedName:
    text: str
    line: int


@dataclass
class CountryParticipants:
    country: PrintedName
    regions: list[PrintedName]


@dataclass
class Participation:
    stated_participants: int | None = None
    stated_countries: int | None = None
    stated_line: int | None = None
    countries: list[CountryParticipants] = field(default_factory=list)

    @property
    def listed(self) -> list[PrintedName]:
        return [region for country in self.countries for region in country.regions]


@dataclass
class AgendaItem:
    position: int  # on the page, from 1, sub-items included
    text: str
    line: int
    marker: str  # the bullet as printed ("▷", "•", "-")
    kind: str = "topic"  # "topic", "decision" or "item" (a sub-item)
    part_of: int | None = None  # position of the item it belongs to


@dataclass
class Resolution:
    ordinal: int
    heading: str | None
    text: str
    line: int


@dataclass
class Declaration:
    title: str | None
    city: str | None
    line: int
    preamble: list[str] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)


@dataclass
class ConferencePage:
    language: str
    title: str | None
    ordinal: int | None
    start: date
    end: date
    period_line: int
    venue: Place | None = None
    organizer: Place | None = None
    participation: Participation | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    declaration: Declaration | None = None
    notes: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.start.year


def page_lines(text: str) -> list[Line]:
    """Every line, numbered from 1, trimmed of spaces, tabs, BOM and CR."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [
        Line(number, raw.replace("\u00a0", " ").strip())
        for number, raw in enumerate(text.split("\n"), start=1)
    ]


def detect_language(lines: list[Line], table: HeadingTable) -> str:
    """The language whose headings the page uses most; an error if none or a tie."""
    scores = {
        code: sum(1 for line in lines if line.text and table[code].role_of(line.text))
        for code in table.page_languages()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] == 0:
        raise PageError(
            "cannot tell the page's language: no known headings "
            f"(known languages: {', '.join(scores) or 'none'})"
        )
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        raise PageError(f"cannot tell the page's language: {ranked[0][0]} and {ranked[1][0]} tie")
    return ranked[0][0]


def _is_item(text: str) -> bool:
    return bool(text) and (text[0] in ITEM_MARKERS or bool(SUB_ITEM.match(text)))


class _Sections:
    """The page's lines sorted into title, overview fields, contents and declaration."""

    def __init__(self, lines: list[Line], rows: LanguageHeadings) -> None:
        self.title: Line | None = None
        self.fields: dict[str, list[Line]] = {}
        self.field_lines: dict[str, int] = {}
        self.contents: list[Line] = []
        self.declaration: list[Line] = []
        self.declaration_head: tuple[Line, str | None, str | None] | None = None
        # (role, line, section it is in) of every heading, for the completeness checks
        self.headings: list[tuple[str, int, str | None]] = []
        self._split(lines, rows)

    def _split(self, lines: list[Line], rows: LanguageHeadings) -> None:
        section, current_field = None, None
        for line in lines:
            text = line.text
            if not text:
                if section == "declaration":
                    self.declaration.append(line)
                continue
            role = rows.role_of(text)
            city = None if _is_item(text) else rows.match_declaration_title(text)
            if role is not None:
                self.headings.append(
                    (role, line.number, role if role in SECTION_ROLES else section)
                )
            if role in SECTION_ROLES:
                section, current_field = role, None
                if role == "declaration":
                    self.declaration_head = (line, None, None)
            elif city and (text.startswith("·") or section in ("declaration", "contents")):
                section = "declaration"
                self.declaration_head = (line, " ".join(text.lstrip("·・ \t").split()), city)
            elif section == "overview" and role in FIELD_ROLES:
                current_field = role
                self.fields.setdefault(role, [])
                self.field_lines[role] = line.number
            elif section is None and self.title is None and role is None:
                self.title = line
            elif section == "overview" and current_field:
                self.fields[current_field].append(line)
            elif section == "contents":
                self.contents.append(line)
            elif section == "declaration":
                self.declaration.append(line)


def _ordinal(title: Line | None, rows: LanguageHeadings) -> int | None:
    if title is None:
        return None
    for pattern in rows.title:
        found = pattern.match(" ".join(title.text.split()))
        if found and "ordinal" in pattern.groupindex and found.group("ordinal"):
            return int(found.group("ordinal"))
    return None


def _place(lines: list[Line], rows: LanguageHeadings) -> Place | None:
    if not lines:
        return None
    printed = " ".join(" ".join(line.text for line in lines).split())
    country, _, rest = printed.partition(rows.place_separator)
    if not rest:
        country, rest = None, printed
    parts = [part for part in LIST_SEPARATORS.split(rest.strip()) if part]
    region = parts[0] if parts else None
    detail = ", ".join(parts[1:]) or None
    return Place(printed, lines[0].number, country.strip() if country else None, region, detail)


def _participation(lines: list[Line], rows: LanguageHeadings, notes) -> Participation:
    result = Participation()
    remaining = list(lines)
    if remaining:
        for pattern in rows.stated_counts:
            found = pattern.match(" ".join(remaining[0].text.split()))
            if found:
                result.stated_participants = int(found.group("participants"))
                result.stated_countries = int(found.group("countries"))
                result.stated_line = remaining[0].number
                remaining = remaining[1:]
                break
        else:
            notes.append((remaining[0].number, "no stated-counts sentence in participation"))
    for index in range(0, len(remaining), 2):
        country = remaining[index]
        if index + 1 >= len(remaining):
            raise completeness.Incomplete(
                f"the country heading {country.text!r} is not followed by its regions: the "
                "participation ends early",
                country.number,
            )
        names = remaining[index + 1]
        completeness.check_list_line(names.text, names.number)
        regions = [
            PrintedName(" ".join(part.split()), names.number)
            for part in LIST_SEPARATORS.split(names.text)
            if part.strip()
        ]
        result.countries.append(
            CountryParticipants(PrintedName(country.text, country.number), regions)
        )
    return result


def _starts_with(text: str, cues) -> bool:
    return any(text.casefold().startswith(cue.casefold()) for cue in cues)


def _agenda(lines: list[Line], rows: LanguageHeadings) -> list[AgendaItem]:
    """Agenda items in page order, sub-items ("- ...") included and numbered in turn.

    An item starting with a decision cue is a decision; the differently bulleted items right
    below an item starting with a decision-group cue are decisions that are part of it; a
    sub-item is a plain item that is part of the item above it; anything else is a topic.
    """
    items: list[AgendaItem] = []
    group: AgendaItem | None = None  # the decision-group item whose children follow
    parent: AgendaItem | None = None  # the last bulleted item
    for line in lines:
        sub = SUB_ITEM.match(line.text)
        if sub and parent is not None:
            items.append(
                AgendaItem(
                    len(items) + 1, _clean(sub["text"]), line.number, "-", "item", parent.position
                )
            )
            continue
        marker = line.text[0] if line.text[0] in ITEM_MARKERS else ""
        text = _clean(line.text.lstrip(ITEM_MARKERS))
        if not marker and items:
            items[-1].text = f"{items[-1].text}\n{text}"
            continue
        child = group is not None and marker != group.marker
        if not child:
            group = None
        kind = "decision" if child or _starts_with(text, rows.decision_cues) else "topic"
        item = AgendaItem(
            len(items) + 1,
            text,
            line.number,
            marker,
            kind,
            group.position if child and group else None,
        )
        items.append(item)
        parent = item
        if _starts_with(text, rows.decision_group_cues):
            group = item
    return items


def _clean(text: str) -> str:
    """Text as printed: only surrounding blanks removed."""
    return text.strip()


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    paragraphs: list[list[Line]] = [[]]
    for line in lines:
        if line.text:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _declaration(head, lines: list[Line], rows: LanguageHeadings) -> Declaration:
    head_line, title, city = head
    declaration = Declaration(title, _strip_genitive(city, rows), head_line.number)
    for paragraph in _paragraphs(lines):
        if declaration.title is None:
            city = rows.match_declaration_title(paragraph[0].text)
            if city:
                declaration.title = _clean(paragraph[0].text.lstrip("·・ "))
                declaration.city = _strip_genitive(city, rows)
                paragraph = paragraph[1:]
                if not paragraph:
                    continue
        numbered = NUMBERED.match(paragraph[0].text)
        if numbered:
            first = _clean(numbered["text"])
            rest = _clean("\n".join(line.text for line in paragraph[1:]))
            heading, text = (first, rest) if rest else (None, first)
            declaration.resolutions.append(
                Resolution(int(numbered["ordinal"]), heading, text, paragraph[0].number)
            )
        elif declaration.resolutions:
            last = declaration.resolutions[-1]
            last.text = f"{last.text}\n\n{_clean(chr(10).join(line.text for line in paragraph))}"
        else:
            declaration.preamble.append(_clean("\n".join(line.text for line in paragraph)))
    return declaration


def _strip_genitive(city: str | None, rows: LanguageHeadings) -> str | None:
    if not city:
        return city
    for suffix in sorted(rows.genitive_suffixes, key=len, reverse=True):
        if city.casefold().endswith(suffix.casefold()) and len(city) > len(suffix) + 2:
            return city[: -len(suffix)]
    return city


def parse_page(
    text: str,
    *,
    language: str = "auto",
    table: HeadingTable | None = None,
    source: str | None = None,
) -> ConferencePage:
    """Read a conference page; raises PageError naming the line of anything unreadable."""
    table = table or load_table()
    lines = page_lines(text)
    try:
        if language == "auto":
            language = detect_language(lines, table)
        elif language not in table.languages or not table[language].reads_pages:
            raise PageError(f"no headings for language {language!r} in the heading table")
        rows = table[language]
        try:
            completeness.check_ends_with_line_break(text, len(lines))
            return _build(lines, rows)
        except completeness.Incomplete as error:
            raise PageError(f"incomplete page: {error.message}", line=error.line) from error
    except PageError as error:
        error.source = error.source or source
        raise


def _build(lines: list[Line], rows: LanguageHeadings) -> ConferencePage:
    sections = _Sections(lines, rows)
    last = next((line.number for line in reversed(lines) if line.text), None)
    completeness.check_headings(sections.headings, last)
    completeness.check_fields_have_text(sections.fields, sections.field_lines)
    heading = {role: line for role, line, _ in sections.headings}
    completeness.check_section_has_text("contents", heading.get("contents"), sections.contents)
    period = sections.fields.get("period")
    if not period:
        raise PageError("the page states no period (the overview's period heading is missing)")
    try:
        start, end = parse_period(period[0].text, rows.months)
    except DateError as error:
        raise PageError(str(error), line=period[0].number) from error
    notes: list[tuple[int | None, str]] = []
    page = ConferencePage(
        language=rows.language,
        title=sections.title.text if sections.title else None,
        ordinal=_ordinal(sections.title, rows),
        start=start,
        end=end,
        period_line=period[0].number,
        venue=_place(sections.fields.get("venue", []), rows),
        organizer=_place(sections.fields.get("organizer", []), rows),
        notes=notes,
    )
    page.participation = _participation(sections.fields["participation"], rows, notes)
    completeness.check_participation(page.participation)
    _note_count_difference(page.participation, notes)
    first = sections.contents[0] if sections.contents else None
    completeness.check_contents(first.text if first else None, first and first.number, _is_item)
    page.agenda = _agenda(sections.contents, rows)
    if sections.declaration_head:
        page.declaration = _declaration(sections.declaration_head, sections.declaration, rows)
        last = next((line for line in reversed(sections.declaration) if line.text), None)
        completeness.check_declaration(
            page.declaration, last.text if last else None, last.number if last else None
        )
    return page


def _note_count_difference(participation: Participation, notes) -> None:
    """The sources do state counts that differ from the regions they list: a note, no error."""
    stated, listed = participation.stated_participants, len(participation.listed)
    if stated is not None and stated != listed:
        notes.append((participation.stated_line, f"{stated} participants stated, {listed} listed"))


def read_page(path: Path, **options) -> ConferencePage:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PageError(
            f"not UTF-8: byte 0x{data[error.start]:02X} at offset {error.start} cannot be "
            "decoded (save the page as UTF-8)",
            line=line,
            source=str(path),
        ) from error
    return parse_page(text, source=str(path), **options)
