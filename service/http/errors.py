"""One error handler: every error, from any route, answered in the format the client accepts.

The shape is RFC 9457 problem details: ``{"type", "title", "status", "detail", "instance"}``
plus optional members (``allowed``, ``position``...). Browsers get an HTML page saying the same,
other clients plain text. Never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from service.http import formats
from service.http.negotiation import negotiate
from service.http.representation import Variant, vary_for
from service.http.request_view import current
from service.http.xml_output import NotXml

log = logging.getLogger(__name__)

ERROR_FORMATS = (formats.PLAIN_TEXT, formats.HTML, formats.PROBLEM_JSON, formats.JSON)
ERROR_TYPES = tuple(f.media_type for f in ERROR_FORMATS)


class ApiError(HTTPException):
    """An HTTP error with a message for the client and optional extra members."""

    def __init__(self, status: int, detail: str, *, headers: dict | None = None, **extra):
        super().__init__(description=detail)
        self.code = status
        self.extra = extra
        self.extra_headers = headers or {}


def not_xml(error: NotXml) -> ApiError:
    """An answer XML cannot carry, in the XML format the client accepts: 406, as when no
    format fits (the representation it accepts cannot carry this result), naming the
    character or the IRI and, in ``offered``, the formats that can."""
    return ApiError(406, str(error), offered=list(error.offered))  # a list, as other 406s


def problem(error: HTTPException) -> dict:
    body = {
        "type": "about:blank",
        "title": error.name,
        "status": error.code,
        "detail": error.description or error.name,
        "instance": request.path,
    }
    body.update(getattr(error, "extra", {}) or {})
    return body


def render_error(error: HTTPException) -> Response:
    body = problem(error)
    chosen = negotiate(request.headers.get("Accept"), ERROR_TYPES, default="text/plain")
    chosen = chosen or "text/plain"
    if chosen == "text/html":
        text = render_template("error.html", problem=body)
    elif chosen in ("application/problem+json", "application/json"):
        text = json.dumps(body, ensure_ascii=False)
    else:
        lines = [f"{body['status']} {body['title']}: {body['detail']}"]
        lines += [
            _plain(k, v)
            for k, v in body.items()
            if k not in {"type", "title", "status", "detail", "instance"}
        ]
        text = "\n".join(lines) + "\n"
    # what the client sent is quoted back; a lone surrogate (JSON's "\ud800") has no UTF-8
    # form, so it is written as "?" rather than failing the answer
    data = text.encode("utf-8", "replace")
    response = Response(data, error.code, mimetype=chosen)
    # the headers the error itself carries (Werkzeug's: Allow of a 405, Content-Range of a
    # 416, Retry-After, WWW-Authenticate), then those an ApiError was given
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers.add(name, value)
    for name, value in (getattr(error, "extra_headers", {}) or {}).items():
        response.headers[name] = value
    response.headers["Vary"] = ", ".join(_vary(chosen))
    return response


def _plain(name: str, value) -> str:
    """A member of the problem in plain text: a list one item a line, not Python's repr."""
    if isinstance(value, list | tuple):
        return f"{name}:" + "".join(f"\n  {item}" for item in value)
    return f"{name}: {value}"


def _vary(chosen: str) -> list[str]:
    """The request headers the error's answer depended on (``representation.vary_for``):
    Accept chose its format; an HTML page is written in the reader's language, which
    Accept-Language chose unless ``?lang=`` did."""
    html = chosen == "text/html"
    variant = Variant(chosen, language="page" if html else None, vary=("Accept",))
    try:
        view = current()
    except Exception:  # the request could not be read: its language is the default one
        return ["Accept", "Accept-Language"] if html else ["Accept"]
    return vary_for(view, variant, may_compress=False)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        return render_error(error)

    @app.errorhandler(NotXml)  # raised where XML is written (service.http.xml_output)
    def handle_not_xml(error: NotXml):
        return render_error(not_xml(error))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError("the server failed to answer this request"))
