"""HTTP details every representation shares: ETag, Last-Modified, 304, Vary, Link, gzip.

A view hands over the finished body and what it was negotiated on (a ``Variant``, made from
the one negotiation step's ``Choice``); this module adds the validators (a strong ETag per
representation: data version + resource + format + language + encoding; Last-Modified from
the data's own ``dcterms:modified``), answers conditional requests with 304, compresses when
the client asks, and sets Vary (exactly what was read) and Link. CORS is added to every
response in one place (service.app).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from flask import Response
from werkzeug.http import http_date, quote_etag

from loaders.data_dates import newest_modified
from service.http import context
from service.http.formats import Format, serialize
from service.http.negotiation import Choice
from service.http.release import current_release
from service.http.request_view import RequestView
from service.http.response_cache import data_stamp, representation_key, response_cache

# the dataset description, named the same way in every Link header and page <head>
VOID_LINK = '</.well-known/void>; rel="describedby"; type="text/turtle"'
MIN_GZIP_BYTES = 512


@dataclass
class Variant:
    """What distinguishes this representation from the others of the same URL."""

    format_name: str
    language: str | None = None  # the language of the text, if it depends on the reader's
    extra: str = ""  # e.g. the page number of a paged list
    vary: Sequence[str] = ()  # request headers the choice depended on
    links: list[str] = field(default_factory=list)  # extra Link header values
    content_location: str | None = None


def link_value(url: str, rel: str, media_type: str | None = None) -> str:
    value = f'<{url}>; rel="{rel}"'
    return value + (f'; type="{media_type}"' if media_type else "")


def etag_for(view: RequestView, variant: Variant, encoding: str = "identity") -> str:
    """Strong, and different for every representation: one entity's tag never validates
    another's copy (the path names the resource; the query string is in ``extra``)."""
    snapshot = view.snapshot
    parts = [
        snapshot.version[:20],
        current_release().digest[:12],
        view.path,
        variant.format_name,
        variant.language or "-",
        variant.extra,
    ]
    if encoding != "identity":
        parts.append(encoding)
    raw = "|".join(parts)
    readable = "-".join(p for p in (snapshot.version[:16], variant.format_name) if p)
    return f"{readable}-{hashlib.sha256(raw.encode()).hexdigest()[:12]}"


def modified_at(view: RequestView) -> datetime | None:
    """``Last-Modified``: the newest of when the data says it last changed (its
    ``dcterms:modified``), when its files last changed or an update changed it
    (``Snapshot.changed_at``), and when the code that renders it last changed
    (``release.current_release``). Found once per data version. The same after a restart
    (nothing here is the load time); never behind a change to what is served, so an
    ``If-Modified-Since`` copy is never called current when it is not; never ahead of now
    (RFC 9110 §8.8.2.1: a date the data puts in the future is sent as the present)."""
    global _modified
    snapshot = view.snapshot
    stamp = data_stamp(snapshot)
    known = _modified  # one read: another thread may swap in a newer pair meanwhile
    if known[0] != stamp:
        dates = (
            newest_modified(context.store(), snapshot),
            snapshot.changed_at,
            current_release().changed_at,
        )
        newest = max((d for d in dates if d is not None), default=None)
        known = _modified = (stamp, newest.replace(microsecond=0) if newest else None)
    modified = known[1]
    if modified is not None:
        now = datetime.now(UTC).replace(microsecond=0)
        if modified > now:
            return now
    return modified


_modified: tuple = (None, None)  # (data stamp, its date)


