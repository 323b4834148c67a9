"""The participation matrix: regions (grouped by country) by conferences, a filled dot where a
conference page lists the region, a small dot where its list leaves the region out, a dashed
ring where the page lists nobody; below, the counts each page states and lists, and a legend.
Where the page gives ``link``, region names, years and dots link to their pages."""

from __future__ import annotations

from itertools import groupby

from loaders.figure_models import MatrixColumn, ParticipationMatrix
from service.figures.svg import ACCENT, BAND, INK, LINE, MUTED, WARM, Svg, text_width
from service.figures.text import FigureText

HEADER_TOP = 48
ROW = 24
MIN_COLUMN = 64


def _ordinal(column: MatrixColumn, text: FigureText) -> str:
    return text.ordinal(column.ordinal) if column.ordinal is not None else "—"


def describe(matrix: ParticipationMatrix, text: FigureText) -> str:
    if not matrix.columns:
        return text("No data")
    parts = []
    for column in matrix.columns:
        stated = column.stated if column.stated is not None else text("not stated")
        names = ", ".join(r.name for r in matrix.regions_at(column.conference))
        counts = f"{text('stated')} {stated}, {text('listed')} {column.listed}"
        parts.append(
            f"{column.year} ({_ordinal(column, text)}): {counts}" + (f": {names}" if names else "")
        )
    return f"{text.caption('participation-matrix')} {'; '.join(parts)}."


def draw(
    matrix: ParticipationMatrix,
    text: FigureText,
    *,
    figure_id: str,
    highlight: str | None = None,
    link=None,
) -> str:
    title = text.title("participation-matrix")
    columns = matrix.columns
    groups = [
        (code, list(rows)) for code, rows in groupby(matrix.rows, key=lambda r: r.country_code)
    ]
    labels = [r.name for r in matrix.rows] + [
        text("stated"),
        text("listed"),
        text.heading("Region"),
    ]
    label_width = (
        max(
            [text_width(s, 13) + 16 for s in labels]
            + [text_width(rows[0].country_name, 13) for _, rows in groups]
            + [80]
        )
        + 16
    )
    column_width = max([MIN_COLUMN] + [text_width(_ordinal(c, text), 12) + 16 for c in columns])
    body_top = HEADER_TOP + 44
    body_rows = len(matrix.rows) + len(groups)
    footer_top = body_top + body_rows * ROW + 10
    legend = [text("listed as taking part"), text("not listed"), text("no list in the source")]
    legend_width = 16 + sum(28 + text_width(words, 12) + 16 for words in legend)
    width = max(
        16 + label_width + column_width * max(len(columns), 1) + 16,
        text_width(title, 16) + 32,
        legend_width,
    )
    height = footer_top + 3 * ROW + 16
    svg = Svg(figure_id, width, height, text.lang, link)
    svg.text(16, 28, title, font_size=16, font_weight="bold")
    if not columns:
        svg.text(16, body_top, text("No data"), font_size=14, fill=MUTED)
        return svg.document(title, describe(matrix, text))
    x0 = 16 + label_width

    def centre(index: int) -> float:
        return x0 + column_width * index + column_width / 2

    svg.text(
        16, HEADER_TOP + 20, text.heading("Region"), font_size=13, font_weight="bold", fill=MUTED
    )
    for index, column in enumerate(columns):
        marked = column.conference == highlight
        linked = svg.open_link(column.conference)
        svg.text(
            centre(index),
            HEADER_TOP + 18,
            str(column.year),
            font_size=14,
            font_weight="bold",
            text_anchor="middle",
            fill=ACCENT if marked else INK,
        )
        svg.text(
            centre(index),
            HEADER_TOP + 34,
            _ordinal(column, text),
            font_size=12,
            text_anchor="middle",
            fill=ACCENT if marked else MUTED,
        )
        svg.close_link(linked)
    y = body_top
    for number, (_code, rows) in enumerate(groups):
        band_height = (len(rows) + 1) * ROW
        if number % 2 == 0:
            svg.rect(8, y, width - 16, band_height, fill=BAND)
        svg.text(16, y + 17, rows[0].country_name, font_size=13, font_weight="bold")
        y += ROW
        for row in rows:
            marked = row.region == highlight
            svg.open_group(class_="region", data_region=row.region)
            linked = svg.open_link(row.region)
            svg.text(
                32,
                y + 17,
                row.name,
                font_size=13,
                fill=ACCENT if marked else INK,
                font_weight="bold" if marked else None,
            )
            svg.close_link(linked)
            for index, column in enumerate(columns):
                _cell(svg, centre(index), y + 12, matrix, row.region, column)
            svg.close_group()
            y += ROW
    svg.line(16, footer_top - 4, width - 16, footer_top - 4, stroke=INK, stroke_width=1)
    for offset, (label, value_of) in enumerate(
        ((text("stated"), lambda c: c.stated), (text("listed"), lambda c: c.listed))
    ):
        baseline = footer_top + offset * ROW + 16
        svg.text(16, baseline, label, font_size=13, font_weight="bold")
        for index, column in enumerate(columns):
            value = value_of(column)
            differs = column.stated is not None and column.stated != column.listed
            svg.text(
                centre(index),
                baseline,
                "—" if value is None else str(value),
                font_size=13,
                text_anchor="middle",
                fill=WARM if differs else INK,
                font_weight="bold" if differs else None,
                class_="count",
            )
    legend_y = footer_top + 2 * ROW + 14
    x = 16.0
    for words, kind in zip(legend, ("took-part", "not-listed", "no-list"), strict=True):
        _mark(svg, x + 8, legend_y - 4, kind, in_legend=True)
        svg.text(x + 22, legend_y, words, font_size=12, fill=MUTED)
        x += 28 + text_width(words, 12) + 16
    return svg.document(title, describe(matrix, text))


def _cell(svg: Svg, x: float, y: float, matrix, region: str, column: MatrixColumn) -> None:
    """A region at a conference: listed as taking part (linked to the conference), not in
    the page's list, or the page lists nobody (it does not say who came)."""
    if matrix.took_part(region, column.conference):
        linked = svg.open_link(column.conference)
        _mark(svg, x, y, "took-part")
        svg.close_link(linked)
    else:
        _mark(svg, x, y, "not-listed" if column.listed else "no-list")


def _mark(svg: Svg, x: float, y: float, kind: str, *, in_legend: bool = False) -> None:
    name = f"legend-{kind}" if in_legend else kind
    if kind == "took-part":
        svg.circle(x, y, 7, fill=ACCENT, class_=name)
    elif kind == "not-listed":
        svg.circle(x, y, 3, fill=LINE, class_=name)
    else:  # no list in the source: an open dashed ring, neither yes nor no
        svg.circle(
            x, y, 6, fill="none", stroke=LINE, stroke_width=1.5, stroke_dasharray="2 2",
            class_=name,
        )  # fmt: skip
