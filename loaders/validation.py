"""SHACL validation of the dataset: a SPARQL fast path on pyoxigraph and pyshacl as reference.

Both engines return the same format-independent :class:`ValidationReport` (results with severity,
focus node and its label, path, value, messages, source shape and constraint component, and the
file of the offending triple), rendered by ``to_text()``, ``to_turtle()`` and ``to_json()``.

The fast path (:func:`validate_store`) compiles the shapes graph into SPARQL queries, one per
constraint, each joined with the shape's targets, and runs them on the pyoxigraph store over the
union of the data and ontology graphs. It supports a fixed set of SHACL features (see
``SUPPORTED``); any other constraint makes it raise :class:`UnsupportedShape`, naming the shape and
the component, so it never validates less than the shapes say. Callers then use
:func:`validate_with_pyshacl`, the reference. ``tests/test_shapes.py`` checks that both engines
report the same results on every fixture and on the real data.

Pure Python: no Flask, no service imports.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "SUPPORTED",
    "UnsupportedShape",
    "ValidationReport",
    "ValidationResult",
    "compile_shapes",
    "validate_snapshot",
    "validate_store",
    "validate_with_pyshacl",
    "validate",
]

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

# Constraint parameters the fast path compiles (component IRI local names).
SUPPORTED = (
    "targetClass (with rdfs:subClassOf* from the data and ontology graphs), targetNode, "
    "targetSubjectsOf, targetObjectsOf, implicit class targets; paths: predicate, inverse, "
    "sequence, alternative, zeroOrMore, oneOrMore, zeroOrOne; components: minCount, maxCount, "
    "datatype, class, nodeKind, languageIn, uniqueLang, pattern (with flags), in, hasValue, "
    "minInclusive, maxInclusive, minExclusive, maxExclusive, minLength, maxLength, "
    "qualifiedValueShape with qualifiedMinCount/qualifiedMaxCount (value shapes made of the "
    "value-level components above), sparql (SELECT, on node shapes, $this pre-bound by a join "
    "with the targets); sh:deactivated, sh:severity, sh:message"
)

_SHAPE_META = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.path,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.defaultValue,
    SKOS.editorialNote,
}
_VALUE_LEVEL = {
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.languageIn,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
}
_PROPERTY_ONLY = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
_COMPONENT = {
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


class UnsupportedShape(Exception):
    """The fast path cannot compile a constraint; validate with pyshacl instead."""

    def __init__(self, shape, component, why: str = "not supported by the SPARQL fast path"):
        self.shape = shape
        self.component = component
        super().__init__(f"shape {_short(shape)}: {_short(component)}: {why}")


# ------------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # "Violation", "Warning" or "Info"
    focus: object  # rdflib term
    path: object | None  # rdflib URIRef, or a path tuple such as ("inverse", URIRef)
    value: object | None
    messages: tuple[str, ...]
    source_shape: object
    component: object
    source_constraint: object | None = None
    focus_label: str | None = None
    source_files: tuple[str, ...] = ()

    def key(self) -> tuple:
        """What two engines must agree on."""
        return (
            normalize_value(self.focus),
            self.path,
            normalize_value(self.value),
            self.severity,
            self.component,
            self.source_shape,
            tuple(sorted(self.messages)),
        )

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "focus": _term_json(self.focus),
            "focus_label": self.focus_label,
            "path": _path_text(self.path) if self.path is not None else None,
            "value": _term_json(self.value),
            "messages": list(self.messages),
            "source_shape": _term_json(self.source_shape),
            "component": _term_json(self.component),
            "source_constraint": _term_json(self.source_constraint),
            "source_files": list(self.source_files),
        }


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    engine: str  # "sparql" (the fast path) or "pyshacl"
    timing: dict[str, float] = field(default_factory=dict)  # seconds per phase
    query_count: int = 0  # SPARQL queries the fast path ran
    fallback_reason: str | None = None  # why pyshacl ran instead of the fast path

    @property
    def conforms(self) -> bool:
        return not self.has_violations

    @property
    def has_violations(self) -> bool:
        return any(r.severity == "Violation" for r in self.results)

    @property
    def violation_count(self) -> int:
        return sum(1 for r in self.results if r.severity == "Violation")

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {name: found.get(name, 0) for name in ("Violation", "Warning", "Info")}

    def keys(self) -> set[tuple]:
        return {r.key() for r in self.results}

    def sorted_results(self) -> list[ValidationResult]:
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        return sorted(
            self.results,
            key=lambda r: (
                order.get(r.severity, 3),
                str(r.focus),
                _path_text(r.path),
                str(r.value),
            ),
        )

    # renderers -----------------------------------------------------------------------------
    def to_text(self) -> str:
        counts = self.counts()
        lines = [
            f"SHACL ({self.engine}): "
            + ("conforms" if self.conforms else "does not conform")
            + f"; {counts['Violation']} violation(s), {counts['Warning']} warning(s), "
            f"{counts['Info']} info"
        ]
        for r in self.sorted_results():
            label = f'"{r.focus_label}" ' if r.focus_label else ""
            parts = [f"{r.severity}: {label}<{r.focus}>"]
            if r.path is not None:
                parts.append(f"path {_path_text(r.path, compact=True)}")
            if r.value is not None:
                parts.append(f"value {_term_text(r.value)}")
            parts.append(" / ".join(r.messages))
            if r.source_files:
                parts.append(f"[{', '.join(r.source_files)}]")
            lines.append(" | ".join(parts))
        by_shape = Counter((_short(r.source_shape), r.severity) for r in self.results)
        if by_shape:
            lines.append("By shape:")
            for (shape, severity), n in sorted(by_shape.items()):
                lines.append(f"  {shape} ({severity}): {n}")
        return "\n".join(lines) + "\n"

    def to_graph(self) -> Graph:
        g = Graph()
        g.bind("sh", SH)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.sorted_results():
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.focusNode, r.focus))
            if r.path is not None:
                g.add((node, SH.resultPath, _path_to_rdf(g, r.path)))
            if r.value is not None:
                g.add((node, SH.value, r.value))
            g.add((node, SH.sourceShape, r.source_shape))
            g.add((node, SH.sourceConstraintComponent, r.component))
            if r.source_constraint is not None:
                g.add((node, SH.sourceConstraint, r.source_constraint))
            for m in r.messages:
                g.add((node, SH.resultMessage, Literal(m)))
        return g

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "engine": self.engine,
                "counts": self.counts(),
                "timing": self.timing,
                "results": [r.as_dict() for r in self.sorted_results()],
            },
            ensure_ascii=False,
            indent=2,
        )


# ------------------------------------------------------------------------------------------------
# Terms and paths


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


# ------------------------------------------------------------------------------------------------
# Compiling shapes into SPARQL


@dataclass
class CompiledQuery:
    """One SPARQL query checking one constraint of one shape; each solution is one result.

    Solutions bind ?this (focus) and, where the component reports one, ?value; SPARQL
    constraints may bind ?path, ?value and more (used in message templates).
    """

    shape: object
    component: object
    severity: str
    messages: tuple  # rdflib Literals
    path: object | None
    query: str
    value_is_focus: bool = False  # node-level constraints: the value is the focus node
    sparql_constraint: object | None = None  # the sh:sparql node
    constraint_messages: tuple = ()
    # count checks folded into one aggregate query: (variable, operator, bound, CompiledQuery)
    checks: list = field(default_factory=list)


def _list(graph: Graph, node) -> list:
    return list(Collection(graph, node))


class _Compiler:
    def __init__(self, shapes: Graph, closure):
        self.g = shapes
        self.closure = closure  # class IRI -> set of class IRIs (itself and its subclasses)
        self.queries: list[CompiledQuery] = []
        # (target, path) -> count checks: all counts over one path of one target, one query
        self.counts: dict[tuple[str, str], list] = {}

    # targets -------------------------------------------------------------------------------
    def target_pattern(self, shape) -> str | None:
        g = self.g
        parts = []
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (
            shape,
            RDF.type,
            URIRef(str(RDFS) + "Class"),
        ) in g:
            classes.add(shape)
        if classes:
            all_classes = set()
            for c in classes:
                all_classes |= self.closure(c)
            values = " ".join(_sparql_term(c) for c in sorted(all_classes))
            parts.append(f"VALUES ?__t {{ {values} }} ?this a ?__t .")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(_sparql_term(n) for n in nodes)} }}")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {_sparql_term(p)} ?__o .")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?__s {_sparql_term(p)} ?this .")
        if not parts:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # value-level expressions ---------------------------------------------------------------
    def value_expr(self, shape, param, arg, var: str) -> str:
        """A SPARQL expression, true where ``var`` conforms to the constraint (never an error)."""
        g = self.g
        if param == SH.datatype:
            return f"COALESCE({_datatype_expr(arg, var)}, false)"
        if param == SH["class"]:
            values = " ".join(_sparql_term(c) for c in sorted(self.closure(arg)))
            return f"EXISTS {{ VALUES ?__c {{ {values} }} {var} a ?__c }}"
        if param == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({var})",
                SH.Literal: f"isLiteral({var})",
                SH.BlankNode: f"isBlank({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            if arg not in kinds:
                raise UnsupportedShape(shape, SH.NodeKindConstraintComponent, f"node kind {arg}")
            return kinds[arg]
        if param == SH.languageIn:
            langs = [str(x).lower() for x in _list(g, arg)]
            if "*" in langs:
                return f'COALESCE(lang({var}) != "", false)'
            tests = " || ".join(
                f"LCASE(lang({var})) = {json.dumps(lang)} || "
                f"STRSTARTS(LCASE(lang({var})), {json.dumps(lang + '-')})"
                for lang in langs
            )
            return f"COALESCE(isLiteral({var}) && ({tests or 'false'}), false)"
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            flag_arg = f", {json.dumps(str(flags))}" if flags is not None else ""
            return (
                f"COALESCE(!isBlank({var}) && REGEX(STR({var}), {json.dumps(str(arg))}{flag_arg}), "
                "false)"
            )
        if param == SH["in"]:
            members = _list(g, arg)
            tests = " || ".join(f"sameTerm({var}, {_sparql_term(m)})" for m in members)
            return f"({tests or 'false'})"
        if param == SH.hasValue:
            return f"sameTerm({var}, {_sparql_term(arg)})"
        if param in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {
                SH.minInclusive: ">=",
                SH.maxInclusive: "<=",
                SH.minExclusive: ">",
                SH.maxExclusive: "<",
            }[param]
            return f"COALESCE(isLiteral({var}) && {var} {op} {_sparql_term(arg)}, false)"
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"COALESCE(!isBlank({var}) && STRLEN(STR({var})) {op} {int(arg)}, false)"
        raise UnsupportedShape(shape, param)

    def shape_expr(self, shape, var: str) -> str:
        """A value shape (e.g. of sh:qualifiedValueShape) as one expression."""
        g = self.g
        tests = []
        for p, o in g.predicate_objects(shape):
            if p in (RDF.type, SH.message, SH.severity, SH.flags, RDFS.label, RDFS.comment):
                continue
            if p in _VALUE_LEVEL or p == SH.hasValue:
                tests.append(self.value_expr(shape, p, o, var))
            else:
                raise UnsupportedShape(shape, p, "not supported inside a value shape")
        return "(" + (" && ".join(tests) or "true") + ")"

    # shapes --------------------------------------------------------------------------------
    def compile_node_shape(self, shape):
        g = self.g
        if _deactivated(g, shape):
            return
        target = self.target_pattern(shape)
        if target is None:
            return  # a shape without targets checks nothing on its own
        severity = _severity(g, shape)
        messages = tuple(g.objects(shape, SH.message))
        for p, o in g.predicate_objects(shape):
            if p in _SHAPE_META or p == SH.flags:
                continue
            if p in _VALUE_LEVEL or p == SH.hasValue:
                expr = self.value_expr(shape, p, o, "?this")
                self.add(
                    shape,
                    _COMPONENT[p],
                    severity,
                    messages,
                    None,
                    f"SELECT ?this WHERE {{ {target} FILTER (!{expr}) }}",
                    value_is_focus=True,
                )
            elif p == SH.sparql:
                self.compile_sparql(shape, o, target, severity, messages)
            elif p in _PROPERTY_ONLY:
                raise UnsupportedShape(shape, p, "a node shape cannot have it")
            else:
                raise UnsupportedShape(shape, p)
        for prop in g.objects(shape, SH.property):
            self.compile_property_shape(prop, target)

    def compile_property_shape(self, shape, target: str):
        g = self.g
        if _deactivated(g, shape):
            return
        path_node = g.value(shape, SH.path)
        if path_node is None:
            raise UnsupportedShape(shape, SH.path, "a property shape needs sh:path")
        path = parse_path(g, path_node)
        sp = _path_sparql(path)
        severity = _severity(g, shape)
        messages = tuple(g.objects(shape, SH.message))
        for p, o in g.predicate_objects(shape):
            if p in _SHAPE_META or p in (SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            if p in _VALUE_LEVEL:
                expr = self.value_expr(shape, p, o, "?value")
                q = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {sp} ?value . "
                    f"FILTER (!{expr}) }}"
                )
                self.add(shape, _COMPONENT[p], severity, messages, path, q)
            elif p == SH.hasValue:
                q = (
                    f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS "
                    f"{{ ?this {sp} {_sparql_term(o)} }} }}"
                )
                self.add(shape, _COMPONENT[p], severity, messages, path, q)
            elif p in (SH.minCount, SH.maxCount):
                n = int(o)
                if p == SH.minCount and n <= 0:
                    continue
                self.count(
                    target,
                    sp,
                    None,
                    "<" if p == SH.minCount else ">",
                    n,
                    CompiledQuery(shape, _COMPONENT[p], severity, messages, path, ""),
                )
            elif p == SH.uniqueLang:
                if not (isinstance(o, Literal) and o.toPython() is True):
                    continue
                q = (
                    f"SELECT ?this ?__lang WHERE {{ {target} ?this {sp} ?__v . "
                    f'FILTER (isLiteral(?__v) && lang(?__v) != "") '
                    f"BIND (LCASE(lang(?__v)) AS ?__lang) }} "
                    f"GROUP BY ?this ?__lang HAVING (COUNT(DISTINCT ?__v) > 1)"
                )
                self.add(shape, _COMPONENT[p], severity, messages, path, q)
            elif p == SH.qualifiedValueShape:
                if any(g.objects(shape, SH.qualifiedValueShapesDisjoint)):
                    disjoint = g.value(shape, SH.qualifiedValueShapesDisjoint)
                    if disjoint.toPython() is True:
                        raise UnsupportedShape(shape, SH.qualifiedValueShapesDisjoint)
                expr = self.shape_expr(o, "?__v")
                for param, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                    bound = g.value(shape, param)
                    if bound is None:
                        continue
                    self.count(
                        target,
                        sp,
                        expr,
                        op,
                        int(bound),
                        CompiledQuery(shape, _COMPONENT[param], severity, messages, path, ""),
                    )
            elif p == SH.qualifiedValueShapesDisjoint:
                continue
            elif p == SH.sparql:
                raise UnsupportedShape(
                    shape,
                    SH.SPARQLConstraintComponent,
                    "SPARQL constraints on property shapes ($PATH)",
                )
            else:
                raise UnsupportedShape(shape, p)

    def compile_sparql(self, shape, constraint, target, severity, messages):
        g = self.g
        if _deactivated(g, constraint):
            return
        select = g.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(
                shape, SH.SPARQLConstraintComponent, "only sh:select is supported"
            )
        text = str(select)
        for forbidden in ("$PATH", "$shapesGraph", "$currentShape"):
            if forbidden in text:
                raise UnsupportedShape(
                    shape, SH.SPARQLConstraintComponent, f"{forbidden} is not supported"
                )
        prefixes = "".join(
            f"PREFIX {pfx}: <{ns}>\n" for pfx, ns in _declared_prefixes(g, constraint).items()
        )
        body = re.sub(r"\$this\b", "?this", text)
        # Pre-bind ?this: the target pattern joins as the first element of the outer WHERE group.
        where = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE)
        if where is None:
            raise UnsupportedShape(shape, SH.SPARQLConstraintComponent, "SELECT without WHERE {")
        body = body[: where.end()] + f" {target} " + body[where.end() :]
        self.add(
            shape,
            SH.SPARQLConstraintComponent,
            severity,
            messages,
            None,
            prefixes + body,
            sparql_constraint=constraint,
            constraint_messages=tuple(g.objects(constraint, SH.message)),
        )

    def count(self, target, sp, expr, op, bound, meta: CompiledQuery):
        self.counts.setdefault((target, sp), []).append((expr, op, bound, meta))

    def finish(self) -> list[CompiledQuery]:
        """One aggregate query per (target, path) for all its cardinality checks."""
        for (target, sp), checks in self.counts.items():
            aggregates, tests, compiled = [], [], []
            for i, (expr, op, bound, meta) in enumerate(checks):
                counted = "?__v" if expr is None else f"IF({expr}, ?__v, ?__none)"
                aggregates.append(f"(COUNT(DISTINCT {counted}) AS ?__c{i})")
                tests.append(f"?__c{i} {op} {bound}")
                compiled.append((f"__c{i}", op, bound, meta))
            query = (
                f"SELECT * WHERE {{ {{ SELECT ?this {' '.join(aggregates)} WHERE {{ {target} "
                f"OPTIONAL {{ ?this {sp} ?__v }} }} GROUP BY ?this }} "
                f"FILTER ({' || '.join(tests)}) }}"
            )
            first = compiled[0][3]
            self.queries.append(
                CompiledQuery(
                    first.shape,
                    first.component,
                    first.severity,
                    first.messages,
                    first.path,
                    query,
                    checks=compiled,
                )
            )
        self.counts = {}
        return self.queries

    def add(self, shape, component, severity, messages, path, query, **extra):
        self.queries.append(
            CompiledQuery(shape, component, severity, messages, path, query, **extra)
        )


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


def _declared_prefixes(g: Graph, constraint) -> dict[str, str]:
    found: dict[str, str] = {}
    for holder in g.objects(constraint, SH.prefixes):
        for decl in g.objects(holder, SH.declare):
            prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found[str(prefix)] = str(ns)
    return found


def _deactivated(g: Graph, shape) -> bool:
    value = g.value(shape, SH.deactivated)
    return value is not None and value.toPython() is True


def _severity(g: Graph, shape) -> str:
    value = g.value(shape, SH.severity)
    return SEVERITIES.get(value, "Violation") if value is not None else "Violation"


def _node_shapes(g: Graph) -> list:
    found = set(g.subjects(RDF.type, SH.NodeShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= {s for s in g.subjects(p, None) if (s, SH.path, None) not in g}
    return sorted(found, key=str)


def compile_shapes(shapes: Graph, closure) -> list[CompiledQuery]:
    """SPARQL queries for every constraint of ``shapes``; raises UnsupportedShape."""
    compiler = _Compiler(shapes, closure)
    for shape in _node_shapes(shapes):
        if (shape, SH.path, None) in shapes:
            raise UnsupportedShape(shape, SH.targetClass, "property shapes with targets")
        compiler.compile_node_shape(shape)
    return compiler.finish()


def _classes_needed(g: Graph) -> set:
    classes = set(g.objects(None, SH.targetClass)) | set(g.objects(None, SH["class"]))
    classes |= {s for s in g.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in g}
    return {c for c in classes if isinstance(c, URIRef)}


# ------------------------------------------------------------------------------------------------
# Running on pyoxigraph


def _graph_from_store(store: ox.Store, graph_iris: Iterable[str]) -> Graph:
    g = Graph()
    for iri in graph_iris:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(iri))):
            g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return g


def _format_message(text: str, bindings: dict) -> str:
    # the same substitution as pyshacl: {?name} and {$name} become str(value)
    for var, val in bindings.items():
        text = re.sub(f"{{[?$]{var}}}", str(val), text)
    return text


def validate_store(
    store: ox.Store,
    shapes_graph_iri,
    data_graph_iris: Iterable,
    ontology_graph_iris: Iterable = (),
    graph_files: Mapping[str, str] | None = None,
) -> ValidationReport:
    """The fast path: compile the shapes into SPARQL and run them on ``store``.

    The queries see the union of the data and ontology graphs as their default graph. Raises
    :class:`UnsupportedShape` for any constraint it cannot compile (then use pyshacl).
    """
    timing: dict[str, float] = {}
    start = time.perf_counter()
    shape_iris = (
        [shapes_graph_iri]
        if isinstance(shapes_graph_iri, str | ox.NamedNode)
        else list(shapes_graph_iri)
    )
    shapes = _graph_from_store(store, [_iri(i) for i in shape_iris])
    union = [ox.NamedNode(_iri(i)) for i in [*data_graph_iris, *ontology_graph_iris]]
    allowed = {g.value for g in union}
    timing["read_shapes"] = time.perf_counter() - start

    t = time.perf_counter()
    closure = _subclass_closure(store, union, _classes_needed(shapes))
    queries = compile_shapes(shapes, lambda c: closure.get(c) or {c})
    timing["compile"] = time.perf_counter() - t

    t = time.perf_counter()
    raw = []
    for cq in queries:
        solutions = store.query(cq.query, default_graph=union)
        raw.extend(_results_of(cq, solutions))
    timing["queries"] = time.perf_counter() - t

    t = time.perf_counter()
    results = _describe(raw, store, allowed, graph_files or {})
    timing["describe"] = time.perf_counter() - t
    timing["total"] = time.perf_counter() - start
    report = ValidationReport(results, engine="sparql")
    report.timing = timing
    report.query_count = len(queries)
    return report


def _iri(value) -> str:
    return value.value if isinstance(value, ox.NamedNode) else str(value)


def _subclass_closure(store: ox.Store, union, classes: set) -> dict:
    if not classes or not union:
        return {}
    values = " ".join(_sparql_term(c) for c in classes)
    q = (
        "SELECT ?sup ?sub WHERE { VALUES ?sup { " + values + " } "
        "?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?sup }"
    )
    closure: dict = defaultdict(set)
    for c in classes:
        closure[c].add(c)
    for sol in store.query(q, default_graph=union):
        closure[_to_rdflib(sol["sup"])].add(_to_rdflib(sol["sub"]))
    return closure


def _count_results(cq: CompiledQuery, solutions) -> list[dict]:
    out = []
    for sol in solutions:
        focus = _to_rdflib(sol["this"])
        for var, op, bound, meta in cq.checks:
            n = int(sol[var].value)
            if (n < bound) if op == "<" else (n > bound):
                messages = tuple(str(m) for m in meta.messages) or (
                    f"{_short(meta.component)} not satisfied",
                )
                out.append(
                    dict(
                        severity=meta.severity,
                        focus=focus,
                        path=meta.path,
                        value=None,
                        messages=messages,
                        source_shape=meta.shape,
                        component=meta.component,
                        source_constraint=None,
                    )
                )
    return out


def _results_of(cq: CompiledQuery, solutions) -> list[dict]:
    if cq.checks:
        return _count_results(cq, solutions)
    out = []
    seen = set()
    variables = [v.value for v in solutions.variables]
    for sol in solutions:
        bindings = {
            v: _to_rdflib(sol[v])
            for v in variables
            if not v.startswith("__") and sol[v] is not None
        }
        focus = bindings.get("this")
        if cq.sparql_constraint is not None:
            key = tuple(sorted(bindings.items()))
            if key in seen:
                continue
            seen.add(key)
            value = bindings.get("value", focus)
            path = bindings.get("path", cq.path)
            messages = [_format_message(str(m), bindings) for m in cq.messages]
            for m in cq.constraint_messages:
                if m not in cq.messages:
                    messages.append(_format_message(str(m), bindings))
        else:
            value = focus if cq.value_is_focus else bindings.get("value")
            path = cq.path
            messages = [str(m) for m in cq.messages]
        if not messages:
            messages = [f"{_short(cq.component)} not satisfied"]
        out.append(
            dict(
                severity=cq.severity,
                focus=focus,
                path=path,
                value=value,
                messages=tuple(messages),
                source_shape=cq.shape,
                component=cq.component,
                source_constraint=cq.sparql_constraint,
            )
        )
    return out


def _describe(raw: list[dict], store: ox.Store | None, allowed: set, graph_files: Mapping) -> list:
    """Add the focus node's label and the file(s) of the offending triple."""
    labels: dict = {}
    results = []
    for r in raw:
        focus = r["focus"]
        if focus not in labels:
            labels[focus] = _label(store, focus, allowed) if store is not None else None
        files = _source_files(store, r, allowed, graph_files) if store is not None else ()
        results.append(ValidationResult(focus_label=labels[focus], source_files=files, **r))
    return results


