"""``/search`` (a page of results, or JSON) and ``/suggest`` (a few results as you type).

Both ask the name matcher (``loaders.names``): results are ranked by how well the name
matched, then things before the records of relations, then by centrality. When nothing
matches, ``/search`` offers the closest names ("did you mean"). Syntax: README.md, Search.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, json, render_template

from service.http.errors import ApiError
from service.http.negotiation import negotiate
from service.http.representation import Variant, represent
from service.http.request_view import RequestView, current
from service.linked_data.labels import chosen_label
from service.linked_data.name_finder import finder, other_name
from service.linked_data.things import entity_index
from service.pages.site import name_language

blueprint = Blueprint("search", __name__)

MAX_QUERY = 200
MAX_RESULTS = 200
SUGGEST_LIMIT = 10
SUGGEST_MAX = 50


def query_text(view: RequestView, name: str = "q") -> str:
    query = view.args.get(name, "")
    if len(query) > MAX_QUERY:
        raise ApiError(400, f"the search text is too long ({MAX_QUERY} characters at most)")
    return query.strip()


def search_things(
    view: RequestView, query: str, limit: int = MAX_RESULTS, kind: str = ""
) -> list[dict]:
    """The things whose names match ``query``, labelled in the reader's language."""
    lang = view.language
    index = entity_index()
    accept = (lambda thing: thing.kind == kind) if kind else None
    results = []
    for hit in finder().find(query, limit, accept=accept):
        key = hit.thing.extra["key"]
        label, label_lang = chosen_label(index, hit.thing.iri, lang)
        matched = other_name(hit, index, query, lang)
        results.append(
            {
                "iri": hit.thing.iri,
                "label": label,
                # the names' languages (null: unknown): pages mark one that is not theirs
                "label_lang": label_lang,
                "kind": hit.thing.kind,
                "matched": matched,
                "matched_lang": name_language(hit.thing.iri, matched) if matched else None,
                "score": round(hit.score, 3),
                "url": view.absolute(f"/doc/{hit.thing.kind}/{key}"),
            }
        )
    return results


def did_you_mean(query: str) -> list[dict]:
    """The closest names, for a query that found nothing."""
    names: dict[str, str | None] = {}  # each name once, with its language (None: unknown)
    for hit in finder().suggestions(query):
        names.setdefault(hit.name, hit.language or None)
    return [
        {"text": name, "lang": lang, "url": "/search?" + urlencode({"q": name})}
        for name, lang in names.items()
    ]


@blueprint.get("/search")
def search():
    view = current()
    query = query_text(view)
    results = search_things(view, query) if query else []
    suggestions = did_you_mean(query) if query and not results else []
    chosen = negotiate(view.accept, ["text/html", "application/json"], default="text/html")
    if chosen is None:
        raise ApiError(406, "search results come as text/html or application/json")
    if chosen == "application/json":
        body = json.dumps(
            {"query": query, "results": results, "suggestions": suggestions}, ensure_ascii=False
        )
        variant = Variant("search-json", language=view.language, extra=query, vary=["Accept"])
        return represent(view, body, "application/json", variant)
    text = render_template(
        "ld/search.html",
        snapshot=view.snapshot,
        query=query,
        results=results,
        suggestions=suggestions,
    )
    variant = Variant(
        "search-html", language=view.language, extra=query, vary=["Accept", "Accept-Language"]
    )
    return represent(view, text, "text/html; charset=utf-8", variant)


@blueprint.get("/suggest")
def suggest():
    """Completions as JSON: ``q`` the text typed so far, ``limit`` (1-50, default 10),
    ``kind`` to keep one kind of thing (``region``, ``conference`` ...)."""
    view = current()
    query = query_text(view)
    try:
        limit = min(max(int(view.args.get("limit", SUGGEST_LIMIT)), 1), SUGGEST_MAX)
    except ValueError:
        raise ApiError(400, "limit is a whole number from 1 to 50") from None
    kind = view.args.get("kind", "")[:40]
    results = search_things(view, query, limit, kind) if query else []
    body = json.dumps({"query": query, "results": results}, ensure_ascii=False)
    variant = Variant("suggest", language=view.language, extra=f"{query}\n{limit}\n{kind}")
    return represent(view, body, "application/json", variant)
