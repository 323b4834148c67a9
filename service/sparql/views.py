"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and its query page."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from loaders.namespaces import prefixes
from loaders.settings import Settings
from service.http import context, formats, negotiation
from service.http.client_slots import ClientSlots
from service.http.errors import ApiError
from service.http.representation import VOID_LINK, set_vary
from service.http.request_view import RequestView, current
from service.http.response_cache import ResponseCache, response_cache_of
from service.sparql import description, execute, page, protocol, render, update
from service.sparql.results import Result, ValueTooLarge, reparse_guard

blueprint = Blueprint("sparql", __name__)


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    if request.method == "OPTIONS":
        # the CORS preflight's answer is added by the app's one CORS hook, from Allow
        # HEAD wherever GET is (Werkzeug answers HEAD with the GET route)
        resp = Response(status=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
        del resp.headers["Content-Type"]
        return resp
    view = current()
    operation = protocol.read(request, context.settings().max_query_bytes, view.host_url)
    if operation.kind == "update":
        return update.apply(view, operation)
    if operation.kind is None:
        return service_description(view, operation)
    return answer(view, operation, current_app)


# queries one client may have running at once in a worker: fewer than the public's share of
# its query processes (engine.QueryPool.public_share), so one address never takes them all;
# as many more may wait CLIENT_WAIT_SECONDS for one of its own to end (each waiting holds a
# web thread: one address holds at most four of a worker's twelve)
QUERIES_PER_CLIENT = 2
CLIENT_WAIT_SECONDS = 10.0


@blueprint.record_once
def _count_client_queries(state) -> None:
    # made with the app, before any request (two first requests made two counts); each worker
    # has its own copy after the fork
    state.app.extensions["nearkg_client_queries"] = ClientSlots(
        QUERIES_PER_CLIENT, waiting_per_client=QUERIES_PER_CLIENT, wait_seconds=CLIENT_WAIT_SECONDS
    )


def client_queries(app: Flask) -> ClientSlots:
    """This worker's count of the queries each client has running."""
    return app.extensions["nearkg_client_queries"]


def answer(view: RequestView, operation: protocol.Operation, app: Flask) -> Response:
    """The response to a query: from the response cache, or run in a query process and
    rendered. The one path of every query, whether Flask routed it (``endpoint``) or the query
    front answered it before Flask (service.sparql.front): it reads nothing from Flask's
    request context, only what it is given."""
    settings = app.config["NEARKG_SETTINGS"]
    cache = response_cache_of(app)
    key = _cache_key(view, settings, cache, operation)
    cached = cache.get(key) if key else None
    if key and cached is not None:
        view.keep_in_front(key)  # the front cache may keep it (service.http.front_cache)
        return cached.replay()  # no query process is asked
    try:
        with client_queries(app).hold(view.client) as held:
            if not held:
                raise ApiError(
                    429,
                    f"this address already has {QUERIES_PER_CLIENT} queries running here and "
                    "more waiting; send the next when one has been answered",
                    headers={"Retry-After": "5"},
                )
            result = execute.run(
                operation.text,
                settings=settings,
                store=app.extensions["nearkg_store"],
                snapshot=view.snapshot,
                base_iri=execute.endpoint_url(view),
                default_graphs=operation.default_graphs,
                named_graphs=operation.named_graphs,
                media=render.choices(view.accept, operation.format),
            )
    except ApiError as error:
        if error.code == 400 and wants_page(view, operation.format):
            # the query stays in the editor
            return page.error_page(view, operation.address, operation.text, error)
        raise
    resp = respond(
        view,
        result,
        operation.format,
        query=operation.text,
        address=operation.address,
        parameters=operation.parameters,
    )
    if key and resp.mimetype != render.HTML and cache.put(key, resp):
        view.keep_in_front(key)
    return resp


def _cache_key(
    view: RequestView, settings: Settings, cache: ResponseCache, operation: protocol.Operation
) -> tuple | None:
    """The cache key of a query's answer: the data, the query text, its dataset, its format
    (the format parameter and Accept, which the answer varies on) and the host (the base IRI
    of relative IRIs). None (never cached) while SPARQL Update is enabled: updates change the
    data in place, nor with the cache off (NEARKG_CACHE_BYTES=0)."""
    if settings.update_token or not cache.max_bytes:
        return None
    return (
        "sparql",
        cache.stamp(view.snapshot),
        view.host_url,
        operation.text,
        tuple(operation.default_graphs),
        tuple(operation.named_graphs),
        operation.format,
        view.accept,
    )


def wants_page(view: RequestView, fmt: str | None) -> bool:
    """Whether the answer would be the query page (a browser, no format asked for)."""
    try:
        return render.choose("solutions", view.accept, fmt).format is formats.HTML
    except ApiError:  # nothing acceptable: the error says so in its own format
        return False


def respond(
    view: RequestView,
    result: Result,
    fmt: str | None,
    *,
    query: str,
    address: str,
    parameters: tuple[tuple[str, str], ...],
    saved=None,
) -> Response:
    """Render one result in the chosen format (HTML is the query page with a table)."""
    try:
        return _respond(view, result, fmt, query, address, parameters, saved)
    except MemoryError as error:  # a value past the parsers' buffer (16 MiB)
        refusal = reparse_guard(error)
        if not isinstance(refusal, ValueTooLarge):
            raise
        raise ApiError(400, str(refusal)) from None
    except ValueTooLarge as error:
        raise ApiError(400, str(error)) from None


def _respond(view, result, fmt, query, address, parameters, saved) -> Response:
    # a query process may have written the answer already (render.choices): body() sends those
    # bytes, and the choice here still gives Vary
    choice = render.choose(result.kind, view.accept, fmt)
    if choice.format is formats.HTML:
        resp = page.results_page(
            view, result, query=query, address=address, parameters=parameters, saved=saved
        )
        render.mark_truncated(resp, result)
    else:
        resp = render.response(
            result,
            choice.format,
            prefixes=prefixes(view.base),
            note_url=view.absolute(RESULT_LIMIT_NOTE),
        )
    set_vary(view, resp, choice)
    return resp


def service_description(view: RequestView, operation: protocol.Operation) -> Response:
    """A browser gets the query page; any other client the Service Description in RDF."""
    offers = (*formats.SPARQL_GRAPH, formats.HTML)
    choice = negotiation.choose(offers, view.accept, format_name=operation.format)
    choice = choice or negotiation.Choice(formats.TURTLE, ("Accept",))
    if choice.format is formats.HTML:
        resp = page.query_page(view, operation.address, operation.editor)
    else:
        settings = context.settings()
        result = description.describe(
            operation.address,
            view.absolute("/.well-known/void"),
            view.snapshot,
            update=bool(settings.update_token),
            federation=bool(settings.federation_allow),
        )
        resp = render.response(result, choice.format, prefixes=description.PREFIXES)
        resp.headers["Link"] = VOID_LINK
    set_vary(view, resp, choice)
    return resp


RESULT_LIMIT_NOTE = "/sparql/result-limit"


@blueprint.get(RESULT_LIMIT_NOTE)
def result_limit_note():
    """Where a cut answer's ``link`` points: what the limit is and how to page past it."""
    limit = context.settings().result_limit
    text = (
        f"This endpoint sends at most {limit} rows (or triples) per answer "
        "(NEARKG_RESULT_LIMIT). An answer that had more was cut there: the response says so in "
        f"its head (link to this note) and in the {render.TRUNCATED_HEADER} header. To read "
        "the rest, page through it with ORDER BY, LIMIT and OFFSET, or download the dumps "
        "listed at /dumps/.\n"
    )
    resp = Response(text, 200, content_type=formats.PLAIN_TEXT.content_type)
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
