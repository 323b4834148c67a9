"""Checking an ingested conference graph against the shapes, together with the rest of the data.

The graph is validated with every other data and ontology file (its own earlier version left
out), so that links to regions and governments resolve. When the shapes branch's
``loaders.validation`` is present it does the validating; otherwise pyshacl is called directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .layout import discover
from .settings import DEFAULT_BASE


@dataclass(frozen=True)
class ShapesVerdict:
    conforms: bool
    text: str  # the report, for people

    @property
    def summary(self) -> str:
        return "conforms" if self.conforms else "violations:\n" + self.text


def check_against_shapes(graph: Graph, data_dir: Path, *, replaces: URIRef) -> ShapesVerdict | None:
    """None when the data directory has no shapes."""
    files = discover(Path(data_dir))
    shapes = Graph()
    for source in (f for f in files if f.folder == "shapes"):
        shapes.parse(source.path, format="turtle")
    if len(shapes) == 0:
        return None
    data = Graph()
    for source in files:
        if source.folder in ("data", "ontology") and source.graph_iri(DEFAULT_BASE) != str(
            replaces
        ):
            data.parse(source.path, format="turtle")
    data += graph
    return _validate(data, shapes)


def _validate(data: Graph, shapes: Graph) -> ShapesVerdict:
    try:
        from .validation import validate_with_pyshacl
    except ImportError:
        validate_with_pyshacl = None
    if validate_with_pyshacl is not None:
        try:
            report = validate_with_pyshacl(data, shapes)
        except TypeError:
            report = None
        if report is not None and hasattr(report, "has_violations"):
            text = report.to_text() if hasattr(report, "to_text") else str(report)
            return ShapesVerdict(not report.has_violations, text)
    import pyshacl

    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    return ShapesVerdict(bool(conforms), text)
