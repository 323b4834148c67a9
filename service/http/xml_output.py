"""What XML 1.0 cannot carry, checked where an XML answer is written: SPARQL results in XML
(service.sparql.render, in the query process that writes the final bytes) and RDF/XML (there,
and in ``formats.serialize``, the writer of entity documents, the ontology and the reports).

pyoxigraph writes what it is given. A literal holding U+0001 went raw into ``<literal>``, and
an RDF/XML predicate (or a thing's first ``rdf:type``, written as its element) whose IRI does
not end in an XML name became ``<oxprefix: xmlns:oxprefix="a:123">``: neither is XML, and a
client's parser stops there ("not well-formed") after a 200. XML 1.0 cannot hold U+0000-U+0008,
U+000B, U+000C, U+000E-U+001F, U+FFFE or U+FFFF at all, not even as character references. Such
an answer cannot be written in the format the client accepts, so it is refused: ``NotXml``,
which the one error handler (service.http.errors) answers 406, naming why and the formats
that can carry it.

The checks are cheap: the written bytes are scanned once in C (``bytes.translate`` and two
``in``; about 50 ms for 26 MB), and the names of RDF/XML are checked once per distinct IRI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
XMLNS = "http://www.w3.org/2000/xmlns/"  # XML reserves it: no element may be in it
# RDF/XML's own syntax: never a property element (pyoxigraph raises on them, unhelpfully)
RESERVED = frozenset(
    RDF + name
    for name in ("Description", "li", "RDF", "ID", "about", "parseType", "resource", "nodeID",
                 "datatype")
)  # fmt: skip

# the bytes XML 1.0 cannot hold: the C0 controls but tab, line feed and carriage return (in
# UTF-8 these bytes stand only for themselves); U+FFFE and U+FFFF are three bytes each
_FORBIDDEN = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_ALLOWED = bytes(b for b in range(256) if b not in _FORBIDDEN)
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_FIRST_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")

# XML's NameStartChar and NameChar without ":" (an NCName), as in pyoxigraph's RDF/XML writer
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME = _START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NAME_RUN = re.compile(f"[{_NAME}]*")
_NAME_START = re.compile(f"[{_START}]")


class NotXml(ValueError):
    """An answer that XML cannot carry in ``media_type``; ``offered``: formats that can."""

    def __init__(self, media_type: str, why: str, offered: Sequence[str]):
        self.media_type = media_type
        self.why = why
        self.offered = tuple(offered)
        super().__init__(
            f"this answer cannot be written as {media_type}: {why}; ask for another format: "
            + ", ".join(self.offered)
        )

    def parts(self) -> list:
        """What crosses the pipe from a query process (plain data, see ``from_parts``)."""
        return [self.media_type, self.why, list(self.offered)]

    @classmethod
    def from_parts(cls, parts) -> NotXml:
        media_type, why, offered = parts
        if not (isinstance(media_type, str) and isinstance(why, str)):
            raise ValueError("not the parts of a NotXml")
        return cls(media_type, why, [str(each) for each in offered])


def check_characters(data: bytes, media_type: str, offered: Sequence[str]) -> None:
    """Raise ``NotXml`` if the written XML holds a character XML 1.0 cannot."""
    if not data.translate(None, _ALLOWED) and not any(n in data for n in _NONCHARACTERS):
        return
    found = _FIRST_FORBIDDEN.search(data)
    assert found is not None, "one of the bytes was found above"
    character = found.group().decode()
    why = (
        f"it holds the character U+{ord(character):04X}, which XML 1.0 cannot carry, "
        "not even as a character reference"
    )
    raise NotXml(media_type, why, offered)


def check_rdf_xml_names(triples: Sequence[ox.Triple], media_type: str, offered) -> None:
    """Raise ``NotXml`` if pyoxigraph would write an element name that is not one: a
    predicate whose IRI does not end in an XML name (``<a:123>``, ``<http://x/a#>``), one of
    RDF/XML's own terms, one in the ``xmlns`` namespace; and the same for the ``rdf:type``
    that opens a thing's run of triples, which the writer makes the thing's element. The
    triples in the order they are written."""
    checked: dict[str, str | None] = {}

    def refuse_if_unnamed(iri: str, role: str) -> None:
        why = checked[iri] if iri in checked else checked.setdefault(iri, _unnamed(iri))
        if why is not None:
            raise NotXml(media_type, f"the {role} <{iri}> {why}", offered)

    subject = None
    for triple in triples:
        if triple.subject != subject:
            subject = triple.subject
            kind = triple.object
            if (
                triple.predicate.value == RDF_TYPE
                and isinstance(kind, ox.NamedNode)
                and kind.value not in RESERVED
            ):
                refuse_if_unnamed(kind.value, "type")  # written as the thing's element
                continue
        _check_predicates(triple, refuse_if_unnamed)


def _check_predicates(triple: ox.Triple, refuse_if_unnamed) -> None:
    refuse_if_unnamed(triple.predicate.value, "predicate")
    if isinstance(triple.object, ox.Triple):  # a triple term: its predicate is an element too
        _check_predicates(triple.object, refuse_if_unnamed)


def _unnamed(iri: str) -> str | None:
    """Why the IRI cannot name an RDF/XML element, or None if it can."""
    if iri in RESERVED:
        return "is a term of RDF/XML's own syntax, which cannot be a property"
    local = local_name(iri)
    if not local:
        return "does not end in an XML name, so it cannot be written as an element"
    if iri[: len(iri) - len(local)] == XMLNS:
        return "is in the namespace XML keeps for namespace declarations"
    return None


def local_name(iri: str) -> str:
    """The local name pyoxigraph's RDF/XML writer splits off an IRI ("" where it finds none):
    from the first name-start character of the IRI's last run of name characters. In linear
    time (the run is matched on the reversed IRI), however long an IRI a query makes."""
    run = _NAME_RUN.match(iri[::-1])
    size = run.end() if run else 0
    if size == len(iri):  # no ":" at all (never an absolute IRI): the writer finds none
        return ""
    tail = iri[len(iri) - size :]
    start = _NAME_START.search(tail)
    return tail[start.start() :] if start else ""
