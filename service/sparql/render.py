"""Writing a ``Result`` in the format the client asked for (one renderer per media type).

Results media types are sent exactly, without a charset parameter (old protocol runners
insist); CSV and TSV carry ``charset=utf-8`` as their specification recommends.

The choice: a recognised ``format``/``output``/``results`` parameter wins; otherwise the
``Accept`` header (service.negotiation). A CONSTRUCT/DESCRIBE whose Accept names only SPARQL
results types (rdflib ``returnFormat="json"``) gets Turtle, which such clients still parse;
anything else that fits no offer gets 406 listing the offers.
"""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
from flask import Response

from service.http import formats
from service.http.errors import ApiError
from service.http.negotiation import Choice, parse_accept
from service.http.negotiation import choose as choose_format
from service.sparql.results import Result

HTML = formats.HTML.media_type
TRUNCATED_HEADER = "NearKG-Results-Truncated"


def offers(kind: str) -> tuple[formats.Format, ...]:
    if kind in ("solutions", "boolean"):
        return (*formats.SPARQL_RESULTS, formats.HTML)
    return (*formats.SPARQL_GRAPH, formats.HTML)


def choose(kind: str, accept: str | None, fmt: str | None) -> Choice:
    """The format to send for a result of this kind; ``ApiError(406)`` if none fits."""
    chosen = choose_format(offers(kind), accept, format_name=fmt)
    if chosen is not None:
        return chosen
    if kind == "graph":
        # rdflib's returnFormat="json" asks a CONSTRUCT for results types only: it reads Turtle
        wanted = {f"{r.type}/{r.subtype}" for r in parse_accept(accept) if r.q > 0}
        if wanted & {t for f in formats.SPARQL_RESULTS for t in f.all_media_types}:
            return Choice(formats.TURTLE, ("Accept",))
    listed = ", ".join(f.media_type for f in offers(kind))
    raise ApiError(406, f"no acceptable format for this result; offered: {listed}", offered=listed)


def body(result: Result, fmt: formats.Format, *, prefixes: dict | None = None) -> bytes:
    out = io.BytesIO()
    if result.kind == "boolean":
        if fmt in (formats.RESULTS_CSV, formats.RESULTS_TSV):  # a one-column table, as Jena
            head = "_askResult" if fmt is formats.RESULTS_CSV else "?_askResult"
            end = "\r\n" if fmt is formats.RESULTS_CSV else "\n"
            return f"{head}{end}{str(result.boolean).lower()}{end}".encode()
        canonical = b'{"head":{},"boolean":%s}' % str(result.boolean).lower().encode()
        ox.parse_query_results(canonical, ox.QueryResultsFormat.JSON).serialize(out, fmt.results)
        return out.getvalue()
    if result.kind == "solutions":
        result.solutions().serialize(out, fmt.results)
        return out.getvalue()
    rdf_format = fmt.rdf
    assert rdf_format is not None, f"{fmt.media_type} is not an RDF format"
    triples = result.triples()
    chosen_prefixes = prefixes if _prefixed(rdf_format) else None
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        ox.serialize(quads, out, rdf_format, prefixes=chosen_prefixes)
    else:
        ox.serialize(triples, out, rdf_format, prefixes=chosen_prefixes)
    return out.getvalue()


def _prefixed(rdf_format: ox.RdfFormat) -> bool:
    return rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG)


def response(
    result: Result,
    fmt: formats.Format,
    *,
    prefixes: dict | None = None,
    note_url: str | None = None,
) -> Response:
    """The HTTP response for a non-HTML format. A cut answer links ``note_url`` (a page saying
    why) where clients look: the JSON ``head.link``, the XML ``<link>``, and a header."""
    data = body(result, fmt, prefixes=prefixes)
    if result.truncated and note_url:
        data = _with_link(data, fmt, note_url)
    resp = Response(data, 200, content_type=fmt.content_type)
    mark_truncated(resp, result)
    return resp


def _with_link(data: bytes, fmt: formats.Format, url: str) -> bytes:
    """SPARQL results with ``link`` in their head (both result formats define it)."""
    if fmt is formats.RESULTS_JSON:
        document = json.loads(data)
        document.setdefault("head", {})["link"] = [url]
        return json.dumps(document, ensure_ascii=False).encode()
    if fmt is formats.RESULTS_XML:
        link = f'<link href="{_xml_attribute(url)}"/>'.encode()
        return data.replace(b"</head>", link + b"</head>", 1)
    return data


def _xml_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def mark_truncated(resp: Response, result: Result) -> None:
    if result.truncated:
        resp.headers[TRUNCATED_HEADER] = f"true; limit={result.limit}"
