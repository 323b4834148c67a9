"""``/graph/{folder}/{path}``: each named graph (one per file) dereferences.

A graph IRI names a document (the file's content), so it answers 200 directly, negotiated:
RDF gets the graph's triples, HTML a summary with its title, sources and triple count.
Provenance links on entity pages point here.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, render_template

from service.http import context
from service.http.documents import document_variant
from service.http.errors import ApiError
from service.http.formats import DOCUMENT, HTML, split_suffix
from service.http.representation import represent, represent_triples
from service.http.request_view import current
from service.linked_data.labels import shown_label
from service.linked_data.things import entity_index, prefixes

blueprint = Blueprint("graph_documents", __name__)


@blueprint.get("/graph/<path:path>")
def graph_document(path: str):
    view = current()
    name, fixed = split_suffix(path)
    snapshot = context.snapshot()
    iri = snapshot.base + "graph/" + name
    info = next((gi for gi in snapshot.graphs if gi.iri == iri), None)
    if info is None:
        raise ApiError(404, f"there is no graph {iri}")
    doc_path = f"/graph/{name}"
    chosen, variant = document_variant(view, doc_path, fixed, "graph", "a graph", extra=name)
    if chosen is HTML:
        index = entity_index()
        lang = view.language
        # (label, its language where it is not the page's: a fallback, marked with lang=)
        sources = [
            (*shown_label(index, s, lang), context.local_url(s))
            for s in index.graph_sources.get(iri, [])
        ]
        title, title_lang = shown_label(index, iri, lang)
        text = render_template(
            "ld/graph.html",
            info=info,
            title=title,
            title_lang=title_lang,
            sources=sources,
            doc_path=doc_path,
            formats=[f for f in DOCUMENT if f is not HTML],
            snapshot=snapshot,
        )
        return represent(view, text, chosen.content_type, variant)
    quads = context.store().graph_quads(iri, snapshot=snapshot)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return represent_triples(view, triples, chosen, variant, prefixes())
