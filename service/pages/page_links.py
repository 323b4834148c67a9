"""Addresses of the site's own pages, carrying the reader's chosen language.

Decision (README "Languages"): a language chosen with the switcher travels in the address,
as ``?lang=xx`` on every internal link and as a hidden field in every form. It is not put in
a cookie: an address then always names one page in one language (it can be shared, cached and
crawled), and a reader whose browser already asks for the language (Accept-Language) gets
clean addresses. ``page_url`` is the one function that builds such an address; templates call
it as ``href(...)``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from flask import current_app, has_request_context, url_for
from markupsafe import Markup, escape

from service.http.request_view import current


def chosen_language() -> str | None:
    """The language the reader chose with ``?lang=`` (None: the browser's own choice)."""
    view = current()
    return view.language if view.language_from == "query" else None


def _is_internal(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    try:
        own = urlsplit(current().host_url)
    except RuntimeError:  # outside a request
        return False
    return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)


def page_url(target: str, /, **params: str | int | None) -> str:
    """``target`` (a path such as ``/members`` or ``/def#country``, or an absolute address on
    this host) with ``params`` and the chosen language in its query, before any fragment.
    Other hosts' addresses are returned unchanged."""
    if not _is_internal(target):
        return target
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query += [(k, str(v)) for k, v in params.items() if v is not None and k != "lang"]
    language = params.get("lang") or chosen_language()
    if language:
        query.append(("lang", str(language)))
    path = parts.path
    if not parts.netloc and (path.startswith("//") or _NOT_IN_A_LINK.search(path)):
        # a request's own path, sent to mislead: the same page, never another host
        path = own_path(path)
    return urlunsplit(parts._replace(path=path, query=urlencode(query)))


# a backslash, a control character or a space: a browser may read a link holding one as
# another site's (``/\\host``, ``/<TAB>/host``)
_NOT_IN_A_LINK = re.compile(r"[\\\x00-\x20\x7f]")


# a thing's page on this host: /id/{kind}/{key} or /doc/{kind}/{key}[.suffix]
_THING_PAGE = re.compile(
    r"/(?:id|doc)/(?P<kind>[a-z][a-z-]*)/(?P<key>[A-Za-z0-9][A-Za-z0-9._-]*?)"
    r"(?:\.(?:html|ttl|jsonld|rdf|nt))?"
)


def thing_iri_of(address: str, base: str) -> str:
    """The IRI a reader meant when pasting one of this site's addresses (``http://host/doc/
    region/JP-32.html?lang=ja``, ``/def?lang=ja#country``) where an IRI is asked for; any
    other text is returned unchanged."""
    if not address.startswith("/") and not (
        urlsplit(address).scheme in ("http", "https") and _is_internal(address)
    ):
        return address
    parts = urlsplit(address)
    match = _THING_PAGE.fullmatch(parts.path)
    if match:
        return f"{base}id/{match['kind']}/{match['key']}"
    if parts.path == "/def" and parts.fragment:
        return f"{base}def#{parts.fragment}"
    return address


def language_switch_url(code: str) -> str:
    """This page in another language: the same path and query (a search, a SPARQL query,
    a page number) with only ``lang`` changed."""
    return language_switch_prefix() + code


def own_path(path: str) -> str:
    """A request's (decoded) path as a link to the same page on this host: percent-encoded
    (a backslash, a tab or a CR in it is a character of the path, not what a browser makes of
    it: ``/\\evil.example`` and ``/<TAB>/evil.example`` are read as ``//evil.example``, another
    site) and starting with exactly one slash."""
    return "/" + quote(path, safe=_PATH_SAFE).lstrip("/")


# what a path may hold unencoded (RFC 3986 pchar and "/"; quote keeps letters, digits, "_.-~")
_PATH_SAFE = "/:@!$&'()*+,;="


def language_switch_prefix() -> str:
    """This page's address up to its language: the path, the query without ``lang``, and
    ``lang=`` last (a language code needs no encoding)."""
    view = current()
    path = own_path(view.path)
    rest = urlencode([(k, v) for k, v in view.args.items(multi=True) if k != "lang"])
    return f"{path}?{rest}&lang=" if rest else f"{path}?lang="


def language_field() -> Markup:
    """The hidden field that keeps the chosen language through a GET form."""
    language = chosen_language()
    if not language:
        return Markup("")
    return Markup('<input type="hidden" name="lang" value="{}">').format(escape(language))


def static_url(filename: str) -> str:
    """The address of a file of ``service/static/`` (Flask's ``url_for("static")``), also
    where a page is made without Flask's request context (the document front answers only
    requests without a SCRIPT_NAME, so the path is the app's own)."""
    if has_request_context():
        return url_for("static", filename=filename)
    return f"{current_app.static_url_path}/{filename}"


def register(app) -> None:
    app.add_template_global(static_url, "static_url")
    app.add_template_global(page_url, "href")
    app.add_template_global(language_field, "language_field")
