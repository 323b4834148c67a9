"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and its query page."""

from __future__ import annotations

from flask import Blueprint, Response, request

from loaders.store import PREFIXES

from .. import context
from ..errors import ApiError
from ..negotiation import negotiate
from ..response_cache import keep_in_front, response_cache
from . import description, execute, page, protocol, render, update
from .results import Result, ValueTooLarge, reparse_guard

blueprint = Blueprint("sparql", __name__)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
    "Access-Control-Max-Age": "86400",
}


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    if request.method == "OPTIONS":
        resp = Response(status=204, headers={**CORS, "Allow": "GET, POST, OPTIONS"})
        del resp.headers["Content-Type"]
        return resp
    settings = context.settings()
    operation = protocol.read(request, settings.max_query_bytes)
    if operation.kind == "update":
        return update.apply(operation)
    if operation.kind is None:
        return service_description(operation.format)
    key = _cache_key(operation)
    cached = response_cache().get(key) if key else None
    if cached is not None:
        keep_in_front(key[1])
        return cached.replay()  # no query process is asked
    result = execute.run(
        operation.text,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        media=render.choices(request.headers.get("Accept"), operation.format),
    )
    resp = respond(result, operation.format, query=operation.text)
    if key and resp.mimetype != render.HTML and response_cache().put(key, resp):
        keep_in_front(key[1])
    return resp


def _cache_key(operation: protocol.Operation) -> tuple | None:
    """The cache key of a query's answer: the data, the query text, its dataset, its format
    (the format parameter and Accept, which the answer varies on) and the host (the base IRI
    of relative IRIs). None (never cached) while SPARQL Update is enabled: updates change the
    data in place, nor with the cache off (NEARKG_CACHE_BYTES=0)."""
    if context.settings().update_token or not response_cache().max_bytes:
        return None
    return (
        "sparql",
        response_cache().stamp(context.snapshot()),
        request.host_url,
        operation.text,
        tuple(operation.default_graphs),
        tuple(operation.named_graphs),
        operation.format,
        request.headers.get("Accept"),
    )


def respond(result: Result, fmt: str | None, *, query: str, saved=None) -> Response:
    """Render one result in the chosen media type (HTML is the query page with a table)."""
    try:
        return _respond(result, fmt, query=query, saved=saved)
    except MemoryError as error:  # a value past the parsers' buffer (16 MiB)
        refusal = reparse_guard(error)
        if not isinstance(refusal, ValueTooLarge):
            raise
        raise ApiError(400, str(refusal)) from None
    except ValueTooLarge as error:
        raise ApiError(400, str(error)) from None


def _respond(result: Result, fmt: str | None, *, query: str, saved=None) -> Response:
    media_type = result.media_type or render.choose(result.kind, request.headers.get("Accept"), fmt)
    if media_type == render.HTML:
        resp = page.results_page(result, query=query, saved=saved)
        render.mark_truncated(resp, result)
        resp.headers["Vary"] = "Accept"
        return resp
    return render.response(result, media_type, prefixes=PREFIXES(context.settings().base))


def service_description(fmt: str | None) -> Response:
    """A browser gets the query page; any other client the Service Description in RDF."""
    offers = [*render.GRAPHS, render.HTML]
    wanted = render.GRAPH_NAMES.get(fmt or "") or negotiate(
        request.headers.get("Accept"), offers, default="text/turtle", aliases=render.GRAPH_ALIASES
    )
    if wanted == render.HTML:
        resp = page.query_page()
    else:
        settings = context.settings()
        result = description.describe(
            request.base_url,
            request.host_url.rstrip("/") + "/.well-known/void",
            context.snapshot(),
            update=bool(settings.update_token),
            federation=bool(settings.federation_allow),
        )
        resp = render.response(result, wanted or "text/turtle", prefixes=description.PREFIXES)
        resp.headers["Link"] = '</.well-known/void>; rel="describedby"'
    resp.headers["Vary"] = "Accept"
    return resp