def represent(
    view: RequestView,
    body: bytes | str,
    content_type: str,
    variant: Variant,
    *,
    status: int = 200,
    may_compress: bool = True,
) -> Response:
    """The response for a representation, or 304 when the client's copy is current."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    compress = may_compress and len(data) >= MIN_GZIP_BYTES and view.gzip
    etag = etag_for(view, variant, "gzip" if compress else "identity")
    response = _headers_only(view, status, content_type, variant, etag, may_compress=may_compress)
    if _not_modified(view, etag):
        response.status_code = 304
        return response
    if compress:
        data = gzip.compress(data, compresslevel=6, mtime=0)
        response.headers["Content-Encoding"] = "gzip"
    response.set_data(data)
    return response


def _headers_only(
    view: RequestView,
    status: int,
    content_type: str,
    variant: Variant,
    etag: str,
    *,
    may_compress: bool = True,
) -> Response:
    # one list handed to the Response (each header set one by one scanned the list again)
    headers = [("ETag", quote_etag(etag))]
    modified = _last_modified_header(view)
    if modified is not None:
        headers.append(("Last-Modified", modified))
    vary = vary_for(view, variant, may_compress=may_compress)
    if vary:
        headers.append(("Vary", ", ".join(vary)))
    headers.append(("Cache-Control", "public, max-age=300"))
    headers.append(("Link", ", ".join(_unique([*variant.links, VOID_LINK]))))
    if variant.content_location:
        headers.append(("Content-Location", variant.content_location))
    return Response(status=status, content_type=content_type, headers=headers)


def _last_modified_header(view: RequestView) -> str | None:
    """``modified_at`` as an HTTP date, written once per data version."""
    global _last_modified
    modified = modified_at(view)
    known = _last_modified  # one read: another thread may swap in a newer pair
    if known[0] != modified:
        known = _last_modified = (modified, http_date(modified) if modified else None)
    return known[1]


_last_modified: tuple = (None, None)  # (the data's date, as an HTTP date)


def set_vary(view: RequestView, response: Response, choice: Choice) -> None:
    """``Vary`` for a response made outside ``represent`` (redirects, SPARQL results, pages of
    /sparql and /queries): what negotiation read, and Accept-Language for an HTML page when
    the header chose its language."""
    html = response.mimetype == "text/html"
    variant = Variant(choice.format.name, language="page" if html else None, vary=choice.vary)
    vary = vary_for(view, variant, may_compress=False)
    if vary:
        response.headers["Vary"] = ", ".join(vary)


def vary_for(view: RequestView, variant: Variant, *, may_compress: bool = True) -> list[str]:
    """Exactly the request headers this representation depended on: those negotiation read,
    Accept-Language when its text follows the reader's language and the header (not
    ``?lang=``) chose it, and Accept-Encoding when it may be compressed."""
    vary = list(variant.vary)
    if variant.language and view.language_from != "query":
        vary.append("Accept-Language")
    if may_compress:
        vary.append("Accept-Encoding")
    return _unique(vary)


def represent_triples(
    view: RequestView,
    triples: Iterable[ox.Triple],
    fmt: Format,
    variant: Variant,
    prefixes: dict[str, str],
) -> Response:
    """``represent`` for RDF: the triples serialised in ``fmt`` with the prefix table."""
    return represent(view, serialize(triples, fmt, prefixes), fmt.content_type, variant)


def already_answered(view: RequestView, content_type: str, variant: Variant) -> Response | None:
    """For a body that is costly to make (entity documents), before making it: 304 when the
    client's copy is current, the kept response when the response cache has one, else None
    (then make the body and hand it to ``represent_and_keep``)."""
    cache = response_cache()
    key = _cache_key(view, variant)
    if cache.max_bytes:  # (with the cache off, nothing to look up)
        cached = cache.get(key)
        if cached is not None:
            view.keep_in_front(key)
            current_copy = bool(cached.etag) and _not_modified(view, str(cached.etag))
            return cached.replay(not_modified=current_copy)
    if view.if_none_match is None and view.if_modified_since is None:
        return None  # not a conditional request: no tag to compare
    # Not rendered yet: the tag the body would get is known but for whether it is long enough
    # to compress (MIN_GZIP_BYTES); a client holding either one has this version's body.
    for tag_encoding in dict.fromkeys(("gzip" if view.gzip else "identity", "identity")):
        etag = etag_for(view, variant, tag_encoding)
        if _not_modified(view, etag):
            return _headers_only(view, 304, content_type, variant, etag)
    return None


def represent_and_keep(
    view: RequestView, body: bytes | str, content_type: str, variant: Variant
) -> Response:
    """``represent``, and keep the response in the response cache (and the front cache)."""
    response = represent(view, body, content_type, variant)
    cache = response_cache()
    if cache.max_bytes:
        key = _cache_key(view, variant)
        if cache.put(key, response):
            view.keep_in_front(key)
    return response


def _cache_key(view: RequestView, variant: Variant) -> tuple:
    return representation_key(
        view,
        "document",
        variant.format_name,
        language=variant.language,
        extra=variant.extra,
        vary=variant.vary,
    )


def _not_modified(view: RequestView, etag: str) -> bool:
    if view.method not in ("GET", "HEAD"):
        return False
    if_none_match = view.if_none_match
    if if_none_match:  # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
        return if_none_match.contains_weak(etag) or if_none_match.star_tag
    since = view.if_modified_since
    modified = modified_at(view)
    return since is not None and modified is not None and modified <= since


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
