"""Writing a ``Result`` in the format the client asked for (one renderer per media type).

Results media types are sent exactly, without a charset parameter (old protocol runners
insist); CSV and TSV carry ``charset=utf-8`` as their specification recommends. CSV and TSV
are defined for SELECT only: an ASK is offered in JSON and XML (and the page), so
``Accept: text/csv`` alone on an ASK is a 406.

The choice: a recognised ``format``/``output``/``results`` parameter wins; otherwise the
``Accept`` header (service.negotiation). A CONSTRUCT/DESCRIBE whose Accept names only SPARQL
results types (rdflib ``returnFormat="json"``) gets Turtle, which such clients still parse;
anything else that fits no offer gets 406 listing the offers. So does an answer the chosen XML
format cannot carry (a character XML 1.0 forbids, an IRI RDF/XML cannot name an element with:
service.http.xml_output), checked here, where the bytes are written (in the query process).
"""

from __future__ import annotations

import functools
import io
import json
from types import MappingProxyType

import pyoxigraph as ox
from flask import Response

from service.http import formats, xml_output
from service.http.errors import ApiError
from service.http.negotiation import Choice, parse_accept
from service.http.negotiation import choose as choose_format
from service.sparql.results import Result, reparse_guard

HTML = formats.HTML.media_type
TRUNCATED_HEADER = "NearKG-Results-Truncated"
KINDS = ("solutions", "boolean", "graph")  # the kinds of result, each with its own offers


def offers(kind: str) -> tuple[formats.Format, ...]:
    if kind == "solutions":
        return (*formats.SPARQL_RESULTS, formats.HTML)
    if kind == "boolean":
        return (*formats.SPARQL_BOOLEAN, formats.HTML)
    return (*formats.SPARQL_GRAPH, formats.HTML)


@functools.lru_cache(maxsize=512)
def choices(accept: str | None, fmt: str | None) -> MappingProxyType:
    """For each kind of result, the media type a query process may write the answer in
    itself (none for HTML, or where nothing fits: the web worker then decides or refuses).
    Kept per (Accept, format): clients send few distinct ones, and negotiating is not free."""
    chosen = {}
    for kind in KINDS:
        try:
            choice = choose(kind, accept, fmt)
        except ApiError:
            continue
        if choice.format is not formats.HTML:
            chosen[kind] = choice.format.media_type
    return MappingProxyType(chosen)


def choose(kind: str, accept: str | None, fmt: str | None) -> Choice:
    """The format to send for a result of this kind; ``ApiError(406)`` if none fits."""
    chosen = _choice(kind, accept, fmt)
    if chosen is not None:
        return chosen
    listed = [f.media_type for f in offers(kind)]
    # the formats once, as a list (as a figure's 406 has them), not again in the detail
    raise ApiError(406, "no acceptable format for this result", offered=listed)


def page_possible(accept: str | None, fmt: str | None) -> bool:
    """Whether some kind of result would be answered with the HTML query page."""
    return any(
        (choice := _choice(kind, accept, fmt)) is not None and choice.format is formats.HTML
        for kind in KINDS
    )


@functools.lru_cache(maxsize=1024)
def _choice(kind: str, accept: str | None, fmt: str | None) -> Choice | None:
    # kept per (kind, Accept, format), as choices(): negotiating is not free
    chosen = choose_format(offers(kind), accept, format_name=fmt)
    if chosen is not None:
        return chosen
    if kind == "graph":
        # rdflib's returnFormat="json" asks a CONSTRUCT for results types only: it reads Turtle
        wanted = {f"{r.type}/{r.subtype}" for r in parse_accept(accept) if r.q > 0}
        if wanted & {t for f in formats.SPARQL_RESULTS for t in f.all_media_types}:
            return Choice(formats.TURTLE, ("Accept",))
    return None


def by_media_type(kind: str, media_type: str) -> formats.Format:
    """The offered format of this kind with this media type (a query process is told the
    media type, a plain string, across its pipe)."""
    for each in offers(kind):
        if each.media_type == media_type:
            return each
    raise ValueError(f"{media_type} is not offered for {kind}")


def body(result: Result, fmt: formats.Format, *, prefixes: dict | None = None) -> bytes:
    """The result in ``fmt`` (in the query process when it can: ``Job.media``)."""
    if result.rendered is not None and result.media_type == fmt.media_type:
        return result.rendered
    try:
        return _write(result, fmt, prefixes)
    except MemoryError as error:
        raise reparse_guard(error) from None


def _write(result: Result, fmt: formats.Format, prefixes: dict | None) -> bytes:
    out = io.BytesIO()
    if result.kind == "boolean":
        assert fmt in formats.SPARQL_BOOLEAN, f"an ASK has no {fmt.media_type} form"
        canonical = b'{"head":{},"boolean":%s}' % str(result.boolean).lower().encode()
        ox.parse_query_results(canonical, ox.QueryResultsFormat.JSON).serialize(out, fmt.results)
        return out.getvalue()
    if result.kind == "solutions":
        if fmt is formats.RESULTS_JSON:  # the canonical form is already SPARQL JSON results
            return result.payload
        result.solutions().serialize(out, fmt.results)
        data = out.getvalue()
        if fmt is formats.RESULTS_XML:  # XML 1.0 cannot hold every character a literal can
            xml_output.check_characters(data, fmt.media_type, _not_xml(result.kind))
        return data
    rdf_format = fmt.rdf
    assert rdf_format is not None, f"{fmt.media_type} is not an RDF format"
    triples = result.triples()
    chosen_prefixes = prefixes if _prefixed(rdf_format) else None
    if fmt is formats.RDF_XML:  # nor every IRI an element name, in RDF/XML
        xml_output.check_rdf_xml_names(triples, fmt.media_type, _not_xml(result.kind))
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        ox.serialize(quads, out, rdf_format, prefixes=chosen_prefixes)
    else:
        ox.serialize(triples, out, rdf_format, prefixes=chosen_prefixes)
    data = out.getvalue()
    if fmt is formats.RDF_XML:
        xml_output.check_characters(data, fmt.media_type, _not_xml(result.kind))
    return data


def _not_xml(kind: str) -> list[str]:
    """The formats that can carry a result of this kind that XML cannot (``NotXml``)."""
    xml = (formats.RESULTS_XML, formats.RDF_XML, formats.HTML)
    return [f.media_type for f in offers(kind) if f not in xml]


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
