"""Discovery for harvesters: the VoID/DCAT description, dumps, the sitemap, robots.txt.

The VoID description is made once per data version by the loader and kept in the store
(``loaders.dataset_description``), so ``/sparql`` answers about it too; dumps are built once
per data version (the same bytes as ``nearkg export``) and kept in memory.
"""

from __future__ import annotations

import gzip
import io
import threading
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template
from werkzeug.http import parse_range_header

from loaders import dataset_description
from loaders.snapshot import Snapshot
from service.http import context
from service.http.documents import suffixed_document
from service.http.errors import ApiError
from service.http.formats import HTML, N_QUADS, TURTLE, Format, serialize
from service.http.representation import Variant, modified_at, represent, represent_triples
from service.http.request_view import RequestView, current
from service.http.response_cache import data_stamp
from service.linked_data.things import entity_index, prefixes

blueprint = Blueprint("discovery", __name__)

GZIP = dataset_description.GZIP
# name in the URL -> (format, gzipped): the files the description lists (DUMP_FILES)
DUMPS: dict[str, tuple[Format, bool]] = {
    name: ({N_QUADS.media_type: N_QUADS, TURTLE.media_type: TURTLE}[media_type], gzipped)
    for name, (media_type, gzipped) in dataset_description.DUMP_FILES.items()
}


def dump_media_type(name: str) -> str:
    fmt, gzipped = DUMPS[name]
    return GZIP if gzipped else fmt.content_type


def void_triples(view: RequestView) -> list[ox.Triple]:
    """The dataset description the loader keeps in the store (``loaders.dataset_description``),
    with the service's own addresses on the host this request came to."""
    snapshot = view.snapshot
    iri = dataset_description.description_graph(snapshot.base)
    if any(g.iri == iri for g in snapshot.graphs):
        quads = context.store().graph_quads(iri, snapshot=snapshot)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    elif snapshot.store is not None:  # a generation published before the store kept it
        triples = dataset_description.describe(snapshot.store, snapshot)
    else:
        raise ApiError(
            503, "the remote store holds no dataset description: publish with `nearkg load`"
        )
    return dataset_description.localize(triples, snapshot.base, view.absolute)


@blueprint.get("/.well-known/void")
@blueprint.get("/void")
@blueprint.get("/void.<suffix>")
def void(suffix: str | None = None):
    view = current()
    chosen, variant = suffixed_document(view, "/void", suffix, "void", "the dataset description")
    triples = void_triples(view)
    if chosen is HTML:
        turtle = serialize(triples, TURTLE, prefixes()).decode()
        text = render_template("ld/void.html", turtle=turtle, snapshot=view.snapshot)
        return represent(view, text, chosen.content_type, variant)
    return represent_triples(view, triples, chosen, variant, prefixes())


# -- dumps -------------------------------------------------------------------------------

_dump_lock = threading.Lock()


def dump_bytes(snapshot: Snapshot, name: str) -> bytes:
    """The dump file, built once per data version and kept for later requests."""
    cache = current_app.extensions.setdefault("nearkg_dumps", {})
    key = (name, *data_stamp(snapshot))
    if key in cache:
        return cache[key]
    with _dump_lock:
        if key not in cache:
            fmt, compress = DUMPS[name]
            assert fmt.rdf is not None, "dumps are RDF"
            buffer = io.BytesIO()
            context.store().export(buffer, fmt.rdf, snapshot=snapshot)
            data = buffer.getvalue()
            if compress:
                data = gzip.compress(data, compresslevel=6, mtime=0)
            for old in [k for k in cache if k[1:] != key[1:]]:
                del cache[old]
            cache[key] = data
    return cache[key]


@blueprint.get("/dumps/")
def dumps_index():
    view = current()
    files = [(name, dump_media_type(name)) for name in DUMPS]
    text = render_template("ld/dumps.html", files=files, snapshot=view.snapshot)
    return represent(view, text, HTML.content_type, Variant("dumps", language=view.language))


@blueprint.get("/dumps/<name>")
def dump(name: str):
    view = current()
    if name not in DUMPS:
        raise ApiError(404, f"there is no dump called {name!r}", dumps=sorted(DUMPS))
    # never compressed on the way (the .gz files are): byte ranges then mean the file's bytes
    data = dump_bytes(view.snapshot, name)
    response = represent(
        view, data, dump_media_type(name), Variant("dump-" + name), may_compress=False
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if response.status_code == 200:
        # Range and If-Range (curl -C -, download managers): 206 with the part asked for; a
        # range past the end is 416 with Content-Range: bytes */size (the error handler keeps
        # the header Werkzeug's error carries)
        environ = view.conditional_environ()
        if not _one_byte_range(environ.get("HTTP_RANGE")):
            # several ranges (or another unit, or a range we cannot read): the whole file,
            # 200, as RFC 9110 §14.2 allows a server to ignore Range; simpler than a
            # multipart/byteranges answer, which no resuming download asks for
            environ.pop("HTTP_RANGE", None)
        response.make_conditional(environ, accept_ranges=True, complete_length=len(data))
    return response


def _one_byte_range(header: str | None) -> bool:
    parsed = parse_range_header(header)
    return parsed is not None and parsed.units == "bytes" and len(parsed.ranges) == 1


# -- sitemap and robots ------------------------------------------------------------------


@blueprint.get("/sitemap.xml")
def sitemap():
    view = current()
    index = entity_index()
    modified = modified_at(view)
    lastmod = f"<lastmod>{modified:%Y-%m-%d}</lastmod>" if modified else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    pages = [view.absolute("/"), view.absolute("/members"), view.absolute("/def")]
    for iri in index.things:
        kind, key = index.kind_and_key(iri)
        pages.append(view.absolute(f"/doc/{kind}/{key}"))
    for url in pages:
        lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return represent(view, "\n".join(lines) + "\n", "application/xml", Variant("sitemap"))


@blueprint.get("/robots.txt")
def robots():
    view = current()
    sitemap_url = view.absolute("/sitemap.xml")
    text = f"User-agent: *\nAllow: /\nDisallow: /sparql\nSitemap: {sitemap_url}\n"
    return represent(view, text, "text/plain; charset=utf-8", Variant("robots"))
