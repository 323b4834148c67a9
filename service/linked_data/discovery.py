"""Discovery for harvesters: the VoID/DCAT description, dumps, the sitemap, robots.txt.

The VoID description is generated from the live data; dumps are built once per data version
(the same bytes as ``nearkg export``) and kept in memory.
"""

from __future__ import annotations

import gzip
import io
import threading
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request

from service.http import context
from service.http.context import absolute
from service.http.documents import suffixed_document
from service.http.errors import ApiError
from service.http.formats import HTML, N_QUADS, TURTLE, Format, serialize
from service.http.representation import Variant, data_modified, represent, represent_triples
from service.http.request_view import current
from service.http.response_cache import data_stamp
from service.linked_data.entity_description import DCTERMS, FOAF, LICENSE, RDF_TYPE, VOID
from service.linked_data.things import dataset_iri, entity_index, prefixes

blueprint = Blueprint("discovery", __name__)

DCAT = "http://www.w3.org/ns/dcat#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
VOCABULARIES = (
    "http://www.w3.org/ns/org#",
    "http://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2006/time#",
    "http://xmlns.com/foaf/0.1/",
)
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GZIP = "application/gzip"
# name in the URL -> (format, gzipped); an uncompressed N-Quads file too, since Jena, rapper,
# rdflib and Comunica read no .nq.gz from a URL
DUMPS: dict[str, tuple[Format, bool]] = {
    "near-kg.nq": (N_QUADS, False),
    "near-kg.nq.gz": (N_QUADS, True),
    "near-kg.ttl": (TURTLE, False),
    "near-kg.ttl.gz": (TURTLE, True),
}


def dump_media_type(name: str) -> str:
    fmt, gzipped = DUMPS[name]
    return GZIP if gzipped else fmt.content_type


EXAMPLE_KEYS = ("region/JP-32", "organization/near", "conference/1993", "country/JP")
SKOS_EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
# namespace of the linked IRIs -> (the dataset they belong to, its name): the linksets' targets
LINK_TARGETS = {
    "http://www.wikidata.org/entity/": ("https://www.wikidata.org/", "Wikidata"),
    "https://sws.geonames.org/": ("https://www.geonames.org/", "GeoNames"),
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(datatype)) if datatype else ox.Literal(str(value))


