"""Members and observers by country: one horizontal stacked bar per country."""

from __future__ import annotations

from loaders.figure_models import CountryBar
from service.figures.svg import ACCENT, INK, LINE, MUTED, WARM, Svg, text_width
from service.figures.text import FigureText

TOP = 84
ROW = 32
BAR = 20
PLOT_WIDTH = 380
VALUE_ROOM = 72


def _tick_step(largest: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if largest / step <= 8:
            return step
    return 1000


def _value(bar: CountryBar) -> str:
    return f"{bar.members} + {bar.observers}" if bar.observers else str(bar.members)


def describe(bars: list[CountryBar], text: FigureText) -> str:
    if not bars:
        return text("No data")
    members, observers = text("Members"), text("Observers")
    lines = [f"{b.name}: {members} {b.members}, {observers} {b.observers}" for b in bars]
    total = (
        f"{members} {sum(b.members for b in bars)}, {observers} {sum(b.observers for b in bars)}"
    )
    return f"{text.caption('members-by-country')} {'; '.join(lines)}. Σ: {total}."


def draw(
    bars: list[CountryBar],
    text: FigureText,
    *,
    figure_id: str,
    highlight: str | None = None,
    link=None,
) -> str:
    title = text.title("members-by-country")
    label_width = max([text_width(b.name, 14) for b in bars] + [40]) + 16
    plot_x = 16 + label_width + 8
    width = max(plot_x + PLOT_WIDTH + VALUE_ROOM, text_width(title, 16) + 32)
    height = TOP + max(len(bars), 1) * ROW + 36
    svg = Svg(figure_id, width, height, text.lang, link)
    svg.text(16, 28, title, font_size=16, font_weight="bold")
    legend_x = 16.0
    for name, colour in ((text("Members"), ACCENT), (text("Observers"), WARM)):
        svg.rect(legend_x, 44, 14, 14, fill=colour)
        svg.text(legend_x + 20, 56, name, font_size=13)
        legend_x += 20 + text_width(name, 13) + 24
    if not bars:
        svg.text(16, TOP + 20, text("No data"), font_size=14, fill=MUTED)
        return svg.document(title, describe(bars, text))
    largest = max(max(b.total for b in bars), 1)
    step = _tick_step(largest)
    top_tick = -(-largest // step) * step
    scale = PLOT_WIDTH / top_tick
    bottom = TOP + len(bars) * ROW
    for tick in range(0, top_tick + 1, step):
        x = plot_x + tick * scale
        svg.line(x, TOP - 8, x, bottom, stroke_width=1, stroke_dasharray="2 3" if tick else None)
        svg.text(x, bottom + 18, str(tick), font_size=12, fill=MUTED, text_anchor="middle")
    for position, bar in enumerate(bars):
        y = TOP + position * ROW
        marked = bar.country == highlight
        linked = svg.open_link(bar.country)
        svg.open_group(class_="country", data_country=bar.country)
        svg.text(
            plot_x - 8,
            y + BAR / 2 + 5,
            bar.name,
            font_size=14,
            text_anchor="end",
            font_weight="bold" if marked else None,
            fill=ACCENT if marked else INK,
        )
        member_width = bar.members * scale
        svg.rect(plot_x, y, member_width, BAR, fill=ACCENT, class_="members")
        svg.rect(
            plot_x + member_width, y, bar.observers * scale, BAR, fill=WARM, class_="observers"
        )
        svg.text(
            plot_x + bar.total * scale + 8,
            y + BAR / 2 + 5,
            _value(bar),
            font_size=13,
            font_weight="bold" if marked else None,
        )
        svg.close_group()
        svg.close_link(linked)
    svg.line(plot_x, TOP - 8, plot_x, bottom, stroke=LINE, stroke_width=1.5)
    return svg.document(title, describe(bars, text))
