"""Literals that are not valid for their datatype (``"2020-02-30"^^xsd:date``,
``"abc"^^xsd:integer``): found after parsing, wherever they appear, and located in their file.

The Turtle parser accepts any lexical form with any datatype; SHACL catches an ill-typed value
only where a shape constrains the property. The engine can tell: casting the lexical form to its
own datatype fails exactly when the literal is ill-typed. One query over the store checks every
literal of the XSD types the engine implements; the file is read again only when one is found,
to give its line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .loading import GraphInfo, LoadError

XSD = "http://www.w3.org/2001/XMLSchema#"
# The XSD types the engine can cast to; derived integer types (xsd:byte, ...) are stored as
# xsd:integer and checked as such.
CHECKED_TYPES = (  # the most frequent first: the check tries them in this order
    "date",
    "integer",
    "decimal",
    "dateTime",
    "gYear",
    "boolean",
    "double",
    "float",
    "time",
    "duration",
    "dayTimeDuration",
    "yearMonthDuration",
    "gYearMonth",
    "gMonthDay",
    "gDay",
    "gMonth",
)


def _query() -> str:
    cast = "true"  # a datatype the engine does not know: nothing to check
    for name in reversed(CHECKED_TYPES):
        cast = f"IF(?type = xsd:{name}, xsd:{name}(?literal), {cast})"
    # strings, the most frequent literals, are let through before anything is cast
    return f"""PREFIX xsd: <{XSD}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?graph ?literal WHERE {{
  GRAPH ?graph {{ ?s ?p ?literal }}
  FILTER(isLiteral(?literal))
  BIND(datatype(?literal) AS ?type)
  FILTER(?type != xsd:string && ?type != rdf:langString)
  BIND({cast} AS ?valid)
  FILTER(!BOUND(?valid))
}} LIMIT 1"""


ILL_TYPED = _query()


def first_ill_typed(store: ox.Store) -> tuple[str, ox.Literal] | None:
    """(graph IRI, literal) of one literal that is not valid for its datatype, or None."""
    for row in _solutions(store.query(ILL_TYPED)):
        return row["graph"].value, row["literal"]
    return None


def _solutions(answer) -> ox.QuerySolutions:
    assert isinstance(answer, ox.QuerySolutions)  # a SELECT answers solutions
    return answer


def describe(literal: ox.Literal) -> str:
    datatype = literal.datatype.value
    short = "xsd:" + datatype[len(XSD) :] if datatype.startswith(XSD) else f"<{datatype}>"
    return f'"{literal.value}" is not a valid {short}'


def locate(path: Path, value: str, *, typed: bool = True) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the first quoted occurrence of ``value`` (followed by
    ``^^`` when ``typed``) in a Turtle file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, None
    pattern = re.compile(
        r"""(["'])(?:\1\1)?"""
        + re.escape(value)
        + r"""\1(?:\1\1)?"""
        + (r"\s*\^\^" if typed else "")
    )
    match = pattern.search(text)
    if match is None:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return line, column


def check_literals(store: ox.Store, graphs: list[GraphInfo], root: Path) -> None:
    """Raise ``LoadError`` (``file:line:col``) for the first ill-typed literal of the load."""
    found = first_ill_typed(store)
    if found is None:
        return
    graph, literal = found
    file = {g.iri: g.file for g in graphs}.get(graph)
    line, column = locate(root / file, literal.value) if file else (None, None)
    raise LoadError(describe(literal), file=file, line=line, column=column)


def graph_holding(store: ox.Store, value: str) -> str | None:
    """The named graph with a triple whose object is the plain literal ``value``."""
    rows = store.query(
        "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
        substitutions={ox.Variable("o"): ox.Literal(value)},
    )
    for row in _solutions(rows):
        return row["g"].value
    return None
