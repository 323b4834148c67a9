"""Routing for things and their documents: ``/id/{kind}/{key}`` and ``/doc/{kind}/{key}``.

Decision (README "Linked data"): a thing URI answers ``303 See Other`` with an absolute
``Location`` naming the *format-specific* document (``/doc/region/JP-32.ttl``) chosen from
Accept. ``/doc/{kind}/{key}`` negotiates itself (``Content-Location`` names the variant);
``/doc/{kind}/{key}.{html,ttl,jsonld,rdf,nt}`` is always that format. No Accept and ``*/*``
get Turtle; browsers get HTML.
"""

from __future__ import annotations

import re
from functools import cache, partial

from flask import Blueprint, Response, render_template

from loaders import namespaces
from service.http import context
from service.http.context import absolute
from service.http.documents import alternate_links, document_variant, not_acceptable
from service.http.errors import ApiError
from service.http.formats import DOCUMENT, HTML, Format, serialize, split_suffix
from service.http.negotiation import choose
from service.http.representation import (
    VOID_LINK,
    Variant,
    already_answered,
    represent_and_keep,
    set_vary,
)
from service.http.request_view import RequestView, current
from service.linked_data import statement_table
from service.linked_data.entity_description import (
    EntityDescription,
    describe,
    document_triples,
)
from service.linked_data.entity_index import EntityIndex, index_for
from service.linked_data.entity_page import build_page, records_shown
from service.linked_data.entity_summary import KINDS_WITH_SUMMARY, summarize
from service.linked_data.incoming_links import kept_for
from service.linked_data.summary_card import summary_card
from service.pages.page_links import page_url

blueprint = Blueprint("linked_data", __name__)

KINDS = frozenset(
    {
        "country", "region", "government", "membership", "organization", "conference",
        "series", "participation", "agenda-item", "declaration", "resolution", "body",
        "subcommittee", "coordination", "program", "publication", "figure", "source", "unit",
    }
)  # fmt: skip
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_KEY = 120


def entity_index() -> EntityIndex:
    return index_for(context.store(), context.snapshot())


def known_kinds(index: EntityIndex | None = None) -> frozenset[str]:
    """The kinds of docs/model.md and any other kind the data uses (``unit``...)."""
    index = index or entity_index()
    if index.all_kinds is None:
        index.all_kinds = KINDS | index.kinds
    return index.all_kinds


def prefixes() -> dict[str, str]:
    """Prefixes for RDF output, on the configured base (the one table, loaders.namespaces)."""
    return _prefixes_on(context.settings().base)


@cache
def _prefixes_on(base: str) -> dict[str, str]:
    # made once per base: building the table was a fifth of writing a first-time RDF document
    return namespaces.prefixes(base)


def dataset_iri() -> str:
    return context.settings().base + "void#dataset"


def _thing_or_404(kind: str, key: str, index: EntityIndex) -> str:
    """The IRI of a thing the data describes (a look-up in the entity index), else 404."""
    known = known_kinds(index)
    if kind not in known:
        shown = kind if len(kind) <= 40 else kind[:40] + "…"
        raise ApiError(404, f"there is no kind of thing called {shown!r} here", kinds=sorted(known))
    if len(key) > MAX_KEY or not KEY.fullmatch(key):
        shown = key if len(key) <= 40 else key[:40] + "…"
        raise ApiError(404, f"{shown!r} is not a well-formed key (letters, digits, . _ -)")
    iri = context.settings().thing_iri(kind, key)
    if iri not in index.thing_set:
        raise ApiError(
            404,
            f"near-kg knows nothing about {iri}",
            search=absolute(f"/search?q={key}"),
        )
    return iri


def _description(iri: str, records_read=None, kept=None) -> EntityDescription:
    description = describe(
        context.store(),
        context.snapshot(),
        entity_index(),
        iri,
        records_read=records_read,
        kept=kept,
    )
    assert description is not None, "checked by _thing_or_404"
    return description


@blueprint.get("/id/<kind>/<key>")
def thing(kind: str, key: str):
    return see_document(current(), kind, key)


def see_document(view: RequestView, kind: str, key: str) -> Response:
    """The 303 from a thing to the document in the format Accept chose (the route, and the
    thin path before Flask: service.linked_data.document_front)."""
    index = entity_index()
    stem, fixed = split_suffix(key)
    named: Format | None = None  # the format the address names (/id/region/JP-32.ttl)
    if fixed is not None and context.settings().thing_iri(kind, key) not in index.thing_set:
        key, named = stem, fixed  # no thing has that key, but JP-32 does: its Turtle is meant
    _thing_or_404(kind, key, index)
    doc_path = f"/doc/{kind}/{key}"
    choice = None if named else choose(DOCUMENT, view.accept, format_name=view.format_name)
    if choice is not None:
        named = choice.format
    if named is None:
        raise not_acceptable(view, doc_path, "this thing's description")
    location = view.absolute(f"{doc_path}.{named.suffix}") + view.language_query
    response = Response(f"See {location}\n", 303, mimetype="text/plain")
    response.headers["Location"] = location
    if choice is not None:  # negotiated: Vary says on what
        set_vary(view, response, choice)
    response.headers["Link"] = ", ".join([*alternate_links(view, doc_path), VOID_LINK])
    response.headers["Cache-Control"] = "public, max-age=300"
    response.autocorrect_location_header = False
    return response


