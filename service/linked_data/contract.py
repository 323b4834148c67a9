"""The data contract: ``/shapes`` (the SHACL shapes that gate every load) and ``/validation``
(the report of the data being served), each as HTML or RDF, and the report also as JSON."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template
from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from loaders.ontology import rdflib_term
from service.http import context
from service.http.context import absolute
from service.http.documents import suffixed_document
from service.http.errors import ApiError
from service.http.formats import HTML, stable_blank_nodes
from service.http.representation import Variant, represent, represent_triples
from service.http.request_view import current
from service.linked_data.labels import label_of, local_name
from service.linked_data.things import entity_index, prefixes

blueprint = Blueprint("contract_pages", __name__)


def shapes_triples() -> list[ox.Triple]:
    snapshot = context.snapshot()
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for info in snapshot.graphs_of("shapes")
        for q in context.store().graph_quads(info.iri, snapshot=snapshot)
    ]
    return list(dict.fromkeys(triples))


def shapes_overview(triples: list[ox.Triple]) -> list[dict]:
    """Each node shape with what it targets, its severity, message and property constraints."""
    graph = Graph()
    for t in triples:
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    overview: list[dict] = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        properties: list[dict] = []
        for prop in graph.objects(shape, SH.property):
            constraints = [
                (local_name(str(p)), _text(o, graph))
                for p, o in sorted(graph.predicate_objects(prop))
                if str(p).startswith(str(SH)) and p not in (SH.path, SH.message, SH.name)
            ]
            properties.append(
                {
                    "path": _text(graph.value(prop, SH.path), graph),
                    "constraints": constraints,
                    "message": _text(graph.value(prop, SH.message)),
                }
            )
        overview.append(
            {
                "iri": str(shape),
                "anchor": local_name(str(shape)),
                "targets": [_text(o) for o in graph.objects(shape, SH.targetClass)],
                "severity": local_name(str(graph.value(shape, SH.severity) or SH.Violation)),
                "message": _text(graph.value(shape, SH.message)),
                "sparql": [
                    _text(graph.value(c, SH.message)) for c in graph.objects(shape, SH.sparql)
                ],
                "properties": sorted(
                    properties, key=lambda p: (p["path"], p["constraints"], p["message"])
                ),
            }
        )
    return overview


def _text(term, graph: Graph | None = None) -> str:
    """A term as the overview shows it: local names for IRIs, lists and paths spelled out
    (never a blank node's label, which differs from one load to the next)."""
    if term is None:
        return ""
    if isinstance(term, BNode) and graph is not None:
        if graph.value(term, RDF.first) is not None:
            return "(" + " ".join(_text(item, graph) for item in Collection(graph, term)) + ")"
        inverse = graph.value(term, SH.inversePath)
        if inverse is not None:
            return "^" + _text(inverse, graph)
        return (
            "["
            + "; ".join(
                f"{local_name(str(p))} {_text(o, graph)}"
                for p, o in sorted(graph.predicate_objects(term))
            )
            + "]"
        )
    text = str(term)
    return local_name(text) if text.startswith(("http://", "https://")) and "#" in text else text


@blueprint.get("/shapes")
@blueprint.get("/shapes.<suffix>")
def shapes(suffix: str | None = None):
    view = current()
    chosen, variant = suffixed_document(view, "/shapes", suffix, "shapes", "the shapes")
    triples = shapes_triples()
    if chosen is HTML:
        page = render_template(
            "contract/shapes.html", shapes=shapes_overview(triples), snapshot=context.snapshot()
        )
        return represent(view, page, chosen.content_type, variant)
    return represent_triples(view, triples, chosen, variant, prefixes())


@blueprint.get("/def/shapes")
def shapes_namespace():
    """``{base}def/shapes#...`` names the shapes (the ``nsh:`` namespace): its document is
    ``/shapes``, where each shape has its anchor."""
    response = Response(f"See {absolute('/shapes')}\n", 303, mimetype="text/plain")
    response.headers["Location"] = absolute("/shapes")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.autocorrect_location_header = False
    return response


@blueprint.get("/validation")
@blueprint.get("/validation.<suffix>")
def validation(suffix: str | None = None):
    view = current()
    snapshot = context.snapshot()
    report = context.store().validation_report(snapshot)
    if report is None:
        raise ApiError(
            404,
            "no validation report: the data was served without shapes, or by a backend that "
            "validates at `nearkg load --to` time (see the README)",
        )
    if suffix == "json":
        # without the time the validation took: that is the load's, not the data's (two
        # replicas of one data version would send different bytes under one ETag)
        variant = Variant("validation-json", links=[])
        return represent(view, report.to_json(timing=False), "application/json", variant)
    chosen, variant = suffixed_document(view, "/validation", suffix, "validation", "the report")
    if chosen is HTML:
        # the page says when the data was loaded: its tag names the load, not only the data
        variant.extra = snapshot.loaded_at.isoformat()
        page = render_template(
            "contract/validation.html",
            report=report,
            rows=[_row(result) for result in report.sorted_results()],
            counts=report.counts(),
            snapshot=snapshot,
        )
        return represent(view, page, chosen.content_type, variant)
    # the report's blank nodes are made anew each time: named and ordered canonically, so
    # each request (and each worker and replica) gets the same bytes under the same ETag
    triples = stable_blank_nodes(
        ox.Triple(t.subject, t.predicate, t.object)
        for t in ox.parse(report.to_turtle(), format=ox.RdfFormat.TURTLE)
    )
    return represent_triples(view, triples, chosen, variant, prefixes())


def _focus_label(iri: str) -> str | None:
    """The focus node's name in the reader's language (None: a thing the index does not
    know, such as a blank node)."""
    index = entity_index()
    if iri not in index.labels:
        return None
    return label_of(index, iri, current().language)


def _row(result) -> dict:
    """One result as the page shows it: every value as text, the focus linked locally."""
    data = result.as_dict()
    value = data["value"]
    return {
        "severity": result.severity,
        "focus": context.local_url(str(result.focus)),
        "label": _focus_label(str(result.focus)) or result.focus_label or str(result.focus),
        "path": data["path"] or "",
        "value": value["value"] if value else "",
        "messages": " / ".join(result.messages),
        "files": ", ".join(result.source_files),
    }
