"""Subcommittees and their coordinator regions, grouped by country: each region is joined by a
line to every subcommittee it coordinates."""

from __future__ import annotations

from loaders.figure_models import CountryGroup
from service.figures.svg import ACCENT, BAND, INK, LINE, MUTED, Svg, text_width
from service.figures.text import FigureText

TOP = 76
ROW = 28
GAP = 8
LINK_ROOM = 56


def describe(groups: list[CountryGroup], text: FigureText) -> str:
    if not groups:
        return text("No data")
    parts = []
    for group in groups:
        regions = ", ".join(
            f"{r.name} ({', '.join(s.name for s in r.subcommittees)})" for r in group.regions
        )
        parts.append(f"{group.name}: {regions}")
    return f"{text.caption('coordination-network')} {'; '.join(parts)}."


def draw(
    groups: list[CountryGroup],
    text: FigureText,
    *,
    figure_id: str,
    highlight: str | None = None,
    link=None,
) -> str:
    title = text.title("coordination-network")
    country_width = (
        max(
            [text_width(g.name, 13) for g in groups] + [text_width(text.heading("Country"), 13), 60]
        )
        + 24
    )
    region_width = (
        max(
            [text_width(r.name, 13) for g in groups for r in g.regions]
            + [text_width(text.heading("Region"), 13), 60]
        )
        + 24
    )
    sub_width = max(
        [text_width(s.name, 13) for g in groups for r in g.regions for s in r.subcommittees]
        + [text_width(text.heading("Subcommittee"), 13), 60]
    )
    region_x = 16 + country_width + region_width
    sub_x = region_x + LINK_ROOM
    width = max(sub_x + 14 + sub_width + 16, text_width(title, 16) + 32)
    rows = sum(g.subcommittee_count for g in groups)
    height = TOP + rows * ROW + len(groups) * GAP + 16
    svg = Svg(figure_id, width, height, text.lang, link)
    svg.text(16, 28, title, font_size=16, font_weight="bold")
    if not groups:
        svg.text(16, TOP, text("No data"), font_size=14, fill=MUTED)
        return svg.document(title, describe(groups, text))
    headings = (
        (16, "Country", None),
        (region_x - 10, "Region", "end"),
        (sub_x, "Subcommittee", None),
    )
    for x, heading, anchor in headings:
        svg.text(
            x,
            TOP - 16,
            text.heading(heading),
            font_size=13,
            font_weight="bold",
            fill=MUTED,
            text_anchor=anchor,
        )
    y = float(TOP)
    for number, group in enumerate(groups):
        band = group.subcommittee_count * ROW
        if number % 2 == 0:
            svg.rect(8, y - 4, width - 16, band + GAP, fill=BAND)
        svg.text(16, y + 18, group.name, font_size=13, font_weight="bold")
        for region in group.regions:
            count = len(region.subcommittees)
            region_y = y + (count * ROW) / 2
            region_marked = region.region == highlight
            svg.open_group(class_="coordinator", data_region=region.region)
            for position, sub in enumerate(region.subcommittees):
                sub_y = y + position * ROW + ROW / 2
                marked = region_marked or sub.iri == highlight
                svg.line(
                    region_x + 6,
                    region_y,
                    sub_x - 6,
                    sub_y,
                    stroke=ACCENT if marked else LINE,
                    stroke_width=2.5 if marked else 1.5,
                )
                svg.circle(sub_x, sub_y, 5, fill=ACCENT if marked else INK)
                linked = svg.open_link(sub.iri)
                svg.text(
                    sub_x + 12,
                    sub_y + 5,
                    sub.name,
                    font_size=13,
                    fill=ACCENT if marked else INK,
                    font_weight="bold" if sub.iri == highlight else None,
                    class_="subcommittee",
                    data_subcommittee=sub.iri,
                )
                svg.close_link(linked)
            svg.circle(region_x, region_y, 6, fill=ACCENT if region_marked else INK)
            linked = svg.open_link(region.region)
            svg.text(
                region_x - 10,
                region_y + 5,
                region.name,
                font_size=13,
                text_anchor="end",
                fill=ACCENT if region_marked else INK,
                font_weight="bold" if region_marked else None,
            )
            svg.close_link(linked)
            svg.close_group()
            y += count * ROW
        y += GAP
    return svg.document(title, describe(groups, text))