def _label(store: ox.Store, focus, allowed) -> str | None:
    if isinstance(focus, Literal):
        return None
    labels = [
        q.object
        for q in store.quads_for_pattern(
            _to_ox(focus), ox.NamedNode(str(SKOS.prefLabel)), None, None
        )
        if q.graph_name.value in allowed and isinstance(q.object, ox.Literal)
    ]
    for lit in labels:
        if lit.language == "en":
            return lit.value
    return sorted(lit.value for lit in labels)[0] if labels else None


def _source_files(store: ox.Store, r: dict, allowed, graph_files: Mapping) -> tuple[str, ...]:
    focus, path, value = r["focus"], r["path"], r["value"]
    if isinstance(focus, Literal):
        patterns = []
    elif isinstance(path, URIRef):
        obj = _to_ox(value) if value is not None else None
        patterns = [(_to_ox(focus), ox.NamedNode(str(path)), obj)]
    elif (
        isinstance(path, tuple)
        and path[0] == "inverse"
        and isinstance(path[1], URIRef)
        and value is not None
        and not isinstance(value, Literal)
    ):
        patterns = [(_to_ox(value), ox.NamedNode(str(path[1])), _to_ox(focus))]
    else:
        patterns = []
    patterns.append(
        (_to_ox(focus), ox.NamedNode(str(RDF.type)), None)
        if not isinstance(focus, Literal)
        else None
    )
    for pattern in patterns:
        if pattern is None:
            continue
        try:
            graphs = {
                q.graph_name.value
                for q in store.quads_for_pattern(*pattern, None)
                if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value in allowed
            }
        except (TypeError, ValueError):
            graphs = set()
        if graphs:
            return tuple(sorted(graph_files.get(g, g) for g in graphs))
    return ()


