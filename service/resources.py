"""Routing for things and their documents: ``/id/{kind}/{key}`` and ``/doc/{kind}/{key}``.

Decision (README "Linked data"): a thing URI answers ``303 See Other`` with an absolute
``Location`` naming the *format-specific* document (``/doc/region/JP-32.ttl``) chosen from
Accept. ``/doc/{kind}/{key}`` negotiates itself (``Content-Location`` names the variant);
``/doc/{kind}/{key}.{html,ttl,jsonld,rdf,nt}`` is always that format. No Accept and ``*/*``
get Turtle; browsers get HTML.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, g, render_template, request

from loaders.store import PREFIXES

from . import context
from .entity_description import EntityDescription, describe, rdf_triples
from .entity_index import EntityIndex, index_for
from .entity_page import build_page
from .entity_summary import summarize
from .errors import ApiError
from .page_links import page_url
from .rdf_formats import (
    DOCUMENT_FORMATS,
    HTML,
    DocFormat,
    choose_format,
    serialize,
    split_suffix,
)
from .representation import VOID_LINK, Variant, link_value, represent_cached

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


def known_kinds() -> frozenset[str]:
    """The kinds of docs/model.md and any other kind the data uses (``unit``...)."""
    return KINDS | entity_index().kinds


def absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def prefixes() -> dict[str, str]:
    """Prefixes for RDF output, on the configured base."""
    return {
        **PREFIXES(context.settings().base),
        "void": "http://rdfs.org/ns/void#",
        "dcat": "http://www.w3.org/ns/dcat#",
    }


def dataset_iri() -> str:
    return context.settings().base + "void#dataset"


def _thing_or_404(kind: str, key: str) -> str:
    """The IRI of a thing the data describes (a look-up in the entity index), else 404."""
    known = known_kinds()
    if kind not in known:
        shown = kind if len(kind) <= 40 else kind[:40] + "…"
        raise ApiError(404, f"there is no kind of thing called {shown!r} here", kinds=sorted(known))
    if len(key) > MAX_KEY or not KEY.fullmatch(key):
        shown = key if len(key) <= 40 else key[:40] + "…"
        raise ApiError(404, f"{shown!r} is not a well-formed key (letters, digits, . _ -)")
    iri = context.settings().thing_iri(kind, key)
    if iri not in entity_index().thing_set:
        raise ApiError(
            404,
            f"near-kg knows nothing about {iri}",
            search=absolute(f"/search?q={key}"),
        )
    return iri


def _description(iri: str) -> EntityDescription:
    description = describe(context.store(), context.snapshot(), entity_index(), iri)
    assert description is not None, "checked by _thing_or_404"
    return description


def _alternate_links(doc_path: str) -> list[str]:
    return [
        link_value(absolute(f"{doc_path}.{f.suffix}"), "alternate", f.media_type)
        for f in DOCUMENT_FORMATS
    ]


def _not_acceptable(doc_path: str) -> ApiError:
    return ApiError(
        406,
        "none of the formats this resource is available in is acceptable",
        alternatives=[
            f"{f.media_type} {absolute(doc_path + '.' + f.suffix)}" for f in DOCUMENT_FORMATS
        ],
        headers={"Link": ", ".join(_alternate_links(doc_path))},
    )


def _language_query() -> str:
    return f"?lang={g.lang}" if g.get("lang_chosen_by") == "query" else ""


@blueprint.get("/id/<kind>/<key>")
def thing(kind: str, key: str):
    _thing_or_404(kind, key)
    doc_path = f"/doc/{kind}/{key}"
    chosen = choose_format(request.headers.get("Accept"))
    if chosen is None:
        raise _not_acceptable(doc_path)
    location = absolute(f"{doc_path}.{chosen.suffix}") + _language_query()
    response = Response(f"See {location}\n", 303, mimetype="text/plain")
    response.headers["Location"] = location
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join([*_alternate_links(doc_path), VOID_LINK])
    response.headers["Cache-Control"] = "public, max-age=300"
    response.autocorrect_location_header = False
    return response


@blueprint.get("/doc/<kind>/<name>")
def document(kind: str, name: str):
    key, fixed = split_suffix(name)
    iri = _thing_or_404(kind, key)
    doc_path = f"/doc/{kind}/{key}"
    if fixed is None:
        chosen = choose_format(request.headers.get("Accept"))
        if chosen is None:
            raise _not_acceptable(doc_path)
        vary = ["Accept", "Accept-Language"]
        content_location = absolute(f"{doc_path}.{chosen.suffix}")
    else:
        chosen, content_location = fixed, None
        vary = ["Accept-Language"] if fixed is HTML else []
    variant = Variant(
        chosen.name,
        language=g.lang if chosen is HTML else None,
        vary=vary,
        links=_alternate_links(doc_path),
        content_location=content_location,
    )
    if chosen is HTML:
        page = _page_number()
        variant.extra = str(page)
        return represent_cached(
            lambda: _html_body(_description(iri), doc_path, page), HTML.content_type, variant
        )
    return represent_cached(
        lambda: _rdf_body(_description(iri), chosen, doc_path),
        chosen.content_type,
        variant,
        cors=True,
    )


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ApiError(400, "page must be a whole number from 1", parameter="page")
    return int(raw)


def _rdf_body(description, chosen: DocFormat, doc_path: str) -> bytes:
    settings = context.settings()
    triples = rdf_triples(
        description,
        entity_index(),
        document_iri=settings.base + doc_path.lstrip("/"),
        dataset_iri=dataset_iri(),
    )
    return serialize(triples, chosen, prefixes())


def _rows_about(iri: str, sparql: str) -> list:
    """The rows of a fixed query about a thing (``?this`` bound, never pasted)."""
    base = context.settings().base
    header = f"PREFIX near: <{base}def#>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
    return list(
        context.store().query(
            header + sparql,
            substitutions={"this": ox.NamedNode(iri)},
            snapshot=context.snapshot(),
        )
    )


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


def _html_body(description, doc_path: str, page: int) -> str:
    def local(iri: str) -> str:
        return page_url(context.local_url(iri))

    entity = build_page(
        description, entity_index(), g.lang, local_url=local, doc_url=absolute(doc_path), page=page
    )
    summary = summarize(
        description,
        entity_index(),
        g.lang,
        local,
        source_text=_source_text,
        rows=lambda sparql: _rows_about(description.iri, sparql),
    )
    return render_template(
        "ld/entity.html",
        entity=entity,
        summary=summary,
        snapshot=context.snapshot(),
        doc_path=doc_path,
    )
