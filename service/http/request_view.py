"""What a request asks for, read once: language (and where it came from), Accept, the
``format=`` name, whether gzip is welcome, the host and the base IRI, the snapshot of the
data it reads, its query parameters (and a posted form's, read only when asked), the method,
the validators and range of a conditional request, and the front cache's slot.

Built before the route runs (service.app) and handed to views, negotiation and
representation explicitly; templates see it as ``view``. Apart from the hooks (service.app),
the one error handler (http.errors), the Host and client checks (http.security) and the SPARQL
endpoint's entry (sparql.views, which hands the request to sparql.protocol), no module reads
Flask's ``request`` or ``g`` (tests/test_request_readers.py keeps it so): what a view needs
from the request is here, and a value worked out once per request is kept in ``memo``. It is
also the one base-IRI mapping: ``local_url`` (a thing's IRI -> its address on this host) and
``canonical_iri`` (a local path -> the IRI).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Request, g
from werkzeug.datastructures import ETags, MultiDict

from loaders.settings import LANGUAGES, Settings
from loaders.store import KnowledgeStore, Snapshot
from service.http.client_slots import client_of
from service.http.front_slot import CONDITIONAL_HEADERS, FRONT_SLOT, FrontSlot
from service.http.negotiation import negotiate, negotiate_language


@dataclass(frozen=True)
class RequestView:
    language: str  # one of LANGUAGES
    language_from: str  # "query" (?lang=) or "header" (Accept-Language, or the default)
    accept: str | None
    format_name: str | None  # ?format=, if given
    gzip: bool  # Accept-Encoding welcomes gzip
    host_url: str  # scheme and host this request came to, without a trailing slash
    path: str
    base: str  # the canonical base IRI (NEARKG_BASE)
    snapshot: Snapshot  # taken once, so a reload never splits a response
    args: MultiDict[str, str]  # the query string's parameters (a route's own: ?page=, ?q=)
    method: str = "GET"
    client: str = "unknown"  # the peer address (client_slots.client_of): a key, never shown
    if_none_match: ETags | None = None  # the conditional request's validators, if any
    if_modified_since: datetime | None = None
    conditions: Mapping[str, str] = field(default_factory=dict)  # CONDITIONAL_HEADERS sent
    # set by the front cache (http.front_cache) when it may keep this request's answer
    front: FrontSlot | None = None
    # values worked out once per request (e.g. the SPARQL endpoint's own URL), by their names
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # the posted form, parsed on first use: reading it eagerly would consume a SPARQL body
    read_form: Callable[[], MultiDict[str, str]] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def language_query(self) -> str:
        """``?lang=xx`` to carry a language chosen by URL into links, else nothing."""
        return f"?lang={self.language}" if self.language_from == "query" else ""

    def absolute(self, path: str) -> str:
        """The URL of a local path on the host this request came to."""
        return self.host_url + path

    def local_url(self, iri: str) -> str:
        """The address on this host of an IRI in our URI space (pages link locally)."""
        if iri.startswith(self.base):
            return f"{self.host_url}/{iri[len(self.base) :]}"
        return iri

    def canonical_iri(self, path: str) -> str:
        """The canonical IRI of a local path such as ``id/region/JP-32``."""
        return self.base + path.lstrip("/")

    @property
    def base_url(self) -> str:
        """This request's URL without its query string."""
        return self.host_url + self.path

    def value(self, name: str) -> str | None:
        """A parameter from the query string, else from a posted form (``request.values``)."""
        found = self.args.get(name)
        if found is None and self.method == "POST" and self.read_form is not None:
            found = self.read_form().get(name)
        return found

    def conditional_environ(self) -> dict[str, str]:
        """The request's method and conditional headers as a WSGI environ, for Werkzeug's
        ``Response.make_conditional`` (Range, If-Range, If-Match on a byte download)."""
        return {"REQUEST_METHOD": self.method, **self.conditions}

    def keep_in_front(self, key: tuple) -> None:
        """Let the front cache keep this request's answer, which the response cache keeps
        under ``key`` (made by ``response_cache.representation_key``)."""
        if self.front is not None:
            self.front.key = key


def build(request: Request, settings: Settings, store: KnowledgeStore) -> RequestView:
    environ = request.environ
    requested = request.args.get("lang")
    if requested in LANGUAGES:
        language, language_from = requested, "query"
    else:
        header = request.headers.get("Accept-Language")
        language, language_from = negotiate_language(header, LANGUAGES), "header"
    return RequestView(
        language=language,
        language_from=language_from,
        accept=request.headers.get("Accept"),
        format_name=request.args.get("format"),
        gzip=_wants_gzip(request.headers.get("Accept-Encoding")),
        host_url=_host_url(request),
        path=request.path,
        base=settings.base,
        snapshot=store.snapshot,
        args=request.args,
        method=request.method,
        client=client_of(environ, settings.trust_proxy),
        # parsed only when sent (most requests send neither)
        if_none_match=(request.if_none_match or None) if "HTTP_IF_NONE_MATCH" in environ else None,
        if_modified_since=request.if_modified_since
        if "HTTP_IF_MODIFIED_SINCE" in environ
        else None,
        conditions={name: environ[name] for name in CONDITIONAL_HEADERS if name in environ},
        front=environ.get(FRONT_SLOT),
        read_form=lambda: request.form,
    )


# the longest Host a request may name: a DNS name has at most 253 characters (RFC 1035) and
# a port adds at most 6. Links, Location headers and caches keyed by host are made from it.
MAX_HOST_CHARS = 259


def readable_host(request: Request) -> bool:
    """Whether ``request`` names a host pages can be made for: one Werkzeug could read (it
    empties any other), no longer than a DNS name and a port. The edge answers any other 400
    (``security.check_host_and_rate``; the fronts leave such a request to it)."""
    host = request.host
    return bool(host) and len(host) <= MAX_HOST_CHARS


def current() -> RequestView:
    """The view of the request being answered: built before the route (service.app), or on
    first use in a request context that ran no hooks."""
    try:
        return g.view  # one look through the context proxy (a page asks about 30 times)
    except AttributeError:
        from flask import current_app, request

        g.view = build(
            request, current_app.config["NEARKG_SETTINGS"], current_app.extensions["nearkg_store"]
        )
        return g.view


def make_current(view: RequestView) -> None:
    """Make ``view`` the one ``current()`` returns, in an application context without a
    request (a request answered before Flask: service.linked_data.document_front)."""
    g.view = view


def _host_url(request: Request) -> str:
    """``request.host_url`` without its trailing slash; built directly (a seventh of an entity
    document's request reading went to Werkzeug's general URL builder) unless the host is an
    internationalised name, which Werkzeug turns back into Unicode."""
    host = request.host
    if "xn--" in host:
        return request.host_url.rstrip("/")
    return f"{request.scheme}://{host}"


def _wants_gzip(header: str | None) -> bool:
    if not header:
        return False
    # A header we cannot read names no coding: send the body as it is, never gzip unasked.
    chosen = negotiate(_as_media(header), ["x/gzip", "x/identity"], default="x/identity")
    return chosen == "x/gzip"


def _as_media(header: str) -> str:
    """Accept-Encoding written as media ranges so the one negotiation function reads it."""
    items = []
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        items.append(("*/*" if coding == "*" else f"x/{coding}") + (f";{params}" if params else ""))
    return ",".join(items)
