"""Checking an ingested conference graph against the shapes, together with the rest of the data.

The graph is validated with every other data and ontology file (its own earlier version left
out), so that links to regions and governments resolve, by the same validator as a load: the
SPARQL fast path (0.1 s a page; pyshacl took 6.6 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .layout import discover
from .settings import DEFAULT_BASE
from .validation import validate


@dataclass(frozen=True)
class ShapesVerdict:
    conforms: bool
    text: str  # the report, for people

    @property
    def summary(self) -> str:
        return "conforms" if self.conforms else "violations:\n" + self.text


def check_against_shapes(graph: Graph, data_dir: Path, *, replaces: URIRef) -> ShapesVerdict | None:
    """None when the data directory has no shapes. The graph goes where it will be written
    (``replaces``, whose file on disk is left out), beside every other data and ontology file,
    and the shapes run as at load time: the SPARQL fast path, or pyshacl for a shape it cannot
    compile (``loaders.validation.validate``)."""
    files = discover(Path(data_dir))
    shapes = [f for f in files if f.folder == "shapes"]
    if not shapes:
        return None
    store = ox.Store()
    graphs: dict[str, list[str]] = {"data": [], "ontology": [], "shapes": []}
    for source in files:
        iri = source.graph_iri(DEFAULT_BASE)
        if source.folder not in graphs or iri == str(replaces):
            continue
        store.load(path=source.path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
        graphs[source.folder].append(iri)
    has_triples = "ASK { GRAPH ?g { ?s ?p ?o } }"
    if not any(
        bool(store.query(has_triples, substitutions={ox.Variable("g"): ox.NamedNode(iri)}))
        for iri in graphs["shapes"]
    ):
        return None  # shape files without a shape
    store.load(
        graph.serialize(format="nt", encoding="utf-8"),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(str(replaces)),
    )
    report = validate(store, graphs["shapes"], [*graphs["data"], str(replaces)], graphs["ontology"])
    return ShapesVerdict(not report.has_violations, report.to_text())
