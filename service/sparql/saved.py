"""Saved queries (``sparql/*.rq``) as resources: ``/queries``, ``/queries/{name}`` (HTML or
JSON by negotiation) and ``/queries/{name}/results`` (run with URL parameters, any format)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from loaders import saved_queries
from service.http import context, formats
from service.http.errors import ApiError
from service.http.negotiation import choose
from service.http.representation import set_vary
from service.http.request_view import current
from service.pages.page_links import thing_iri_of
from service.sparql import execute
from service.sparql.protocol import FORMAT_PARAMS

blueprint = Blueprint("queries", __name__)
OFFERS = (formats.JSON, formats.HTML)


def _folder():
    return context.settings().data_dir / "sparql"


def _find(name: str) -> saved_queries.SavedQuery:
    try:
        return saved_queries.find(_folder(), name)
    except KeyError:
        raise ApiError(404, f"there is no saved query called {name!r}") from None
    except saved_queries.SavedQueryError as error:
        raise ApiError(500, f"the saved query {name!r} is malformed: {error}") from error


def _choice():
    view = current()
    chosen = choose(OFFERS, view.accept, format_name=view.format_name)
    if chosen is None:
        offered = ", ".join(f.media_type for f in OFFERS)
        raise ApiError(406, f"offered: {offered}", offered=offered)
    return chosen


def _wants_html() -> bool:
    return _choice().format is formats.HTML


def describe(query: saved_queries.SavedQuery) -> dict:
    base = current().host_url
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in query.params
        ],
        "text": query.text,
        "url": f"{base}/queries/{query.name}",
        "results": f"{base}/queries/{query.name}/results",
    }


def _negotiated(html: str, data) -> Response:
    view = current()
    choice = _choice()
    if choice.format is formats.HTML:
        resp = Response(html, 200, mimetype="text/html")
    else:
        resp = jsonify(data)
    set_vary(view, resp, choice)
    return resp


@blueprint.get("/queries")
def index():
    try:
        queries = saved_queries.list_queries(_folder())
    except saved_queries.SavedQueryError as error:
        raise ApiError(500, f"a saved query is malformed: {error}") from error
    data = {"queries": [describe(q) for q in queries]}
    if not _wants_html():
        return _negotiated("", data)
    html = render_template("queries.html", queries=data["queries"], query=None)
    return _negotiated(html, data)


@blueprint.get("/queries/<name>")
def show(name: str):
    query = _find(name)
    data = describe(query)
    if not _wants_html():
        return _negotiated("", data)
    return _negotiated(render_template("queries.html", queries=None, query=data), data)


@blueprint.get("/queries/<name>/results")
def results(name: str):
    from service.sparql.views import respond, wants_page

    query = _find(name)
    view = current()
    args = view.args
    base = context.settings().base
    given = {
        p.name: thing_iri_of(args[p.name], base) if p.type == "iri" else args[p.name]
        for p in query.params
        if p.name in args
    }  # an address of this site pasted for an IRI means the thing it shows
    fmt = next((args[k] for k in FORMAT_PARAMS if args.get(k)), None)
    try:
        substitutions = query.substitutions(given)
    except ValueError as error:
        if wants_page(view, fmt):  # the form again, with what was typed and what is wrong
            html = render_template(
                "queries.html", queries=None, query=describe(query), error=str(error)
            )
            return Response(html, 400, mimetype="text/html", headers={"Vary": "Accept"})
        raise ApiError(400, str(error)) from error
    result = execute.run(
        query.text,
        settings=context.settings(),
        store=context.store(),
        snapshot=view.snapshot,
        base_iri=execute.endpoint_url(view),
        substitutions=substitutions,
    )
    return respond(
        view,
        result,
        fmt.lower() if fmt else None,
        query=query.text,
        address=view.absolute(view.path),
        parameters=tuple(args.items(multi=True)),
        saved=query,
    )
