"""The Python ceiling for ``/sparql``: a bare Flask app running pyoxigraph queries in its own
web threads, with no limits (no time limit, no memory ceiling, no sandbox, no process hop).

    granian --interface wsgi benchmarks.flask_ceiling:app   (NEARKG_DATA_DIR: the data)

What near-kg's isolated path costs is measured against this (``benchmarks.python_ceiling``):
whatever near-kg does for safety comes on top of what this app does. Not for serving: a query
here can use every byte and second the machine has, and reach the network through SERVICE.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, request

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "text/csv": ox.QueryResultsFormat.CSV,
}
GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}


def load(root: Path) -> ox.Store:
    """Every Turtle file of the data and the ontology in a graph of its own."""
    store = ox.Store()
    for folder in ("ontology", "data/turtle"):
        for path in sorted((root / folder).rglob("*.ttl")):
            graph = ox.NamedNode(path.resolve().as_uri())
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store


STORE = load(Path(os.environ.get("NEARKG_DATA_DIR") or Path(__file__).resolve().parent.parent))
app = Flask(__name__)


@app.get("/sparql")
def sparql():
    answer = STORE.query(request.args["query"], use_default_graph_as_union=True)
    accept = request.headers.get("Accept", "")
    if isinstance(answer, ox.QueryTriples):
        media_type = next((m for m in GRAPHS if m in accept), "text/turtle")
        body = ox.serialize(answer, format=GRAPHS[media_type])
    else:
        media_type = next((m for m in RESULTS if m in accept), "application/sparql-results+json")
        body = answer.serialize(format=RESULTS[media_type])
    return Response(body, content_type=media_type)


@app.get("/healthz")
def healthz():
    return "ok"
