"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset, its format.

GET ``?query=``; POST form (``application/x-www-form-urlencoded``: ``query=`` or ``update=``);
POST direct (``application/sparql-query`` / ``application/sparql-update``, UTF-8 only). The
dataset comes from ``default-graph-uri``/``named-graph-uri`` (queries) or
``using-graph-uri``/``using-named-graph-uri`` (updates). ``format``/``output``/``results`` name
a result format (SPARQLWrapper sends all three); other parameters beside a query are
ignored. A GET without ``query`` (the query page, or the Service Description) takes only the
format names, ``lang`` and ``editor``: anything else is a mistake the client should hear of
(``?querry=`` typos, or the Graph Store Protocol's ``?graph=``/``?default``, which this endpoint
does not implement), so it gets 400 saying so instead of the description.

This is the one module of ``service.sparql`` that reads the request: what the rest needs of it
(the update's ``Authorization``, the endpoint's address, the parameters a results page links
with) travels in the ``Operation``, and the request's negotiation in its ``RequestView``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from werkzeug import Request
from werkzeug.datastructures import MultiDict

from service.http.errors import ApiError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
FORMAT_PARAMS = ("format", "output", "results")
WITHOUT_QUERY_PARAMS = frozenset({*FORMAT_PARAMS, "lang", "editor"})


@dataclass
class Operation:
    kind: str | None  # "query", "update", or None (no operation: the page or the description)
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None
    address: str = ""  # the endpoint's URL as requested, without the query string
    # every parameter sent (query string and form, and a direct POST's query as query=): the
    # results page links each other format with them
    parameters: tuple[tuple[str, str], ...] = ()
    editor: str | None = None  # ?editor=: a query to put in the page's editor, not to run
    authorization: str = ""  # the Authorization header (an update's bearer token)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def read(request: Request, max_bytes: int, host_url: str) -> Operation:
    """The operation a request asks for; ``ApiError`` 400/413/415 when it is malformed. Takes
    any Werkzeug request (the query front reads one without Flask: service.sparql.front) and
    the host it came to (``RequestView.host_url``)."""
    operation = _read(request, max_bytes)
    parameters: list[tuple[str, str]]
    if request.method == "POST":
        parameters = cast(list[tuple[str, str]], list(request.values.items(multi=True)))
        if operation.kind == "query" and request.mimetype != FORM:
            parameters.append(("query", operation.text))
    else:
        parameters = cast(list[tuple[str, str]], list(request.args.items(multi=True)))
    operation.address = host_url + request.script_root + request.path
    operation.parameters = tuple(parameters)
    operation.editor = _present(request.args, "editor")
    operation.authorization = request.headers.get("Authorization", "")
    return operation


def _read(request: Request, max_bytes: int) -> Operation:
    if request.method == "POST":
        return _read_post(request, max_bytes)
    args = request.args
    if "update" in args:
        raise ApiError(405, "a SPARQL update must be sent with POST", headers={"Allow": "POST"})
    text = _single(args, "query")
    if text is None:
        _refuse_unknown(args)
    return _operation("query", args, args, max_bytes, text=text)


def _refuse_unknown(args: MultiDict) -> None:
    unknown = sorted(name for name in args if name not in WITHOUT_QUERY_PARAMS)
    if not unknown:
        return
    if "graph" in unknown or "default" in unknown:
        raise ApiError(
            400,
            "this endpoint does not implement the SPARQL 1.1 Graph Store Protocol (?graph=, "
            "?default): a named graph is a document at its own IRI (/graph/...), or ask for it "
            "with query=CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <iri> { ?s ?p ?o } }",
            parameters=unknown,
        )
    raise ApiError(
        400,
        f"a GET /sparql without query= takes no {', '.join(unknown)} parameter; send the query "
        "as query=, or no parameters for the service description",
        parameters=unknown,
        accepted=sorted(WITHOUT_QUERY_PARAMS),
    )


def _read_post(request: Request, max_bytes: int) -> Operation:
    mimetype = request.mimetype
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if request.content_length is not None and request.content_length > 3 * max_bytes + 4096:
        raise _too_large(max_bytes)
    if not request.headers.get("Content-Type"):
        raise ApiError(
            400,
            f"a POST needs a Content-Type: application/x-www-form-urlencoded, {QUERY} or {UPDATE}",
        )
    if mimetype not in (FORM, QUERY, UPDATE):
        raise ApiError(
            415,
            f"unsupported Content-Type {mimetype!r}; use {FORM}, {QUERY} or {UPDATE}",
            headers={"Accept-Post": f"{FORM}, {QUERY}, {UPDATE}"},
        )
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, f"the request body must be UTF-8, not {charset!r}")
    if mimetype == FORM:
        form = request.form
        if "query" in form and "update" in form:
            raise ApiError(400, "send either query= or update=, not both")
        params = MultiDict(list(request.args.items(multi=True)) + list(form.items(multi=True)))
        if "update" in form:
            return _operation("update", params, params, max_bytes, text=_single(form, "update"))
        if "query" not in form:
            raise ApiError(400, "the form has no query= (or update=) field")
        return _operation("query", params, params, max_bytes, text=_single(form, "query"))
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, f"the request body is not valid UTF-8: {error}") from error
    kind = "query" if mimetype == QUERY else "update"
    return _operation(kind, request.args, request.args, max_bytes, text=text)


def _operation(kind, params: MultiDict, format_params: MultiDict, max_bytes, *, text):
    if text is None:
        return Operation(None, format=_format(format_params))
    if len(text.encode("utf-8")) > max_bytes:
        raise _too_large(max_bytes)
    if not text.strip():
        raise ApiError(400, f"the {kind} is empty")
    if kind == "query":
        default, named = "default-graph-uri", "named-graph-uri"
    else:
        default, named = "using-graph-uri", "using-named-graph-uri"
    return Operation(
        kind,
        text,
        [iri.strip() for iri in params.getlist(default)],
        [iri.strip() for iri in params.getlist(named)],
        _format(format_params),
    )


def _single(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"the request has {len(values)} {name}= parameters; send exactly one")
    return values[0] if values else None


def _format(params: MultiDict) -> str | None:
    for name in FORMAT_PARAMS:
        value = _present(params, name)
        if value:
            return value.strip().lower()
    return None


def _present(params: MultiDict, name: str) -> str | None:
    """``params.get(name)``, without the exception object Werkzeug makes for a missing name
    (an HTTP error each time: most requests send none of the names asked for)."""
    return params[name] if name in params else None  # noqa: SIM401 - see above


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(
        413, f"the query is larger than {max_bytes} bytes (NEARKG_MAX_QUERY_BYTES)", limit=max_bytes
    )
