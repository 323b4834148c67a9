"""The four figures: how each builds its picture from its table, and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loaders import figure_models
from loaders.figure_data import FigureTable
from service.figures import bar_chart, matrix_chart, network_chart, timeline_chart
from service.figures.text import FigureText


@dataclass(frozen=True)
class FigureKind:
    name: str
    build: Callable[[FigureTable], object]  # table -> what the figure shows
    draw: Callable[..., str]  # (model, text, figure_id=, highlight=, link=) -> <svg> element
    # (model, highlight, limit) -> the part around the highlight, with at most limit marks
    window: Callable[[Any, str | None, int], Any] | None = None
    count: Callable[[Any], int] = len  # the marks of a model (rows of the timeline, ...)


CATALOG: dict[str, FigureKind] = {
    kind.name: kind
    for kind in (
        FigureKind(
            "conference-timeline",
            figure_models.timeline,
            timeline_chart.draw,
            figure_models.timeline_window,
        ),
        FigureKind("participation-matrix", figure_models.participation_matrix, matrix_chart.draw),
        FigureKind("members-by-country", figure_models.country_bars, bar_chart.draw),
        FigureKind(
            "coordination-network",
            figure_models.coordination_groups,
            network_chart.draw,
            figure_models.coordination_window,
            figure_models.coordination_count,
        ),
    )
}


def draw_svg(
    table: FigureTable,
    text: FigureText,
    *,
    highlight: str | None = None,
    link=None,
    model: Any = None,
) -> str:
    """The figure's ``<svg>`` element for its table, in the table's language; ``link(iri)``
    gives the address of a thing's page, making its marks links (None: a file drawn alone);
    ``model``: its ``model_of(table)`` when the caller has it."""
    kind = CATALOG[table.figure]
    return kind.draw(
        kind.build(table) if model is None else model,
        text,
        figure_id=f"figure-{table.figure}",
        highlight=highlight,
        link=link,
    )


def drawn_rows(table: FigureTable, text: FigureText, *, link=None, model: Any = None):
    """The figure drawn row by row with nothing marked, for those whose marked thing is one
    row (the timeline: ``timeline_chart.DrawnTimeline``), else None; ``svg(highlight)`` then
    draws the ``draw_svg`` of any highlight."""
    if table.figure != "conference-timeline":
        return None
    entries = figure_models.timeline(table) if model is None else model
    return timeline_chart.draw_rows(entries, text, figure_id=f"figure-{table.figure}", link=link)


# A figure shown on another page (a conference's, a subcommittee's, the home page) draws at
# most this many marks; the whole figure is on /figures. NEAR's own data stays under it (4
# conferences, 14 coordinations); a synthetic million triples has ~1,000 of each, which made
# each such page ~700 kB.
EMBEDDED_MARKS = 24


@dataclass(frozen=True)
class FigurePart:
    svg: str
    shown: int  # marks drawn
    total: int  # marks of the whole figure


def drawn_part(
    table: FigureTable,
    model: Any,
    text: FigureText,
    *,
    highlight: str | None,
    link=None,
    limit: int = EMBEDDED_MARKS,
) -> FigurePart | None:
    """The figure cut to the ``limit`` marks around ``highlight`` (``model``: its
    ``build(table)``), when it has more and can be cut; else None (draw it whole)."""
    kind = CATALOG[table.figure]
    if kind.window is None:
        return None
    total = kind.count(model)
    if total <= limit:
        return None
    part = kind.window(model, highlight, limit)
    svg = kind.draw(part, text, figure_id=f"figure-{table.figure}", highlight=highlight, link=link)
    return FigurePart(svg, kind.count(part), total)


def model_of(table: FigureTable) -> Any:
    """What the figure shows, built from its table."""
    return CATALOG[table.figure].build(table)
