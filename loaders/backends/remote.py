"""The remote backend: a SPARQL 1.1 store over HTTP (``NEARKG_SPARQL_ENDPOINT``).

Loads are built and validated locally, then pushed (``backends.push``); the store keeps a small
metadata graph (``backends.metadata``) so that any number of stateless replicas read the same
version and notice a newer one. Queries go through SPARQLWrapper and come back as the same
pyoxigraph objects as on the embedded store (``backends.results``).

The dataset a query sees is sent with the SPARQL Protocol: ``default-graph-uri`` for each data
and ontology graph (the union default graph), ``named-graph-uri`` for every published graph.
Stores differ on a query that also has its own ``FROM``: Oxigraph (like pyoxigraph) lets the
protocol's graphs replace it, Virtuoso merges both (see docs/deployment.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..dataset import dataset_for
from ..snapshot import Snapshot
from . import Backend, bindings, metadata
from .http import N_TRIPLES, RESULTS_JSON, Endpoints, RemoteStoreError, SparqlClient
from .push import push
from .results import parse_answer

log = logging.getLogger(__name__)

# a graph no one writes: the default graph when a query names no graph at all
EMPTY_GRAPH = "urn:x-near-kg:empty"

_GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


class RemoteBackend(Backend):
    name = "remote"
    follows_publications = True
    loads_on_open = False  # replicas never write: `nearkg load --to URL` publishes

    def __init__(self, settings) -> None:
        super().__init__(settings)
        endpoints = Endpoints.from_settings(settings)
        self.client = SparqlClient(endpoints, timeout=settings.query_timeout)
        self._seen: tuple[str, str] | None = None  # (version, modified) of the served snapshot

    def limitations(self) -> list[str]:
        return [
            f"queries run on {self.settings.sparql_endpoint}; near-kg stops waiting after "
            f"NEARKG_QUERY_TIMEOUT={self.settings.query_timeout:g} s of silence but cannot stop "
            "the query in the store: configure the store's own limit",
            "query results are read whole into memory before they are returned",
            "SPARQL Update on /sparql is refused: only `nearkg load --to` writes the store",
        ]

    def describe_location(self) -> str:
        return f"in the SPARQL store at {self.settings.sparql_endpoint}"

    def new_build_store(self) -> tuple[ox.Store, object]:
        return ox.Store(), None  # built and validated in memory, then pushed

    def publish(self, snapshot: Snapshot, *, say=print) -> Snapshot:
        push(self.client, snapshot, say=say)
        served = self._read()
        if served is None or served.version != snapshot.version:
            raise RemoteStoreError("the store's metadata graph does not show the pushed version")
        served.validation = snapshot.validation
        served.load_seconds = snapshot.load_seconds
        return served

    def published(self, *, require_fresh: bool, current: Snapshot | None) -> Snapshot | None:
        try:
            if current is not None:
                seen = self._version_token()
                if seen is None or seen == self._seen:
                    return None
            return self._read()
        except RemoteStoreError as error:
            if current is None:
                raise
            log.warning("keeping data version %s: %s", current.version[:12], error)
            return None

    def _version_token(self) -> tuple[str, str] | None:
        rows = self.client.select(metadata.version_query(self.settings.base))
        if not rows:
            return None
        return rows[0]["version"].value, rows[0]["modified"].value

    def _read(self) -> Snapshot | None:
        """The snapshot the metadata graph describes, or None if near-kg never wrote one."""
        token = self._version_token()
        rows = self.client.select(metadata.read_query(self.settings.base))
        if not rows or token is None:
            return None
        meta = json.loads(rows[0]["json"].value)
        snapshot = Snapshot.from_metadata(meta, store=None, backend=self.name)
        self._seen = token
        return snapshot

    def query(
        self,
        snapshot: Snapshot,
        sparql: str,
        *,
        substitutions: dict | None,
        default_graph: Iterable[str] | None,
        named_graphs: Iterable[str] | None,
        query_dataset: bool = False,
        base_iri: str | None = None,
    ):
        text = bindings.inline(sparql, substitutions) if substitutions else sparql
        if base_iri and bindings.has_relative_iri(text):
            # a BASE before the query's own prologue (the query's own BASE still wins); only
            # when needed, since it moves the positions in the store's error messages
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        defaults: list[str] = []
        named: list[str] = []
        dataset = dataset_for(snapshot, default_graph=default_graph, named_graphs=named_graphs,
                              query_dataset=query_dataset)  # fmt: skip
        if not dataset.from_query:  # else no protocol dataset: the query's FROM clauses apply
            defaults = list(dataset.default_graphs or ()) or [EMPTY_GRAPH]
            named = (
                list(dataset.named_graphs)
                if dataset.named_graphs is not None
                else [g.iri for g in snapshot.graphs]
            ) or [EMPTY_GRAPH]
        graph_query = bindings.query_form(text) in _GRAPH_FORMS
        content_type, body = self.client.query(
            text,
            accept=N_TRIPLES if graph_query else RESULTS_JSON,
            default_graphs=defaults,
            named_graphs=named,
        )
        return parse_answer(content_type, body, graph_query=graph_query)

    def graph_quads(self, snapshot: Snapshot, iri: str) -> Iterator[ox.Quad]:
        graph = ox.NamedNode(iri)
        found = self.client.graph_triples(iri)
        expected = {g.iri: g.triples for g in snapshot.graphs}.get(iri)
        if expected is not None and len(found) != expected:
            raise RemoteStoreError(
                f"the store returned {len(found)} of the {expected} triples of <{iri}>: raise "
                "its result size limit (Virtuoso: ResultSetMaxRows)"
            )
        for t in found:
            yield ox.Quad(t.subject, t.predicate, t.object, graph)
