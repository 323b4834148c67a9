"""The validation report, the same for both engines and independent of the output format.

A :class:`ValidationReport` holds :class:`ValidationResult` s (severity, focus node and its label,
path, value, messages, source shape and constraint component, and the file of the offending
triple), rendered by ``to_text()``, ``to_turtle()`` and ``to_json()`` (``to_graph()`` gives the
``sh:ValidationReport`` graph).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from .datatypes import normalize_value
from .paths import _path_text, _path_to_rdf, parse_path
from .terms import _short, _term_json, _term_text

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


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
            # every field: results that differ only in shape, component or message keep one
            # order, whatever order the engine (or a stored report) gave them in
            key=lambda r: (
                order.get(r.severity, 3),
                str(r.focus),
                _path_text(r.path),
                str(r.value),
                str(r.source_shape),
                str(r.component),
                str(r.source_constraint),
                r.messages,
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

    def to_metadata(self) -> dict:
        """The report as it travels with a published snapshot (on-disk generation, remote
        store's metadata graph), so every replica serves the report of the load."""
        return {
            "engine": self.engine,
            "turtle": self.to_turtle(),
            "details": [
                [str(r.focus), str(r.source_shape), r.focus_label, list(r.source_files)]
                for r in self.results
            ],
        }

    @classmethod
    def from_metadata(cls, data: dict) -> ValidationReport:
        graph = Graph().parse(data=data["turtle"], format="turtle")
        details = {(f, s): (label, tuple(files)) for f, s, label, files in data["details"]}
        results = []
        for raw in parse_report_graph(graph):
            label, files = details.get((str(raw["focus"]), str(raw["source_shape"])), (None, ()))
            results.append(ValidationResult(**raw, focus_label=label, source_files=files))
        return cls(results=results, engine=data["engine"])

    def to_json(self, *, timing: bool = True) -> str:
        """The report as JSON; ``timing=False`` leaves out how long this run took (the web
        serves the report without it: it differs from one load of the same data to the next)."""
        document = {
            "conforms": self.conforms,
            "engine": self.engine,
            "counts": self.counts(),
            **({"timing": self.timing} if timing else {}),
            "results": [r.as_dict() for r in self.sorted_results()],
        }
        return json.dumps(
            document,
            ensure_ascii=False,
            indent=2,
        )


def parse_report_graph(g: Graph) -> list[dict]:
    """The results of a SHACL report graph (pyshacl's, or a stored one) as plain values."""
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
