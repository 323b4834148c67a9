"""The validation engines, each returning a :class:`ValidationReport`.

The fast path (:func:`validate_store`) runs the compiled shapes on the pyoxigraph store over the
union of the data and ontology graphs; it raises :class:`UnsupportedShape` where the shapes use
something it cannot compile. :func:`validate_with_pyshacl` is the reference.
``tests/test_shapes.py`` checks that both engines report the same results on every fixture and on
the real data. :func:`validate` (the fast path, else pyshacl) and :func:`validate_snapshot` (the
load gate) are the entry points.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from .compiler import CompiledQuery, UnsupportedShape, _classes_needed, compile_shapes
from .report import ValidationReport, ValidationResult, parse_report_graph
from .terms import _short, _sparql_term, _to_ox, _to_rdflib

# ------------------------------------------------------------------------------------------------
# Running on pyoxigraph

# Threads for the compiled queries: one per core (measured at 100k triples on 2 cores: 1.08 s
# with one thread, 0.55 s with two, no better with three)
QUERY_THREADS = min(4, os.cpu_count() or 1)


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

    # pyoxigraph lets go of the GIL while it evaluates, so the queries share the cores; map
    # keeps the shapes' order, so the report is the same whatever finishes first
    def results(cq: CompiledQuery) -> list[dict]:
        return _results_of(cq, store.query(cq.query, default_graph=union))

    with ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="shacl") as pool:
        raw = [result for found in pool.map(results, queries) for result in found]
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
    raw = parse_report_graph(report_graph)
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
