"""The four figures: how each builds its picture from its table, and how it is drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loaders import figure_models
from loaders.figure_data import FigureTable
from service.figures import bar_chart, matrix_chart, network_chart, timeline_chart
from service.figures.text import FigureText


@dataclass(frozen=True)
class FigureKind:
    name: str
    build: Callable[[FigureTable], object]  # table -> what the figure shows
    draw: Callable[..., str]  # (model, text, figure_id=, highlight=, link=) -> <svg> element


CATALOG: dict[str, FigureKind] = {
    kind.name: kind
    for kind in (
        FigureKind("conference-timeline", figure_models.timeline, timeline_chart.draw),
        FigureKind("participation-matrix", figure_models.participation_matrix, matrix_chart.draw),
        FigureKind("members-by-country", figure_models.country_bars, bar_chart.draw),
        FigureKind("coordination-network", figure_models.coordination_groups, network_chart.draw),
    )
}


def draw_svg(
    table: FigureTable, text: FigureText, *, highlight: str | None = None, link=None
) -> str:
    """The figure's ``<svg>`` element for its table, in the table's language; ``link(iri)``
    gives the address of a thing's page, making its marks links (None: a file drawn alone)."""
    kind = CATALOG[table.figure]
    return kind.draw(
        kind.build(table),
        text,
        figure_id=f"figure-{table.figure}",
        highlight=highlight,
        link=link,
    )


def drawn_rows(table: FigureTable, text: FigureText, *, link=None):
    """The figure drawn row by row with nothing marked, for those whose marked thing is one
    row (the timeline: ``timeline_chart.DrawnTimeline``), else None; ``svg(highlight)`` then
    draws the ``draw_svg`` of any highlight."""
    if table.figure != "conference-timeline":
        return None
    entries = figure_models.timeline(table)
    return timeline_chart.draw_rows(entries, text, figure_id=f"figure-{table.figure}", link=link)
