"""Literal datatypes: the SPARQL test of a value against ``sh:datatype`` (with the lexical checks
rdflib makes, so both engines agree), and derived integer literals normalised the way pyoxigraph
stores them (as ``xsd:integer``) for comparing reports."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, XSD

_DERIVED_INTEGERS = {
    str(XSD.positiveInteger): "{v} > 0",
    str(XSD.nonNegativeInteger): "{v} >= 0",
    str(XSD.negativeInteger): "{v} < 0",
    str(XSD.nonPositiveInteger): "{v} <= 0",
}


def normalize_value(term):
    """Derived integer literals as pyoxigraph stores them (xsd:integer), for comparing reports."""
    if (
        isinstance(term, Literal)
        and term.datatype is not None
        and str(term.datatype) in _DERIVED_INTEGERS
    ):
        return Literal(str(term), datatype=XSD.integer)
    return term


def _datatype_expr(datatype, var: str) -> str:
    """True where ``var`` is a literal of ``datatype`` with a valid lexical form (as far as rdflib
    checks it, so both engines agree)."""
    d = str(datatype)
    x = str(XSD)
    if datatype == RDF.langString:
        return f'(isLiteral({var}) && lang({var}) != "")'
    base = f"(isLiteral({var}) && datatype({var}) = <{d}>"
    if d in _DERIVED_INTEGERS:
        # pyoxigraph stores derived integer types (positiveInteger...) as xsd:integer: accept
        # that, and check the range the declared type demands.
        check = _DERIVED_INTEGERS[d].format(v=f"xsd:integer(STR({var}))")
        return (
            f"(isLiteral({var}) && datatype({var}) IN (<{d}>, <{x}integer>) && "
            + check.replace("xsd:", "<" + x).replace("(STR", ">(STR")
            + ")"
        )
    checks = {
        x + "integer": f"isLiteral(xsd:integer(STR({var})))",
        x + "decimal": f"isLiteral(xsd:decimal(STR({var})))",
        x + "date": f"isLiteral(xsd:date(STR({var})))",
        x + "dateTime": f"isLiteral(xsd:dateTime(STR({var})))",
        x + "boolean": f"isLiteral(xsd:boolean(STR({var})))",
    }
    if d in checks:
        return base + f" && {checks[d].replace('xsd:', '<' + x).replace('(STR', '>(STR')})"
    if d == x + "string":
        return f'(isLiteral({var}) && datatype({var}) = <{d}> && lang({var}) = "")'
    return base + ")"
