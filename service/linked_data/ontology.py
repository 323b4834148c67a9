"""``/def``: the ontology, as HTML documentation and as RDF (by Accept or by suffix).

The HTML is generated from the ontology itself by ``loaders.ontology.ontology_document``, from
the triples of the ontology graphs (read through the store, so any backend serves it), and put
in the site's template (navigation, language switcher, the field names translated).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, render_template
from rdflib import Graph

from loaders.ontology import ontology_document, rdflib_term
from service.http import context
from service.http.documents import suffixed_document
from service.http.errors import ApiError
from service.http.formats import HTML, RDF_DOCUMENT
from service.http.representation import represent, represent_triples
from service.http.request_view import current
from service.linked_data.things import prefixes
from service.pages.message_catalogue import gettext

blueprint = Blueprint("ontology_pages", __name__)

OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"


def ontology_triples() -> list[ox.Triple]:
    snapshot = context.snapshot()
    triples: list[ox.Triple] = []
    for graph in snapshot.graphs_of("ontology"):
        for quad in context.store().graph_quads(graph.iri, snapshot=snapshot):
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return list(dict.fromkeys(triples))


def _ontology_html(triples: list[ox.Triple]) -> str:
    graph = Graph()
    for t in triples:
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    document = ontology_document(
        graph, lang=current().language, base=context.settings().base, words=gettext
    )
    formats = [(str(f.suffix), f.media_type) for f in RDF_DOCUMENT]
    return render_template(
        "ld/ontology.html", document=document, formats=formats, snapshot=context.snapshot()
    )


@blueprint.get("/def")
@blueprint.get("/def.<suffix>")
def ontology(suffix: str | None = None):
    view = current()
    chosen, variant = suffixed_document(view, "/def", suffix, "def", "the ontology")
    triples = ontology_triples()
    if chosen is HTML:
        return represent(view, _ontology_html(triples), chosen.content_type, variant)
    return represent_triples(view, triples, chosen, variant, prefixes())


@blueprint.get("/def/<version>")
def ontology_version(version: str):
    """``{base}def/{version}`` (the ontology's owl:versionIRI): the current ontology when the
    version is the one loaded, else 404 (earlier versions are not kept)."""
    iri = context.settings().base + "def/" + version
    versions = {
        t.object.value
        for t in ontology_triples()
        if t.predicate.value == OWL_VERSION_IRI and isinstance(t.object, ox.NamedNode)
    }
    if iri not in versions:
        raise ApiError(404, f"version {version} of the ontology is not served")
    return ontology()