# ------------------------------------------------------------------------------------------------
# The reference: pyshacl


def validate_with_pyshacl(
    store_or_data,
    shapes_graph_iri=None,
    data_graph_iris: Iterable = (),
    ontology_graph_iris: Iterable = (),
    graph_files: Mapping[str, str] | None = None,
) -> ValidationReport:
    """pyshacl over rdflib graphs, the same report as :func:`validate_store`.

    Call it like :func:`validate_store` (a pyoxigraph store and graph IRIs), or with two rdflib
    graphs ``(data, shapes)`` (no source files then).
    """
    import pyshacl

    timing: dict[str, float] = {}
    start = time.perf_counter()
    store = None
    if isinstance(store_or_data, ox.Store):
        store = store_or_data
        shape_iris = (
            [shapes_graph_iri]
            if isinstance(shapes_graph_iri, str | ox.NamedNode)
            else list(shapes_graph_iri)
        )
        shapes = _graph_from_store(store, [_iri(i) for i in shape_iris])
        data = _graph_from_store(store, [_iri(i) for i in data_graph_iris])
        ontology = _graph_from_store(store, [_iri(i) for i in ontology_graph_iris])
        allowed = {_iri(i) for i in [*data_graph_iris, *ontology_graph_iris]}
    else:
        data, shapes = store_or_data, shapes_graph_iri
        ontology = None
        allowed = set()
    timing["read_graphs"] = time.perf_counter() - start

    t = time.perf_counter()
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology if ontology is not None and len(ontology) else None,
        advanced=True,
        allow_warnings=True,
        inplace=False,
    )
    timing["pyshacl"] = time.perf_counter() - t

    t = time.perf_counter()
    raw = _parse_report_graph(report_graph)
    if store is None:
        results = [ValidationResult(focus_label=_rdflib_label(data, r["focus"]), **r) for r in raw]
    else:
        results = _describe(raw, store, allowed, graph_files or {})
    timing["describe"] = time.perf_counter() - t
    timing["total"] = time.perf_counter() - start
    report = ValidationReport(results, engine="pyshacl")
    report.timing = timing
    return report


