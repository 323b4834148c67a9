"""What the layers that answer a route before Flask share (``sparql.front.QueryFront``,
``linked_data.document_front.DocumentFront``): the app's settings and store, the request read
without Flask's request context as Flask would read it, and the edge headers' ``finish``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, Response

from service.http import request_view
from service.http.request_body import coded_body
from service.http.request_view import RequestView


class RouteFront:
    """WSGI middleware base: ``Front(app.wsgi_app, app, finish=edge_headers)``; a request it
    does not answer goes to ``wsgi_app`` (Flask) untouched."""

    def __init__(self, wsgi_app, app: Flask, *, finish: Callable[[Response, str], None]):
        self.wsgi_app = wsgi_app
        self.flask = app
        self.finish = finish
        self.settings = app.config["NEARKG_SETTINGS"]
        self.store = app.extensions["nearkg_store"]
        self.trusted_hosts = app.config.get("TRUSTED_HOSTS")

    def read(self, environ: dict) -> tuple[Request, RequestView] | None:
        """The request and its view, or None when its Host is missing, unreadable or longer
        than a host name, or its body is in a content coding (Flask's hooks answer those:
        service.http.security). A Host outside ``TRUSTED_HOSTS`` raises, as in Flask."""
        if coded_body(environ) is not None:  # refused (415) by Flask's hook, with its handler
            return None
        request = Request(environ)
        if self.trusted_hosts is not None:
            request.trusted_hosts = self.trusted_hosts
        if not request_view.readable_host(request):
            return None
        return request, request_view.build(request, self.settings, self.store)
