"""Answering a request that was answered before, before Flask sees it.

The views keep costly 200 responses (entity documents, SPARQL results) in the response cache,
keyed by what the one negotiation step chose (``response_cache.representation_key``). Finding
such an entry still costs a full Flask request: routing, the language and host hooks,
negotiation, headers. This WSGI layer sits in front of Flask. It hands each request it lets
through a ``FrontSlot`` (the request view carries it: ``RequestView.keep_in_front(key)``); a
view whose answer the response cache keeps puts that key in it. The front then keeps:

- the exact bytes sent, under that same representation key (so requests spelled differently
  that negotiate the same representation share one copy), and
- for the request as sent, which representation it got: the data stamp and everything the
  answer can depend on in the request (the scheme, ``Host``, path and query string, and the
  values of ``KEYED_HEADERS``, a superset of every ``Vary`` the app sends; a response that
  varies on anything else is never kept here).

The next request spelled the same way is answered from those two lookups. Requests this layer
leaves to Flask: anything but GET and HEAD, conditional and range requests (``If-*``,
``Range``: Flask answers 304 without rendering), a body in a content coding (refused: 415),
and every request while a rate limit is set
(the limit counts in a Flask hook). The data stamp comes from the store on every request, so a
reload or a newly published generation is never answered from the previous data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from http import HTTPStatus

from loaders.store import KnowledgeStore
from service.http.front_slot import CONDITIONAL_HEADERS, FRONT_SLOT, FrontSlot
from service.http.request_body import coded_body
from service.http.response_cache import ENTRY_OVERHEAD, CachedResponse, ResponseCache

# The share of the response cache's bound that the requests-as-sent may take (their headers
# are the client's: a hostile client's many long Accept headers must not grow it unbounded)
REQUESTS_SHARE = 8

# Request headers a kept response may vary on; each is part of every key.
KEYED_HEADERS = ("Accept", "Accept-Language", "Accept-Encoding")
_ENVIRON_NAMES = tuple("HTTP_" + name.upper().replace("-", "_") for name in KEYED_HEADERS)
_KEYED = frozenset(name.lower() for name in KEYED_HEADERS)
StartResponse = Callable[..., object]


class FrontCache:
    """WSGI middleware: ``FrontCache(app.wsgi_app, store, cache)``."""

    def __init__(self, wsgi_app, store: KnowledgeStore, cache: ResponseCache) -> None:
        self.wsgi_app = wsgi_app
        self.store = store
        self.cache = cache
        # the request as sent -> (the representation key it was answered under, the bytes
        # counted for the pair), an LRU bounded by bytes
        self._answered: OrderedDict[Hashable, tuple[tuple, int]] = OrderedDict()
        self._answered_bytes = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (
            method not in ("GET", "HEAD")
            or any(name in environ for name in CONDITIONAL_HEADERS)
            or coded_body(environ) is not None  # refused by Flask (415)
        ):
            return self.wsgi_app(environ, start_response)
        key = self._answered_as(_request_key(environ, self.cache.stamp(self.store.snapshot)))
        entry = self.cache.get(_front_key(key)) if key is not None else None
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

        slot = environ[FRONT_SLOT] = FrontSlot()
        body = self.wsgi_app(environ, remember)
        key = slot.key
        if key is None or not sent or not sent[0].startswith("200 "):
            return body
        entry = _entry(sent[1], body)
        if entry is None:
            return body
        if self.cache.put_entry(_front_key(key), entry):
            # under the data stamp the view answered from, not the store's newest
            self._remember(_request_key(environ, key[1]), key)
        return [entry.body]

    def _answered_as(self, request_key: Hashable) -> tuple | None:
        with self._lock:
            found = self._answered.get(request_key)
            if found is None:
                return None
            self._answered.move_to_end(request_key)
            return found[0]

    def _remember(self, request_key: tuple, key: tuple) -> None:
        size = ENTRY_OVERHEAD + sum(len(str(part)) for part in request_key)
        bound = self.cache.max_bytes // REQUESTS_SHARE
        if size > bound // 4:
            return
        with self._lock:
            old = self._answered.pop(request_key, None)
            if old is not None:
                self._answered_bytes -= old[1]
            self._answered[request_key] = (key, size)
            self._answered_bytes += size
            while self._answered_bytes > bound and self._answered:
                _, (_, evicted) = self._answered.popitem(last=False)
                self._answered_bytes -= evicted


def _front_key(key: tuple) -> tuple:
    """The sent bytes of a representation (with the headers Flask's hooks add after the view:
    CORS, security), beside the view's own copy under ``key``."""
    return ("front", *key)


def _request_key(environ: dict, stamp) -> tuple:
    """The request as sent: everything the answer can depend on (the keyed headers are a
    superset of every Vary the app sends)."""
    return (
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
