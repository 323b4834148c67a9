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
from service.figures.catalog import EMBEDDED_MARKS, draw_svg, drawn_part, drawn_rows, model_of
from service.figures.exports import to_csv, to_json
from service.figures.svg import standalone
from service.figures.text import FigureText
from service.http import context
from service.http.errors import ApiError
from service.http.negotiation import negotiate
from service.http.representation import Variant, represent
from service.http.request_view import RequestView, current
from service.http.response_cache import data_stamp
from service.pages.page_links import page_url

blueprint = Blueprint("figures", __name__)

MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "json": "application/json",
}
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
# per data version and language: 4 tables, 4 models and the words (54 in six languages), and
# the timeline's rows per address and ?lang=; past this everything is made again
_CACHE_LIMIT = 128
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


def table_for(view: RequestView, name: str, lang: str) -> FigureTable:
    """The figure's table for this request's snapshot; ``UnknownFigure`` if there is none."""
    snapshot = view.snapshot
    folder = Path(context.settings().data_dir) / "sparql"

    def compute():
        return figure_table(context.store(), folder, name, lang, snapshot=snapshot)

    return _cached((*data_stamp(snapshot), "table", name, lang), compute)


def text_for(view: RequestView, lang: str) -> FigureText:
    snapshot = view.snapshot
    namespace = view.base + "def#"

    def compute():
        return FigureText(lang, term_labels(context.store(), namespace, lang, snapshot=snapshot))

    return _cached((*data_stamp(snapshot), "text", lang), compute)


def _table_or_404(view: RequestView, name: str) -> FigureTable:
    try:
        return table_for(view, name, view.language)
    except KeyError:
        raise ApiError(404, f"there is no figure called {name!r}", figures=list(FIGURES)) from None


def _vary(view: RequestView) -> list[str]:
    return ["Accept-Language"] if view.language_from == "header" else []


def _respond(view: RequestView, table: FigureTable, fmt: str, vary: list[str]):
    text = text_for(view, table.lang)
    query_url = view.absolute(f"/queries/{table.query}")
    if fmt == "svg":
        body = standalone(draw_svg(table, text))
    elif fmt == "csv":
        body = to_csv(table)
    else:
        body = to_json(
            table,
            title=text.title(table.figure),
            caption=text.caption(table.figure),
            query_url=query_url,
        )
    variant = Variant(f"figure-{table.figure}.{fmt}", language=table.lang, vary=vary)
    variant.links.append(f'<{query_url}>; rel="describedby"')
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
    text = text_for(view, view.language)
    figures = [figure_context(view, name, text) for name in FIGURES]
    html = render_template("figures/index.html", figures=figures, ft=text, snapshot=view.snapshot)
    variant = Variant("figures-html", language=view.language, vary=_vary(view))
    return represent(view, html, "text/html; charset=utf-8", variant)


@blueprint.get("/figures/<filename>")
def figure(filename: str):
    view = current()
    name, dot, suffix = filename.rpartition(".")
    if dot and suffix in MEDIA_TYPES:
        return _respond(view, _table_or_404(view, name), suffix, _vary(view))
    if dot:
        raise ApiError(404, f"figures come as {', '.join('.' + s for s in MEDIA_TYPES)}")
    table = _table_or_404(view, filename)
    offers = list(MEDIA_TYPES.values())
    chosen = negotiate(view.accept, offers, default="image/svg+xml")
    if chosen is None:
        raise ApiError(406, f"a figure comes as {', '.join(offers)}", offered=offers)
    fmt = next(key for key, media in MEDIA_TYPES.items() if media == chosen)
    return _respond(view, table, fmt, ["Accept", *_vary(view)])


def figure_context(
    view: RequestView,
    name: str,
    text: FigureText,
    *,
    highlight: str | None = None,
    limit: int | None = None,
) -> dict:
    """What a template needs to show one figure: its svg, words and links. With ``limit``
    (a figure on another page), at most that many marks around ``highlight``."""
    table = table_for(view, name, text.lang)

    def page_of(iri: str) -> str | None:
        """The page of a thing in our URI space (in the reader's chosen language), else None."""
        return page_url(view.local_url(iri)) if iri.startswith(view.base) else None

    # what the figure shows, built once per data version and language
    model = _cached((*data_stamp(view.snapshot), "model", name, text.lang), lambda: model_of(table))
    part = None
    if limit is not None:
        part = drawn_part(table, model, text, highlight=highlight, link=page_of, limit=limit)
    if part is not None:
        svg = part.svg
    else:
        # drawn once per data version, language and address, then marked for each highlight
        key = (
            *data_stamp(view.snapshot),
            "rows",
            name,
            text.lang,
            view.language_query,
            view.host_url,
        )
        rows = _cached(key, lambda: drawn_rows(table, text, link=page_of, model=model))
        if rows is not None:
            svg = rows.svg(highlight)
        else:
            svg = draw_svg(table, text, highlight=highlight, link=page_of, model=model)
    return {
        "name": name,
        "title": text.title(name),
        "caption": text.caption(name),
        "svg": Markup(svg),  # noqa: S704 - escaped by svg.py
        "query": table.query,
        "empty": not table.rows,
        "lang": text.lang,
        "shown": part.shown if part else None,  # a part of the figure: how many marks of
        "total": part.total if part else None,  # how many
    }


# figure blocks kept drawn (figure_embed), by total characters: a conference's page draws the
# timeline with itself highlighted, the same for every reader of one language and address
EMBEDS_KEPT_CHARS = 8 * 1024 * 1024
_embeds: dict[tuple, Markup] = {}
_embeds_chars = 0


def figure_embed(name: str, highlight: str | None = None) -> Markup:
    """The figure block for another page's template (nothing if the data cannot draw it),
    drawn once per data version, figure, highlighted thing, language and host (its links
    carry the host and the chosen ``?lang=``), then kept (bounded)."""
    global _embeds_chars
    view = current()  # a template global: templates call it with the figure's name only
    key = (
        *data_stamp(view.snapshot), name, highlight, view.language, view.language_query,
        view.host_url,
    )  # fmt: skip
    found = _embeds.get(key)
    if found is None:
        found = _embed(view, name, highlight)
        with _cache_lock:
            while _embeds and _embeds_chars + len(found) > EMBEDS_KEPT_CHARS:
                _embeds_chars -= len(_embeds.pop(next(iter(_embeds))))  # the oldest first
            if len(found) <= EMBEDS_KEPT_CHARS and key not in _embeds:
                _embeds[key] = found
                _embeds_chars += len(found)
    return found


def _embed(view: RequestView, name: str, highlight: str | None) -> Markup:
    try:
        text = text_for(view, view.language)
        item = figure_context(view, name, text, highlight=highlight, limit=EMBEDDED_MARKS)
    except KeyError:  # this dataset has no saved query for the figure
        return Markup("")
    if item["empty"]:
        return Markup("")
    html = render_template("figures/_figure.html", figure=item, ft=text)
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def figure_words(phrase: str) -> str:
    """A phrase of the figures in the reader's language (for other pages' links)."""
    return FigureText(current().language)(phrase)


# the figure that puts a thing of each kind in context on its page (figures/_entity.html);
# a page of any other kind includes no figure template at all (including one that drew
# nothing was a fortieth of a small page)
FIGURE_OF_KIND = {
    "conference": "conference-timeline",
    "country": "members-by-country",
    "subcommittee": "coordination-network",
}


def register(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.jinja_env.globals["figure_of_kind"] = FIGURE_OF_KIND
    app.add_template_global(figure_embed, "figure_embed")
    app.add_template_global(figure_words, "figure_words")