def void_triples() -> list[ox.Triple]:
    """The dataset description: VoID and DCAT, from the live snapshot."""
    view = current()
    snapshot = context.snapshot()
    index = entity_index()
    base = snapshot.base
    dataset = _n(dataset_iri())
    description_doc = _n(base + "void")
    triples: list[ox.Triple] = []

    def add(s, p, o):
        triples.append(ox.Triple(s, _n(p), o))

    add(description_doc, RDF_TYPE, _n(VOID + "DatasetDescription"))
    add(description_doc, FOAF + "primaryTopic", dataset)
    for t in (VOID + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF_TYPE, _n(t))
    add(dataset, DCTERMS + "title", _lit("NEAR knowledge graph", lang="en"))
    add(
        dataset,
        DCTERMS + "description",
        _lit(
            "Open linked data about NEAR, the Association of North East Asian Regional "
            "Governments: member regions and observers, conferences, declarations, "
            "resolutions, bodies, subcommittees and coordinators, each fact traced to "
            "its source document.",
            lang="en",
        ),
    )
    add(dataset, DCTERMS + "license", _n(LICENSE))
    publisher = _n(base + "id/organization/near")
    if publisher.value in index.thing_set:
        add(dataset, DCTERMS + "publisher", publisher)
        add(dataset, VOID + "rootResource", publisher)
    modified = data_modified(view)
    if modified is not None:  # what the data says, never the load time (see representation)
        add(dataset, DCTERMS + "modified", _lit(modified.isoformat(), XSD + "dateTime"))
    add(dataset, _owl_version(), _lit(snapshot.version))
    add(dataset, VOID + "triples", _lit(snapshot.triples, XSD + "integer"))
    add(dataset, VOID + "entities", _lit(len(index.things), XSD + "integer"))
    add(dataset, VOID + "distinctSubjects", _lit(index.distinct_subjects, XSD + "integer"))
    add(dataset, VOID + "sparqlEndpoint", _n(absolute("/sparql")))
    add(dataset, VOID + "uriSpace", _lit(base + "id/"))
    for key in EXAMPLE_KEYS:
        iri = base + "id/" + key
        if iri in index.thing_set:
            add(dataset, VOID + "exampleResource", _n(iri))
    if not any(t.predicate.value == VOID + "exampleResource" for t in triples):
        for iri in index.things[:3]:
            add(dataset, VOID + "exampleResource", _n(iri))
    add(dataset, VOID + "vocabulary", _n(base + "def#"))
    for vocabulary in VOCABULARIES:
        add(dataset, VOID + "vocabulary", _n(vocabulary))
    for name, (fmt, gzipped) in DUMPS.items():
        url = _n(absolute(f"/dumps/{name}"))
        add(dataset, VOID + "dataDump", url)
        distribution = _n(f"{dataset_iri()}-{name}")
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE, _n(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", url)
        # DCAT: the media type of the data, as an IANA term; a gzipped file says so apart
        add(distribution, DCAT + "mediaType", _n(IANA_MEDIA_TYPES + fmt.media_type))
        if gzipped:
            add(distribution, DCAT + "compressFormat", _n(IANA_MEDIA_TYPES + GZIP))
    add(dataset, RDFS + "seeAlso", _n(absolute("/def")))
    add(dataset, RDFS + "seeAlso", _n(absolute("/shapes")))
    add(dataset, RDFS + "seeAlso", _n(absolute("/validation")))
    add(dataset, DCAT + "landingPage", _n(absolute("/")))
    for graph in [*snapshot.graphs_of("data"), *snapshot.graphs_of("ontology")]:
        subset = _n(graph.iri)
        add(dataset, VOID + "subset", subset)
        add(subset, RDF_TYPE, _n(VOID + "Dataset"))
        add(subset, VOID + "triples", _lit(graph.triples, XSD + "integer"))
    _linksets(snapshot, dataset, add)
    return triples


def _linksets(snapshot, dataset: ox.NamedNode, add) -> None:
    """Each graph of ``data/links/`` as one void:Linkset per dataset it links to (VoID: a
    linkset joins two datasets), with its links counted and the graph's source named."""
    prefix = snapshot.base + "graph/data/links/"
    for graph in snapshot.graphs_of("data"):
        if not graph.iri.startswith(prefix):
            continue
        counts = {namespace: 0 for namespace in LINK_TARGETS}
        rows = context.store().query(
            f"SELECT ?graph ?target WHERE {{ GRAPH ?graph {{ ?s <{SKOS_EXACT_MATCH}> ?target }} }}",
            substitutions={ox.Variable("graph"): _n(graph.iri)},
            snapshot=snapshot,
        )
        for row in rows:
            for namespace in counts:
                if row["target"].value.startswith(namespace):
                    counts[namespace] += 1
        for namespace, count in counts.items():
            if not count:
                continue
            target, name = LINK_TARGETS[namespace]
            linkset = _n(f"{graph.iri}#{name.lower()}")
            add(dataset, VOID + "subset", linkset)
            add(linkset, RDF_TYPE, _n(VOID + "Linkset"))
            add(linkset, DCTERMS + "title", _lit(f"Links to {name} ({graph.file})", lang="en"))
            add(linkset, VOID + "linkPredicate", _n(SKOS_EXACT_MATCH))
            add(linkset, VOID + "subjectsTarget", dataset)
            add(linkset, VOID + "objectsTarget", _n(target))
            add(linkset, VOID + "triples", _lit(count, XSD + "integer"))
            add(linkset, DCTERMS + "isPartOf", _n(graph.iri))
            for source in entity_index().graph_sources.get(graph.iri, []):
                add(linkset, DCTERMS + "source", _n(source))
            add(_n(target), RDF_TYPE, _n(VOID + "Dataset"))
            add(_n(target), DCTERMS + "title", _lit(name, lang="en"))
            add(_n(target), VOID + "uriSpace", _lit(namespace))


def _owl_version() -> str:
    return "http://www.w3.org/2002/07/owl#versionInfo"


@blueprint.get("/.well-known/void")
@blueprint.get("/void")
@blueprint.get("/void.<suffix>")
def void(suffix: str | None = None):
    view = current()
    chosen, variant = suffixed_document(view, "/void", suffix, "void", "the dataset description")
    triples = void_triples()
    if chosen is HTML:
        turtle = serialize(triples, TURTLE, prefixes()).decode()
        text = render_template("ld/void.html", turtle=turtle, snapshot=context.snapshot())
        return represent(view, text, chosen.content_type, variant)
    return represent_triples(view, triples, chosen, variant, prefixes())


# -- dumps -------------------------------------------------------------------------------

_dump_lock = threading.Lock()


def dump_bytes(name: str) -> bytes:
    """The dump file, built once per data version and kept for later requests."""
    snapshot = context.snapshot()
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
    text = render_template("ld/dumps.html", files=files, snapshot=context.snapshot())
    return represent(view, text, HTML.content_type, Variant("dumps", language=current().language))


@blueprint.get("/dumps/<name>")
def dump(name: str):
    view = current()
    if name not in DUMPS:
        raise ApiError(404, f"there is no dump called {name!r}", dumps=sorted(DUMPS))
    # never compressed on the way (the .gz files are): byte ranges then mean the file's bytes
    data = dump_bytes(name)
    response = represent(
        view, data, dump_media_type(name), Variant("dump-" + name), may_compress=False
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if response.status_code == 200:
        # Range and If-Range (curl -C -, download managers): 206 with the part asked for
        response.make_conditional(request, accept_ranges=True, complete_length=len(data))
    return response


# -- sitemap and robots ------------------------------------------------------------------


@blueprint.get("/sitemap.xml")
def sitemap():
    view = current()
    index = entity_index()
    modified = data_modified(view)
    lastmod = f"<lastmod>{modified:%Y-%m-%d}</lastmod>" if modified else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    pages = [absolute("/"), absolute("/members"), absolute("/def")]
    for iri in index.things:
        kind, key = index.kind_and_key(iri)
        pages.append(absolute(f"/doc/{kind}/{key}"))
    for url in pages:
        lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return represent(view, "\n".join(lines) + "\n", "application/xml", Variant("sitemap"))


@blueprint.get("/robots.txt")
def robots():
    view = current()
    text = f"User-agent: *\nAllow: /\nDisallow: /sparql\nSitemap: {absolute('/sitemap.xml')}\n"
    return represent(view, text, "text/plain; charset=utf-8", Variant("robots"))
