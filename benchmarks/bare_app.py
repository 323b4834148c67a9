"""The Python ceiling for entity documents: ``benchmarks/flask_ceiling.py`` (a bare Flask app on
pyoxigraph, the data loaded in memory) with an entity route, run under Granian with near-kg's
settings (``servers.bare``).

    granian --interface wsgi benchmarks.bare_app:app   (NEARKG_DATA_DIR: the data)

``/doc/{kind}/{key}.ttl`` answers the entity's CONSTRUCT (``workloads.entity_construct``: its
statements, the statements pointing to it, the names of what they link) as Turtle, written by
pyoxigraph; ``/doc/{kind}/{key}.html`` the same statements as a bare HTML table. No negotiation,
no validators, no headers but Content-Type, no language, no cache: what near-kg's entity
documents cost is measured against this. Not for serving.
"""

from __future__ import annotations

from html import escape

import pyoxigraph as ox
from flask import Response

from .flask_ceiling import STORE, app
from .workloads import BASE, entity_construct

PREFIXES = {"near": BASE + "def#", "skos": "http://www.w3.org/2004/02/skos/core#"}


def _triples(kind: str, key: str) -> ox.QueryTriples:
    query = entity_construct(f"{BASE}id/{kind}/{key}")
    return STORE.query(query, use_default_graph_as_union=True)


@app.get("/doc/<kind>/<key>.ttl")
def entity_turtle(kind: str, key: str):
    body = ox.serialize(_triples(kind, key), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return Response(body, content_type="text/turtle; charset=utf-8")


@app.get("/doc/<kind>/<key>.html")
def entity_html(kind: str, key: str):
    rows = "".join(
        f"<tr><td>{escape(str(t.subject))}</td><td>{escape(str(t.predicate))}</td>"
        f"<td>{escape(str(t.object))}</td></tr>"
        for t in _triples(kind, key)
    )
    page = f"<!doctype html><title>{escape(key)}</title><table>{rows}</table>"
    return Response(page, content_type="text/html; charset=utf-8")
