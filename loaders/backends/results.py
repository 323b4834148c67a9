"""A remote store's answers as the pyoxigraph objects the embedded store returns.

SELECT and ASK are requested as SPARQL JSON results and parsed with
``pyoxigraph.parse_query_results``; CONSTRUCT and DESCRIBE as N-Triples, parsed with
``pyoxigraph.parse``. The service then renders them exactly as it renders local results.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

_BNODE_SAFE = re.compile(r"[^A-Za-z0-9_]")


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE, iterable like pyoxigraph's ``QueryTriples``."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._triples = triples

    def __iter__(self):
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def serialize(self, output=None, format: ox.RdfFormat | None = None):  # noqa: A002
        rdf_format = format or ox.RdfFormat.N_TRIPLES
        items = self._triples
        if rdf_format.supports_datasets:
            items = [ox.Quad(t.subject, t.predicate, t.object) for t in items]
        return ox.serialize(items, output, rdf_format)


def parse_answer(content_type: str, body: bytes, *, graph_query: bool):
    mime = content_type.split(";", 1)[0].strip().lower()
    if graph_query:
        rdf_format = ox.RdfFormat.from_media_type(mime) or ox.RdfFormat.N_TRIPLES
        triples = [
            ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf_format)
        ]
        return RemoteTriples(triples)
    results_format = ox.QueryResultsFormat.from_media_type(mime) or ox.QueryResultsFormat.JSON
    if results_format == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _safe_blank_nodes(body)
    return ox.parse_query_results(body, format=results_format)


def _safe_blank_nodes(body: bytes) -> bytes:
    """Virtuoso names blank nodes ``nodeID://b10000``, not a valid blank node label: map each
    label to a valid one (the same label always to the same one, so joins still hold)."""
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "bnode":
                value["value"] = "r" + _BNODE_SAFE.sub("_", value["value"])
    return json.dumps(document).encode()
