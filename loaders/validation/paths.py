"""SHACL property paths: parsed from a shapes or report graph into hashable values (an IRI, or
``(kind, ...)`` tuples), and written back as SPARQL, as text and as RDF."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from .terms import _short

_PATH_KEYS = {
    SH.inversePath: "inverse",
    SH.alternativePath: "alternative",
    SH.zeroOrMorePath: "zeroOrMore",
    SH.oneOrMorePath: "oneOrMore",
    SH.zeroOrOnePath: "zeroOrOne",
}


def parse_path(graph: Graph, node):
    """A SHACL path node as a hashable value: an IRI, or (kind, ...) tuples."""
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return ("sequence", tuple(parse_path(graph, n) for n in Collection(graph, node)))
    for predicate, kind in _PATH_KEYS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            if kind == "alternative":
                return (kind, tuple(parse_path(graph, n) for n in Collection(graph, inner)))
            return (kind, parse_path(graph, inner))
    raise ValueError(f"not a SHACL path: {node}")


def _path_sparql(path) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    kind, inner = path
    if kind == "sequence":
        return "(" + "/".join(_path_sparql(p) for p in inner) + ")"
    if kind == "alternative":
        return "(" + "|".join(_path_sparql(p) for p in inner) + ")"
    if kind == "inverse":
        return f"^{_path_sparql(inner)}"
    suffix = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[kind]
    return f"({_path_sparql(inner)}){suffix}"


def _path_text(path, compact: bool = False) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _short(path) if compact else str(path)
    kind, inner = path
    if kind in ("sequence", "alternative"):
        sep = "/" if kind == "sequence" else "|"
        return "(" + sep.join(_path_text(p, compact) for p in inner) + ")"
    if kind == "inverse":
        return "^" + _path_text(inner, compact)
    suffix = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[kind]
    return f"({_path_text(inner, compact)}){suffix}"


def _path_to_rdf(g: Graph, path):
    if isinstance(path, URIRef):
        return path
    kind, inner = path
    node = BNode()
    if kind == "sequence":
        Collection(g, node, [_path_to_rdf(g, p) for p in inner])
        return node
    if kind == "alternative":
        items = BNode()
        Collection(g, items, [_path_to_rdf(g, p) for p in inner])
        g.add((node, SH.alternativePath, items))
        return node
    predicate = {v: k for k, v in _PATH_KEYS.items()}[kind]
    g.add((node, predicate, _path_to_rdf(g, inner)))
    return node