def _rdflib_label(data: Graph, focus) -> str | None:
    labels = [o for o in data.objects(focus, SKOS.prefLabel) if isinstance(o, Literal)]
    for lit in labels:
        if lit.language == "en":
            return str(lit)
    return sorted(str(lit) for lit in labels)[0] if labels else None


def _parse_report_graph(g: Graph) -> list[dict]:
    out = []
    for node in g.subjects(RDF.type, SH.ValidationResult):
        path_node = g.value(node, SH.resultPath)
        out.append(
            dict(
                severity=SEVERITIES.get(g.value(node, SH.resultSeverity), "Violation"),
                focus=g.value(node, SH.focusNode),
                path=parse_path(g, path_node) if path_node is not None else None,
                value=g.value(node, SH.value),
                messages=tuple(str(m) for m in g.objects(node, SH.resultMessage)),
                source_shape=g.value(node, SH.sourceShape),
                component=g.value(node, SH.sourceConstraintComponent),
                source_constraint=g.value(node, SH.sourceConstraint),
            )
        )
    return out


# ------------------------------------------------------------------------------------------------
# Entry points for the load gate and the CLI


def validate(
    store: ox.Store,
    shapes_graph_iri,
    data_graph_iris: Iterable,
    ontology_graph_iris: Iterable = (),
    graph_files: Mapping[str, str] | None = None,
) -> ValidationReport:
    """The fast path, or pyshacl where the shapes use something the fast path cannot compile."""
    data_graph_iris, ontology_graph_iris = list(data_graph_iris), list(ontology_graph_iris)
    try:
        return validate_store(
            store, shapes_graph_iri, data_graph_iris, ontology_graph_iris, graph_files
        )
    except UnsupportedShape as refusal:
        report = validate_with_pyshacl(
            store, shapes_graph_iri, data_graph_iris, ontology_graph_iris, graph_files
        )
        report.fallback_reason = str(refusal)
        return report


def validate_snapshot(snapshot) -> ValidationReport | None:
    """The load gate (``loaders.store``): validate a freshly built snapshot; None without shapes."""
    shapes = [g.iri for g in snapshot.graphs_of("shapes")]
    if not shapes or snapshot.store is None:
        return None
    return validate(
        snapshot.store,
        shapes,
        [g.iri for g in snapshot.graphs_of("data")],
        [g.iri for g in snapshot.graphs_of("ontology")],
        snapshot.file_of_graph(),
    )
