"""``/def``: the ontology, as HTML documentation and as RDF (by Accept or by suffix).

The HTML comes from ``loaders.ontology.render_ontology_html`` when that module is present;
otherwise a plain list of the classes and properties with their labels, anchored by local
name so that ``{base}def#Region`` lands on its entry.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, g, render_template, request

from . import context
from .errors import ApiError
from .labels import label_of, local_name
from .rdf_formats import BY_SUFFIX, DOCUMENT_FORMATS, HTML, DocFormat, choose_format, serialize
from .representation import Variant, link_value, represent
from .resources import absolute, entity_index, prefixes

blueprint = Blueprint("ontology_pages", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"


def ontology_triples() -> list[ox.Triple]:
    snapshot = context.snapshot()
    triples: list[ox.Triple] = []
    for graph in snapshot.graphs_of("ontology"):
        for quad in context.store().graph_quads(graph.iri, snapshot=snapshot):
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return list(dict.fromkeys(triples))


def _terms(triples: list[ox.Triple]) -> list[dict]:
    index = entity_index()
    namespace = context.settings().base + "def#"
    kinds: dict[str, str] = {}
    for t in triples:
        if (
            t.predicate.value == RDF_TYPE
            and isinstance(t.subject, ox.NamedNode)
            and t.subject.value.startswith(namespace)
        ):
            kinds.setdefault(t.subject.value, local_name(t.object.value))
    return sorted(
        (
            {
                "iri": iri,
                "anchor": iri[len(namespace) :],
                "kind": kind,
                "label": label_of(index, iri, g.lang),
            }
            for iri, kind in kinds.items()
        ),
        key=lambda term: (term["kind"], term["anchor"]),
    )


def _ontology_html(triples) -> str:
    try:
        from loaders.ontology import render_ontology_html
    except ImportError:
        render_ontology_html = None
    if render_ontology_html is not None:
        try:
            return render_ontology_html(context.snapshot(), lang=g.lang)
        except TypeError:
            return render_ontology_html(context.snapshot())
    return render_template(
        "ld/ontology.html",
        terms=_terms(triples),
        snapshot=context.snapshot(),
        iri=context.settings().base + "def",
    )


@blueprint.get("/def")
@blueprint.get("/def.<suffix>")
def ontology(suffix: str | None = None):
    links = [
        link_value(absolute(f"/def.{f.suffix}"), "alternate", f.media_type)
        for f in DOCUMENT_FORMATS
    ]
    if suffix is not None:
        if suffix not in BY_SUFFIX:
            raise ApiError(
                404, f"the ontology is not available as .{suffix}", formats=sorted(BY_SUFFIX)
            )
        chosen: DocFormat = BY_SUFFIX[suffix]
        vary, location = (["Accept-Language"] if chosen is HTML else []), None
    else:
        chosen = choose_format(request.headers.get("Accept"))
        if chosen is None:
            raise ApiError(
                406, "the ontology comes in " + ", ".join(f.media_type for f in DOCUMENT_FORMATS)
            )
        vary, location = ["Accept", "Accept-Language"], absolute(f"/def.{chosen.suffix}")
    variant = Variant(
        "def-" + chosen.name,
        language=g.lang if chosen is HTML else None,
        vary=vary,
        links=links,
        content_location=location,
    )
    triples = ontology_triples()
    if chosen is HTML:
        return represent(_ontology_html(triples), chosen.content_type, variant)
    return represent(
        serialize(triples, chosen, prefixes()), chosen.content_type, variant, cors=True
    )


@blueprint.get("/def/<version>")
def ontology_version(version: str):
    """``{base}def/{version}`` (the ontology's owl:versionIRI): the current ontology when the
    version is the one loaded, else 404 (earlier versions are not kept)."""
    iri = context.settings().base + "def/" + version
    versions = {
        t.object.value for t in ontology_triples() if t.predicate.value == OWL + "versionIRI"
    }
    if iri not in versions:
        raise ApiError(404, f"version {version} of the ontology is not served")
    return ontology()
