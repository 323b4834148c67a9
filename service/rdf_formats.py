"""The representations we serve for documents: media types, file suffixes, serialisers.

One table, used by routing (suffix -> format), negotiation (offers in the server's order of
preference; the first is the default for clients that state no preference) and rendering.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .negotiation import negotiate


@dataclass(frozen=True)
class DocFormat:
    name: str  # short name used in ETags
    suffix: str  # file suffix of the format-specific URL, without the dot
    media_type: str
    content_type: str  # exact Content-Type header
    rdf: ox.RdfFormat | None  # None for HTML


HTML = DocFormat("html", "html", "text/html", "text/html; charset=utf-8", None)
TURTLE = DocFormat("ttl", "ttl", "text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE)
JSON_LD = DocFormat(
    "jsonld", "jsonld", "application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD
)
RDF_XML = DocFormat(
    "rdf", "rdf", "application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML
)
N_TRIPLES = DocFormat(
    "nt", "nt", "application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES
)

# Server preference: Turtle first, so that ``*/*`` and no Accept get Turtle (the documented
# default); browsers name text/html explicitly and get HTML.
DOCUMENT_FORMATS: tuple[DocFormat, ...] = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES, HTML)
RDF_FORMATS: tuple[DocFormat, ...] = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
DEFAULT_FORMAT = TURTLE

BY_SUFFIX = {f.suffix: f for f in DOCUMENT_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in DOCUMENT_FORMATS}

# Other names clients use for the same types.
ALIASES = {
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/xhtml+xml": "text/html",
    "application/x-json+ld": "application/ld+json",
    # N-Triples' old media type; rdflib's parse(url, format="nt") asks for it
    "text/plain": "application/n-triples",
}


def choose_format(
    accept: str | None, formats: Iterable[DocFormat] = DOCUMENT_FORMATS
) -> DocFormat | None:
    """The format to send for this Accept header (None: nothing acceptable -> 406)."""
    formats = tuple(formats)
    chosen = negotiate(
        accept,
        [f.media_type for f in formats],
        default=formats[0].media_type,
        aliases=ALIASES,
    )
    return BY_MEDIA_TYPE.get(chosen) if chosen else None


def split_suffix(name: str) -> tuple[str, DocFormat | None]:
    """``JP-32.ttl`` -> (``JP-32``, Turtle); a name without a known suffix is returned whole."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix in BY_SUFFIX:
        return stem, BY_SUFFIX[suffix]
    return name, None


def serialize(triples: Iterable[ox.Triple], fmt: DocFormat, prefixes: dict[str, str]) -> bytes:
    """Triples as bytes in an RDF format, with absolute IRIs (no base is set)."""
    assert fmt.rdf is not None, "HTML is rendered by templates"
    if fmt.rdf in (ox.RdfFormat.N_TRIPLES,):
        return ox.serialize(triples, format=fmt.rdf)
    return ox.serialize(triples, format=fmt.rdf, prefixes=prefixes)
