"""RDF terms for the validation engines: conversion between rdflib and pyoxigraph, SPARQL syntax,
and the text and JSON forms the report uses (IRIs shortened with the project's prefixes)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD


def _to_rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


def _sparql_term(term) -> str:
    """A term in SPARQL syntax (N-Triples escaping by pyoxigraph)."""
    if isinstance(term, BNode):
        raise ValueError("blank nodes cannot be written in a query")
    return str(_to_ox(term))


_PREFIXES = {
    "near": "https://w3id.org/near/def#",
    "nsh": "https://w3id.org/near/def/shapes#",
    "nearid": "https://w3id.org/near/id/",
    "sh": str(SH),
    "skos": str(SKOS),
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": str(XSD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
}


def _short(term) -> str:
    if term is None:
        return "-"
    text = str(term)
    for prefix, ns in _PREFIXES.items():
        if text.startswith(ns) and "/" not in text[len(ns) :]:
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>" if isinstance(term, URIRef) else text


def _term_text(term) -> str:
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, URIRef):
        return f"<{term}>"
    return str(term)


def _term_json(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["language"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "iri", "value": str(term)}
