"""Writing a ``Result`` in the format the client asked for (one renderer per media type).

Results media types are sent exactly, without a charset parameter (old protocol runners
insist); CSV and TSV carry ``charset=utf-8`` as their specification recommends.

The choice: a recognised ``format``/``output``/``results`` parameter wins; otherwise the
``Accept`` header (service.negotiation). A CONSTRUCT/DESCRIBE whose Accept names only SPARQL
results types (rdflib ``returnFormat="json"``) gets Turtle, which such clients still parse;
anything else that fits no offer gets 406 listing the offers.
"""

from __future__ import annotations

import functools
import io
from types import MappingProxyType

import pyoxigraph as ox
from flask import Response

from ..errors import ApiError
from ..negotiation import negotiate, parse_accept
from .results import Result, ValueTooLarge, reparse_guard

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
HTML = "text/html"

RESULTS = {
    JSON: ox.QueryResultsFormat.JSON,
    XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
CONTENT_TYPES = {CSV: "text/csv; charset=utf-8", TSV: "text/tab-separated-values; charset=utf-8"}
RESULT_ALIASES = {
    "application/json": JSON,
    "text/javascript": JSON,
    "application/javascript": JSON,
    "application/xml": XML,
    "text/xml": XML,
}
GRAPH_ALIASES = {
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-json+ld": "application/ld+json",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/xml": "application/rdf+xml",
}
# format= values (SPARQLWrapper, Virtuoso, Fuseki, and our own download links)
RESULT_NAMES = {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV, "html": HTML}
GRAPH_NAMES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "html": HTML,
}
TRUNCATED_HEADER = "NearKG-Results-Truncated"


def offers(kind: str) -> list[str]:
    return [*RESULTS, HTML] if kind in ("solutions", "boolean") else [*GRAPHS, HTML]


@functools.lru_cache(maxsize=512)
def choices(accept: str | None, fmt: str | None) -> MappingProxyType:
    """For each kind of result, the media type a query process may write the answer in
    itself (none for HTML, or where nothing fits: the web worker then decides or refuses).
    Kept per (Accept, format): clients send few distinct ones, and negotiating is not free."""
    chosen = {}
    for kind in ("solutions", "graph"):
        try:
            media_type = choose(kind, accept, fmt)
        except ApiError:
            continue
        if media_type != HTML:
            chosen[kind] = media_type
    return MappingProxyType(chosen)


def choose(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to send for a result of this kind; ``ApiError(406)`` if none fits."""
    graph = kind == "graph"
    names = GRAPH_NAMES if graph else RESULT_NAMES
    if fmt:
        chosen = names.get(fmt) or (fmt if fmt in offers(kind) else None)
        if chosen:
            return chosen
    aliases = GRAPH_ALIASES if graph else RESULT_ALIASES
    chosen = negotiate(accept, offers(kind), default=offers(kind)[0], aliases=aliases)
    if chosen is not None:
        return chosen
    if graph:
        wanted = {f"{r.type}/{r.subtype}" for r in parse_accept(accept) if r.q > 0}
        if wanted & ({*RESULTS, *RESULT_ALIASES}):
            return "text/turtle"
    listed = ", ".join(offers(kind))
    raise ApiError(406, f"no acceptable format for this result; offered: {listed}", offered=listed)


def body(result: Result, media_type: str, *, prefixes: dict | None = None) -> bytes:
    """The result in ``media_type`` (in the query process when it can: ``Job.media``)."""
    if result.rendered is not None and result.media_type == media_type:
        return result.rendered
    try:
        return _write(result, media_type, prefixes)
    except MemoryError as error:
        raise reparse_guard(error) from None


def _write(result: Result, media_type: str, prefixes: dict | None) -> bytes:
    out = io.BytesIO()
    if result.kind == "boolean":
        if media_type in (CSV, TSV):  # a one-column table, as Jena writes it
            head = "_askResult" if media_type == CSV else "?_askResult"
            end = "\r\n" if media_type == CSV else "\n"
            return f"{head}{end}{str(result.boolean).lower()}{end}".encode()
        canonical = b'{"head":{},"boolean":%s}' % str(result.boolean).lower().encode()
        ox.parse_query_results(canonical, ox.QueryResultsFormat.JSON).serialize(
            out, RESULTS[media_type]
        )
        return out.getvalue()
    if result.kind == "solutions":
        if media_type == JSON:  # the canonical form is already SPARQL JSON results
            return result.payload
        result.solutions().serialize(out, RESULTS[media_type])
        return out.getvalue()
    rdf_format = GRAPHS[media_type]
    triples = result.triples()
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        ox.serialize(quads, out, rdf_format, prefixes=prefixes if _prefixed(rdf_format) else None)
    else:
        ox.serialize(triples, out, rdf_format, prefixes=prefixes if _prefixed(rdf_format) else None)
    return out.getvalue()


def _prefixed(rdf_format: ox.RdfFormat) -> bool:
    return rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG)


def response(result: Result, media_type: str, *, prefixes: dict | None = None) -> Response:
    """The HTTP response for a non-HTML media type."""
    data = body(result, media_type, prefixes=prefixes)
    resp = Response(data, 200, content_type=CONTENT_TYPES.get(media_type, media_type))
    resp.headers["Vary"] = "Accept"
    mark_truncated(resp, result)
    return resp


def mark_truncated(resp: Response, result: Result) -> None:
    resp.headers["Access-Control-Expose-Headers"] = TRUNCATED_HEADER
    if result.truncated:
        resp.headers[TRUNCATED_HEADER] = f"true; limit={result.limit}"
