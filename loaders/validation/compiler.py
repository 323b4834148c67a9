"""Compiling a shapes graph into SPARQL for the fast path.

Each constraint becomes one query joined with its shape's targets (cardinality checks over one
path of one target are folded into one aggregate query). The compiler supports a fixed set of
SHACL features (see ``SUPPORTED`` in :mod:`.components`); any other constraint makes it raise
:class:`UnsupportedShape`, naming the shape and the component, so the fast path never validates
less than the shapes say.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from .components import _COMPONENT, _PROPERTY_ONLY, _SHAPE_META, _VALUE_LEVEL
from .datatypes import _datatype_expr
from .paths import _path_sparql, parse_path
from .report import SEVERITIES
from .terms import _short, _sparql_term


class UnsupportedShape(Exception):
    """The fast path cannot compile a constraint; validate with pyshacl instead."""

    def __init__(self, shape, component, why: str = "not supported by the SPARQL fast path"):
        self.shape = shape
        self.component = component
        super().__init__(f"shape {_short(shape)}: {_short(component)}: {why}")


class BrokenShape(Exception):
    """A shape that cannot be right whatever the data: a malformed ``sh:select``, a regular
    expression that does not compile. ``text`` is the literal at fault (to find its file)."""

    def __init__(self, shape, text: str, why: str):
        self.shape = shape
        self.text = text
        super().__init__(f"shape {_short(shape)}: {why}")


_EMPTY = ox.Store()  # parses and tries shape expressions against nothing


def _check_regex(shape, pattern: str, flags: str | None) -> None:
    """The engine's own verdict: REGEX is unbound when the expression does not compile."""
    # the same literal text the compiled constraint will use
    query = f'SELECT (REGEX("", {json.dumps(pattern)}, {json.dumps(flags or "")}) AS ?ok) {{}}'
    row = next(iter(_EMPTY.query(query)))
    if row["ok"] is None:
        raise BrokenShape(
            shape, pattern, f"sh:pattern {json.dumps(pattern)} is not a valid regular expression"
        )


def _check_select(shape, text: str, prefixes: str) -> None:
    try:
        _EMPTY.query(prefixes + text)
    except SyntaxError as error:
        first = str(error).splitlines()[0]
        first = first[: first.find(": expected")] if ": expected" in first else first
        raise BrokenShape(shape, text, f"sh:select is not valid SPARQL ({first})") from error


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
            _check_regex(shape, str(arg), str(flags) if flags is not None else None)
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
        _check_select(shape, text, prefixes)
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
