"""Answering ``/sparql`` queries (GET, and POST) before Flask: the query front.

A light query costs its web worker more in Flask's request handling (the request context, URL
routing, the before/after hooks, the proxies) than in running it: about a third of the
worker's time per request (``benchmarks.python_ceiling``, py-spy). This WSGI layer answers the
common case itself, with the same functions Flask's route calls, so there is one copy of each
rule:

- the request is read by ``protocol.read`` and ``request_view.build`` (the functions the route
  uses) from a request object made without Flask's request context;
- the answer is ``views.answer``: the response cache, the query process, rendering, ``Vary``;
- the headers every response gets at the edge (CORS, the security headers) are added by the
  ``finish`` function the app's ``after_request`` hooks call too (``service.app.edge_headers``);
- an error on the way is answered by Flask's own error handler and hooks, in a request
  context made for it then (errors are rare; their cost does not matter).

A POST body is read here only when ``BodyGate`` (service.http.request_body) has read it whole
into memory; a request handed on to Flask gets its body from the start again. Everything else
goes on to Flask, before anything is run: other paths and methods (HEAD, OPTIONS), a body
still on the connection, a request without ``query=`` or with an update, a malformed
request (Flask's route answers it with the same ``protocol.read`` error), a ``Host`` Werkzeug
or ``TRUSTED_HOSTS`` refuses, and a request whose answer could be the HTML page (the query
page and its templates need Flask). A 406 for the kind of result a query gave is an error like
any other. The app installs the front only without a rate limit (the limit is counted in a
Flask hook), inside the front cache, which keeps what it answers (``views.answer`` marks it).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Response
from werkzeug.exceptions import HTTPException

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

from service.http.route_front import RouteFront
from service.sparql import protocol, render, views

PATH = "/sparql"


class QueryFront(RouteFront):
    """WSGI middleware: ``QueryFront(app.wsgi_app, app, finish=edge_headers)``."""

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (
            method not in ("GET", "POST")
            or environ.get("PATH_INFO") != PATH
            or environ.get("SCRIPT_NAME")
        ):
            return self.wsgi_app(environ, start_response)
        body = environ.get("wsgi.input")
        if method == "POST" and not isinstance(body, io.BytesIO):
            # only a body BodyGate has read whole can be read here and again by Flask
            return self.wsgi_app(environ, start_response)
        start = body.tell() if isinstance(body, io.BytesIO) else 0
        try:
            found = self._read(environ)
        except Exception:  # noqa: BLE001 - whatever went wrong, Flask's route meets it and says so
            found = None
        if found is None:
            if isinstance(body, io.BytesIO):
                body.seek(start)  # Flask reads the body from its start
            return self.wsgi_app(environ, start_response)
        view, operation = found
        try:
            response = views.answer(view, operation, self.flask)
        except Exception as error:  # noqa: BLE001 - answered as Flask answers it
            response = self._error(environ, error)
        else:
            self.finish(response, method)
        return response(environ, start_response)

    def _read(self, environ: dict):
        """(view, operation) of a query this layer answers, or None: Flask's route takes it."""
        try:
            found = self.read(environ)
            if found is None:
                return None
            request, view = found
            operation = protocol.read(request, self.settings.max_query_bytes, view.host_url)
        except HTTPException:  # an ApiError, or a Host outside TRUSTED_HOSTS: Flask says so
            return None
        if operation.kind != "query" or render.page_possible(view.accept, operation.format):
            return None  # the query page (or the description) needs Flask's templates
        return view, operation

    def _error(self, environ: dict, error: Exception) -> Response:
        """The error as Flask's handler and ``after_request`` hooks answer it."""
        with self.flask.request_context(environ):  # the handler logs what is not an HTTP error
            return self.flask.finalize_request(self.flask.handle_user_exception(error))
