"""Answering ``GET /doc/{kind}/{key}.{html,ttl,jsonld,rdf,nt}`` and ``GET /id/{kind}/{key}``
before Flask: the document front.

A crawler asks for every entity's Turtle once. Flask's request handling around such a
document (the request context, URL routing, the before/after hooks, the proxies) cost about a
third of a first-time document (py-spy, benchmarks/results/users/). This WSGI layer answers
those requests itself with the functions the routes call, so there is one copy of each rule:

- the request is read by ``request_view.build`` (as the hooks do) from a request object made
  without Flask's request context;
- the answer is ``things.entity_document`` or ``things.see_document``, the routes' own functions
  (negotiation, ``document_variant``, ``already_answered``, ``represent_and_keep``: Vary,
  ETag, Last-Modified, Link, the caches), run in an application context;
- the headers every response gets at the edge (CORS, the security headers) are added by the
  ``finish`` function the app's ``after_request`` hooks call too (``service.app.edge_headers``).

Everything else goes on to Flask, before anything is sent: other paths and methods, HEAD,
conditional and range requests, a ``Host`` Werkzeug or ``TRUSTED_HOSTS`` refuses, the
document without a suffix (browsers ask for it; the 303 from ``/id`` names the suffixed
document), and any request whose answer
is an error (404, 406, ...): Flask's route meets the same error and its handler writes it.
The app installs the front only without a rate limit (counted in a Flask hook), inside the
front cache, which keeps what it answers (``represent_and_keep`` marks it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse

from service.http import request_view
from service.http.formats import DOCUMENT, split_suffix
from service.http.front_slot import CONDITIONAL_HEADERS
from service.http.route_front import RouteFront
from service.linked_data import things


class DocumentFront(RouteFront):
    """WSGI middleware: ``DocumentFront(app.wsgi_app, app, finish=edge_headers)``."""

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        route = _route(environ)
        response = self._answer(environ, route) if route is not None else None
        if response is None:
            return self.wsgi_app(environ, start_response)
        self.finish(response, "GET")
        return response(environ, start_response)

    def _answer(self, environ: dict, route: tuple[str, str, str]) -> Response | None:
        """The response, or None: Flask's route answers (the same functions, with its error
        handler for whatever fails; nothing has been sent yet)."""
        where, kind, name = route
        try:
            found = self.read(environ)
            if found is None:
                return None
            view = found[1]
            with self.flask.app_context():
                request_view.make_current(view)  # for the helpers the route functions call
                if where == "id":
                    return things.see_document(view, kind, name)
                return things.entity_document(view, kind, name)
        except Exception:  # noqa: BLE001 - an error is Flask's to answer, and it meets it again
            return None


def _route(environ: dict) -> tuple[str, str, str] | None:
    """("doc" or "id", kind, name) of a request this layer may answer, else None."""
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or environ.get("SCRIPT_NAME")
        or any(name in environ for name in CONDITIONAL_HEADERS)
    ):
        return None
    parts = environ.get("PATH_INFO", "").split("/")
    if len(parts) != 4 or parts[0] or parts[1] not in ("doc", "id") or not parts[2] or not parts[3]:
        return None
    if parts[1] == "doc" and split_suffix(parts[3], DOCUMENT)[1] is None:
        # a document negotiated by Accept (browsers): Flask's route, without first reading the
        # request here for nothing (a 303 from /id names the suffixed document)
        return None
    return parts[1], parts[2], parts[3]
