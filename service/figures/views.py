"""Routes: ``/figures`` (the page), ``/figures/{name}.svg|.csv|.json`` and ``/figures/{name}``
(negotiated); and ``figure_embed`` for other pages' templates.

Each request builds the figure's table once (its saved query, in the reader's language) and
renders it in the format asked. Responses carry an ETag made of the data version, the format
and the language, and ``Vary: Accept-Language`` when the language came from that header.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Flask, render_template
from markupsafe import Markup

from loaders.figure_data import FIGURES, FigureTable, figure_table, term_labels
from service.figures.catalog import draw_svg
from service.figures.exports import to_csv, to_json
from service.figures.svg import standalone
from service.figures.text import FigureText
from service.http import context
from service.http.errors import ApiError
from service.http.negotiation import negotiate
from service.http.representation import Variant, represent
from service.http.request_view import current
from service.http.response_cache import data_stamp

blueprint = Blueprint("figures", __name__)

MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "json": "application/json",
}
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
_CACHE_LIMIT = 64
_cache: dict[tuple, object] = {}
_cache_lock = threading.Lock()


def _cached(key: tuple, compute):
    """One table or label set per (data version, figure, language): figures appear on many
    pages, the data changes only on reload."""
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    value = compute()
    with _cache_lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = value
    return value


def table_for(name: str, lang: str) -> FigureTable:
    """The figure's table for this request's snapshot; ``UnknownFigure`` if there is none."""
    snapshot = context.snapshot()
    folder = Path(context.settings().data_dir) / "sparql"

    def compute():
        return figure_table(context.store(), folder, name, lang, snapshot=snapshot)

    return _cached((*data_stamp(snapshot), "table", name, lang), compute)


def text_for(lang: str) -> FigureText:
    snapshot = context.snapshot()
    namespace = context.settings().base + "def#"

    def compute():
        return FigureText(lang, term_labels(context.store(), namespace, lang, snapshot=snapshot))

    return _cached((*data_stamp(snapshot), "text", lang), compute)


def _table_or_404(name: str) -> FigureTable:
    try:
        return table_for(name, current().language)
    except KeyError:
        raise ApiError(404, f"there is no figure called {name!r}", figures=list(FIGURES)) from None


def _vary() -> list[str]:
    return ["Accept-Language"] if current().language_from == "header" else []


def _query_url(table: FigureTable) -> str:
    return current().absolute(f"/queries/{table.query}")


def _respond(table: FigureTable, fmt: str, vary: list[str]):
    view = current()
    text = text_for(table.lang)
    if fmt == "svg":
        body = standalone(draw_svg(table, text))
    elif fmt == "csv":
        body = to_csv(table)
    else:
        body = to_json(
            table,
            title=text.title(table.figure),
            caption=text.caption(table.figure),
            query_url=_query_url(table),
        )
    variant = Variant(f"figure-{table.figure}.{fmt}", language=table.lang, vary=vary)
    variant.links.append(f'<{_query_url(table)}>; rel="describedby"')
    response = represent(view, body, f"{MEDIA_TYPES[fmt]}; charset=utf-8", variant)
    if fmt == "svg":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    if fmt == "csv":
        filename = f"{table.figure}-{table.lang}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.get("/figures")
def index():
    view = current()
    text = text_for(current().language)
    figures = [figure_context(name, text) for name in FIGURES]
    html = render_template(
        "figures/index.html", figures=figures, ft=text, snapshot=context.snapshot()
    )
    variant = Variant("figures-html", language=current().language, vary=_vary())
    return represent(view, html, "text/html; charset=utf-8", variant)


@blueprint.get("/figures/<filename>")
def figure(filename: str):
    name, dot, suffix = filename.rpartition(".")
    if dot and suffix in MEDIA_TYPES:
        return _respond(_table_or_404(name), suffix, _vary())
    if dot:
        raise ApiError(404, f"figures come as {', '.join('.' + s for s in MEDIA_TYPES)}")
    table = _table_or_404(filename)
    offers = list(MEDIA_TYPES.values())
    chosen = negotiate(current().accept, offers, default="image/svg+xml")
    if chosen is None:
        raise ApiError(406, f"a figure comes as {', '.join(offers)}", offered=offers)
    fmt = next(key for key, media in MEDIA_TYPES.items() if media == chosen)
    return _respond(table, fmt, ["Accept", *_vary()])


def figure_context(name: str, text: FigureText, *, highlight: str | None = None) -> dict:
    """What a template needs to show one figure: its svg, words and links."""
    table = table_for(name, text.lang)
    return {
        "name": name,
        "title": text.title(name),
        "caption": text.caption(name),
        "svg": Markup(draw_svg(table, text, highlight=highlight)),  # noqa: S704 - escaped by svg.py
        "query": table.query,
        "empty": not table.rows,
        "lang": text.lang,
    }


def figure_embed(name: str, highlight: str | None = None) -> Markup:
    """The figure block for another page's template (nothing if the data cannot draw it)."""
    try:
        item = figure_context(name, text_for(current().language), highlight=highlight)
    except KeyError:  # this dataset has no saved query for the figure
        return Markup("")
    if item["empty"]:
        return Markup("")
    html = render_template("figures/_figure.html", figure=item, ft=text_for(current().language))
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def figure_words(phrase: str) -> str:
    """A phrase of the figures in the reader's language (for other pages' links)."""
    return FigureText(current().language)(phrase)


def register(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.add_template_global(figure_embed, "figure_embed")
    app.add_template_global(figure_words, "figure_words")
