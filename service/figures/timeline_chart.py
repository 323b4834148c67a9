"""The timeline of the conferences: one row per conference, in order of its year."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from loaders.figure_models import TimelineEntry
from service.figures.svg import ACCENT, INK, LINE, MUTED, Svg, text_width
from service.figures.text import FigureText

TOP = 60
ROW = 48
AXIS_X = 84
LABEL_X = 104
MIN_WIDTH = 480


def _dates(entry: TimelineEntry) -> str:
    if entry.start and entry.end and entry.start != entry.end:
        return f"{entry.start} – {entry.end}"
    return entry.start or entry.end


def _detail(entry: TimelineEntry, text: FigureText) -> str:
    parts = []
    if entry.host_name:
        parts.append(f"{text('Host region')}: {entry.host_name}")
    if entry.planned_host_name:
        parts.append(f"{text('Planned host region')}: {entry.planned_host_name}")
    if _dates(entry):
        parts.append(_dates(entry))
    return " · ".join(parts)


def _ordinal(entry: TimelineEntry, text: FigureText) -> str:
    return text.ordinal(entry.ordinal, entry.inferred_ordinal)


def describe(entries: list[TimelineEntry], text: FigureText) -> str:
    if not entries:
        return text("No data")
    lines = [f"{e.year}: {_ordinal(e, text)}, {_detail(e, text)}".rstrip(", ") for e in entries]
    return text.caption("conference-timeline") + " " + "; ".join(lines) + "."


def draw(
    entries: list[TimelineEntry],
    text: FigureText,
    *,
    figure_id: str,
    highlight: str | None = None,
    link=None,
) -> str:
    return draw_rows(entries, text, figure_id=figure_id, link=link).svg(highlight)


@dataclass
class DrawnTimeline:
    """The timeline drawn with no conference marked, row by row: ``svg(highlight)`` draws
    only the marked conference's row again (a conference's page marks itself; the drawing of
    the others is the same on every conference's page)."""

    entries: list[TimelineEntry]
    text: FigureText
    svg_parts: Svg  # the frame: title, axis, and the rows' place
    rows: list[str]  # each entry's row, unmarked
    hrefs: list[str | None]  # each entry's link
    start: int  # where the rows begin in svg_parts.parts
    title: str
    description: str

    def svg(self, highlight: str | None) -> str:
        parts = self.svg_parts.parts
        rows = list(self.rows)
        for position, entry in enumerate(self.entries):
            if highlight is not None and entry.conference == highlight:
                marked = Svg(self.svg_parts.figure_id, 0, 0, self.text.lang)
                _row(marked, position, entry, self.text, True, self.hrefs[position])
                rows[position] = "".join(marked.parts)
        whole = copy.copy(self.svg_parts)
        whole.parts = [*parts[: self.start], *rows, *parts[self.start :]]
        return whole.document(self.title, self.description)


def draw_rows(
    entries: list[TimelineEntry], text: FigureText, *, figure_id: str, link=None
) -> DrawnTimeline:
    title = text.title("conference-timeline")
    widths = [text_width(title, 16) + 32]
    for entry in entries:
        widths.append(LABEL_X + text_width(_ordinal(entry, text), 15) + 20)
        widths.append(LABEL_X + text_width(_detail(entry, text), 13) + 20)
    width = max(MIN_WIDTH, *widths)
    height = TOP + max(len(entries), 1) * ROW + 8
    svg = Svg(figure_id, width, height, text.lang, link)
    svg.text(16, 28, title, font_size=16, font_weight="bold")
    drawn = DrawnTimeline(entries, text, svg, [], [], 0, title, describe(entries, text))
    if not entries:
        svg.text(16, TOP + 20, text("No data"), font_size=14, fill=MUTED)
        drawn.start = len(svg.parts)
        return drawn
    first, last = TOP + 14, TOP + 14 + (len(entries) - 1) * ROW
    if last > first:
        svg.line(AXIS_X, first, AXIS_X, last, stroke_width=2)
    drawn.start = len(svg.parts)
    for position, entry in enumerate(entries):
        href = svg.link(entry.conference) if svg.link and entry.conference else None
        row = Svg(figure_id, 0, 0, text.lang)
        _row(row, position, entry, text, False, href)
        svg.links += row.links
        drawn.rows.append("".join(row.parts))
        drawn.hrefs.append(href)
    return drawn


def _row(
    svg: Svg, position: int, entry: TimelineEntry, text: FigureText, marked: bool, href
) -> None:
    y = TOP + 14 + position * ROW
    colour = ACCENT if marked else INK
    svg.link = lambda iri: href
    linked = svg.open_link(entry.conference)
    svg.open_group(class_="conference", data_conference=entry.conference)
    svg.text(
        AXIS_X - 16,
        y + 5,
        str(entry.year),
        font_size=15,
        font_weight="bold",
        text_anchor="end",
        fill=colour,
    )
    svg.circle(
        AXIS_X,
        y,
        9 if marked else 7,
        fill=ACCENT if marked else "#ffffff",
        stroke=ACCENT if marked else LINE,
        stroke_width=2.5,
    )
    stated = entry.ordinal is not None
    svg.text(
        LABEL_X,
        y + 5,
        _ordinal(entry, text),
        font_size=15,
        font_weight="bold" if stated else None,
        font_style=None if stated else "italic",
        fill=colour if stated else MUTED,
    )
    svg.text(LABEL_X, y + 24, _detail(entry, text), font_size=13, fill=MUTED)
    svg.close_group()
    svg.close_link(linked)