@blueprint.get("/doc/<kind>/<name>")
def document(kind: str, name: str):
    return entity_document(current(), kind, name)


def entity_document(view: RequestView, kind: str, name: str) -> Response:
    """A thing's document in the format chosen (the page, or an RDF serialization): for the
    route, and for the thin path before Flask (service.linked_data.document_front), one copy
    of the rules either way."""
    iri, chosen, variant, doc_path = _variant(view, kind, name)
    if chosen is not HTML:
        return _rdf_answer(view, iri, chosen, variant, doc_path)
    page = _page_number(view)
    variant.extra = str(page)
    answered = already_answered(view, chosen.content_type, variant)
    if answered is not None:
        return answered
    # a page shows 30 records in full; a summary card may read them all
    records_read = kept = None
    if kind not in KINDS_WITH_SUMMARY:
        records_read = partial(records_shown, lang=view.language)
        kept = kept_for(entity_index())
    description = _description(iri, records_read, kept)
    body = _html_body(view, description, doc_path, page)
    return represent_and_keep(view, body, chosen.content_type, variant)


def _rdf_answer(
    view: RequestView, iri: str, chosen: Format, variant: Variant, doc_path: str
) -> Response:
    answered = already_answered(view, chosen.content_type, variant)
    if answered is not None:
        return answered
    body = _rdf_body(view, iri, chosen, doc_path)
    return represent_and_keep(view, body, chosen.content_type, variant)


def _variant(view: RequestView, kind: str, name: str) -> tuple[str, Format, Variant, str]:
    """The thing's IRI (else 404), the chosen format (else 406), what distinguishes it, and
    the document's path without a suffix."""
    key, fixed = split_suffix(name)
    iri = _thing_or_404(kind, key, entity_index())
    doc_path = f"/doc/{kind}/{key}"
    chosen, variant = document_variant(view, doc_path, fixed, "doc", "this document")
    return iri, chosen, variant, doc_path


def _page_number(view: RequestView) -> int:
    raw = view.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ApiError(400, "page must be a whole number from 1", parameter="page")
    return int(raw)


def _rdf_body(view: RequestView, iri: str, chosen: Format, doc_path: str) -> bytes:
    settings, store = context.settings(), context.store()
    triples = document_triples(
        store,
        view.snapshot,
        index_for(store, view.snapshot),
        iri,
        document_iri=settings.base + doc_path.lstrip("/"),
        dataset_iri=dataset_iri(),
    )
    assert triples is not None, "checked by _thing_or_404"
    return serialize(triples, chosen, prefixes())


MAX_SOURCE_TEXT = 1_000_000  # bytes of a source's local copy shown on its page


def _source_text(relative: str) -> str | None:
    """The text of a source's local copy (``near:localCopy``), read only from the data's
    ``data/sources/`` folder: a path from the data never reaches another file."""
    data_dir = context.settings().data_dir
    folder = (data_dir / "data" / "sources").resolve()
    path = (data_dir / relative).resolve()
    if path.parent != folder or not path.is_file() or path.stat().st_size > MAX_SOURCE_TEXT:
        return None
    return path.read_text(encoding="utf-8", errors="replace")


# page addresses of IRIs outside the direct path (ontology terms, other hosts), shared by the
# pages of every request: the same few dozen properties and classes label every page (the
# host is at most a DNS name and a port: request_view.readable_host)
_PAGE_URLS: dict[tuple[str, str, str, str], str] = {}
_PAGE_URLS_KEPT = 8192


def local_page_url(view: RequestView):
    """``iri -> page_url(view.local_url(iri))`` for the links of a page: a thing's address is
    the host, its path and the chosen ``?lang=``, joined directly (a country's page at 100k
    triples has hundreds of links, and parsing and rebuilding each was a tenth of the page);
    an IRI with a query or a fragment, or outside our URI space, takes ``page_url`` once per
    host, chosen language and IRI (a property's or a class's address was a tenth of a small
    page when made once per page)."""
    base, host, language_query = view.base, view.host_url, view.language_query

    def local(iri: str) -> str:
        if iri.startswith(base) and "?" not in iri and "#" not in iri:
            return f"{host}/{iri[len(base) :]}{language_query}"
        key = (base, host, language_query, iri)
        found = _PAGE_URLS.get(key)
        if found is None:
            if len(_PAGE_URLS) >= _PAGE_URLS_KEPT:
                _PAGE_URLS.clear()
            found = _PAGE_URLS[key] = page_url(view.local_url(iri))
        return found

    return local


def _html_body(view: RequestView, description, doc_path: str, page: int) -> str:
    local = local_page_url(view)

    entity = build_page(
        description,
        entity_index(),
        view.language,
        local_url=local,
        doc_url=view.absolute(doc_path),
        page=page,
    )
    summary = summarize(
        description,
        entity_index(),
        view.language,
        local,
        source_text=_source_text,
        quads=partial(context.store().matching_quads, snapshot=view.snapshot),
    )
    return render_template(
        "ld/entity.html",
        entity=entity,
        summary=summary,
        snapshot=view.snapshot,
        doc_path=doc_path,
        page_path=view.path,
        property_table=statement_table.property_table,
        named=statement_table.named,
        summary_card=summary_card,
    )
