"""Answering a request that was answered before, before Flask sees it.

The views keep costly 200 responses (entity documents, SPARQL results) in the response cache,
keyed by what they mean (format, language, encoding). Finding such an entry still costs a
full Flask request: routing, the language and host hooks, negotiation, headers. This WSGI layer
sits in front of Flask and keeps, for each response a view marked cacheable, the exact bytes it
sent, keyed by the data stamp and everything the response can depend on in the request:

- the scheme, ``Host``, path and query string;
- the values of ``KEYED_HEADERS`` (a superset of every ``Vary`` the app sends; a response that
  varies on anything else is never kept here).

A key this fine is never wrong, only sometimes colder: a client whose ``Accept`` is spelled
differently misses here and is answered by the view's own cache. Requests this layer leaves to
Flask: anything but GET and HEAD, conditional and range requests (``If-*``, ``Range``: Flask
answers 304 without rendering), and every request while a rate limit is set (the limit counts
in a Flask hook). The data stamp comes from the store on every request, so a reload or a newly
published generation is never answered from the previous data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus

from loaders.store import KnowledgeStore
from service.http.response_cache import FRONT_MARK as MARK
from service.http.response_cache import CachedResponse, ResponseCache

# Request headers a kept response may vary on; each is part of every key.
KEYED_HEADERS = ("Accept", "Accept-Language", "Accept-Encoding")
_ENVIRON_NAMES = tuple("HTTP_" + name.upper().replace("-", "_") for name in KEYED_HEADERS)
_KEYED = frozenset(name.lower() for name in KEYED_HEADERS)
_BYPASS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)

StartResponse = Callable[..., object]


class FrontCache:
    """WSGI middleware: ``FrontCache(app.wsgi_app, store, cache)``."""

    def __init__(self, wsgi_app, store: KnowledgeStore, cache: ResponseCache) -> None:
        self.wsgi_app = wsgi_app
        self.store = store
        self.cache = cache

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or any(name in environ for name in _BYPASS):
            return self.wsgi_app(environ, start_response)
        key = self._key(environ, self.cache.stamp(self.store.snapshot))
        entry = self.cache.get(key)
        if entry is not None:
            start_response(_status_line(entry.status), _with_length(entry))
            return [] if method == "HEAD" else [entry.body]
        if method == "HEAD":  # a HEAD response has no body to keep
            return self.wsgi_app(environ, start_response)
        return self._answer_and_keep(environ, start_response)

    def _answer_and_keep(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        sent: list = []

        def remember(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember)
        stamp = environ.get(MARK)
        if stamp is None or not sent or not sent[0].startswith("200 "):
            return body
        entry = _entry(sent[1], body)
        if entry is not None:
            self.cache.put_entry(self._key(environ, stamp), entry)
            return [entry.body]
        return body

    @staticmethod
    def _key(environ: dict, stamp) -> tuple:
        return (
            "front",
            stamp,
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            tuple(environ.get(name) for name in _ENVIRON_NAMES),
        )


def _entry(headers: list[tuple[str, str]], body) -> CachedResponse | None:
    """The response as kept, or None when it may depend on a header the key leaves out."""
    etag = None
    for name, value in headers:
        lower = name.lower()
        if lower == "vary":
            varies_on = {part.strip().lower() for part in value.split(",") if part.strip()}
            if not varies_on <= _KEYED:
                return None
        elif lower == "etag":
            etag = value
        elif lower == "set-cookie":
            return None
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    kept = tuple((k, v) for k, v in headers if k.lower() != "content-length")
    return CachedResponse(200, kept, data, etag)


def _with_length(entry: CachedResponse) -> list[tuple[str, str]]:
    return [*entry.headers, ("Content-Length", str(len(entry.body)))]


def _status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"
