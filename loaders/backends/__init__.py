"""Where the dataset lives: the embedded pyoxigraph store or a remote SPARQL store.

``KnowledgeStore`` (``loaders.store``) builds and validates every load the same way, in a local
pyoxigraph store, and leaves to its backend what differs: where the checked snapshot is
published, how queries are answered, and how other processes notice a newer one.
``loaders.backends.selection.backend_for`` picks one (kept out of this module, which the
backends import, so that no module imports its own importer).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..settings import Settings
from ..snapshot import Snapshot


class Backend:
    """What ``KnowledgeStore`` needs from a store. Subclasses: ``EmbeddedBackend``,
    ``RemoteBackend``."""

    name = "backend"
    # Another process may publish newer data that this one should pick up.
    follows_publications = False
    # With nothing published yet, ``KnowledgeStore.open`` loads the files itself.
    loads_on_open = True
    # Why the published data cannot be served as published (``/healthz`` says "degraded").
    problem: str | None = None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def limitations(self) -> list[str]:
        """What this backend cannot do, in words for the start-up log and the README."""
        return []

    def describe_location(self) -> str:
        raise NotImplementedError

    def new_build_store(self) -> tuple[ox.Store, object]:
        """A fresh local store to parse and validate a load in, and a token for ``discard``."""
        raise NotImplementedError

    def writing(self, *, wait_seconds: float, say):
        """A context held while a load builds and publishes: one writer at a time."""
        return contextlib.nullcontext()

    def discard(self, token: object) -> None:
        """Forget a build that failed."""

    def publish(self, snapshot: Snapshot, *, say=print) -> Snapshot:
        """Make a checked snapshot the one served; returns the snapshot readers should use."""
        raise NotImplementedError

    def published(self, *, require_fresh: bool, current: Snapshot | None) -> Snapshot | None:
        """The snapshot another process published, if newer than ``current`` (else None)."""
        return None

    def release(self) -> None:
        """Let go of resources that do not survive a fork."""

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
        raise NotImplementedError

    def graph_quads(self, snapshot: Snapshot, iri: str) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def matching_quads(
        self,
        snapshot: Snapshot,
        subject: ox.NamedNode | ox.BlankNode | None,
        obj: ox.NamedNode | ox.BlankNode | None,
    ) -> Iterator[ox.Quad]:
        """The quads of the data and ontology graphs with this subject and/or this object
        (None: any). Here by a query; the embedded store reads its indexes directly."""
        found = self.query(
            snapshot,
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            substitutions={k: v for k, v in (("s", subject), ("o", obj)) if v is not None},
            default_graph=None,
            named_graphs=[g.value for g in snapshot.union_graphs],
        )
        for row in found:
            yield ox.Quad(subject or row["s"], row["p"], obj or row["o"], row["g"])

    def quads(self, snapshot: Snapshot) -> Iterator[ox.Quad]:
        """The data and ontology graphs, graph by graph."""
        for graph in snapshot.union_graphs:
            yield from self.graph_quads(snapshot, graph.value)
