"""RDF terms for the validation engines: conversion between rdflib and pyoxigraph, SPARQL syntax,
and the text and JSON forms the report uses (IRIs shortened with the project's prefixes)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..namespaces import prefixes
from ..settings import DEFAULT_BASE


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


_PREFIXES = prefixes(DEFAULT_BASE, things=True)  # report text: the one table (loaders.namespaces)


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
