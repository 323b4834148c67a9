"""``KnowledgeStore``: the one object that owns the dataset, on whichever backend holds it.

A *snapshot* is one loaded, checked version of the dataset. Readers take the current snapshot
once per request, so a reload that swaps in a new one never shows them a mix of old and new data.
A reload builds the new snapshot aside in a local pyoxigraph store, checks it (SHACL), and only
then publishes it; a failure leaves the previous snapshot serving.

Backends (``loaders.backends``): the embedded pyoxigraph store (in memory, or on-disk
generations with a ``CURRENT`` file, see ``backends.embedded``), or a remote SPARQL store
(``NEARKG_SPARQL_ENDPOINT``, see ``backends.remote``) that several stateless replicas share.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .backends import Backend
from .backends.embedded import CURRENT, META  # noqa: F401 - re-exported for callers and tests
from .backends.selection import backend_for
from .layout import discover
from .loading import LoadError, Progress, Stopwatch, fingerprint, parse_into
from .namespaces import prefixes
from .settings import Settings
from .snapshot import Snapshot

log = logging.getLogger(__name__)

__all__ = ["KnowledgeStore", "Snapshot", "ValidationFailed", "PREFIXES"]


class ValidationFailed(LoadError):
    """The data breaks the shapes' contract (violations); nothing was published."""

    exit_code = 1

    def __init__(self, report) -> None:
        super().__init__(
            f"the data has {report.violation_count} SHACL violation(s); "
            "run `nearkg validate` for the report, or load with --allow-invalid"
        )
        self.report = report


# validator(snapshot) -> report with .has_violations / .violation_count, or None if no shapes
Validator = Callable[["Snapshot"], object]


def default_validator() -> Validator | None:
    """The SHACL gate, if the validation module is installed with this package."""
    try:
        from .validation import validate_snapshot
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    return validate_snapshot


class KnowledgeStore:
    """The dataset as the rest of near-kg sees it: query, describe, list graphs, reload."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        validator: Validator | None | bool = True,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self._validator = default_validator() if validator is True else (validator or None)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._last_check = 0.0
        self.backend: Backend = backend_for(self.settings)

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        progress: Progress | None = None,
        allow_invalid: bool | None = None,
        validator: Validator | None | bool = True,
    ) -> KnowledgeStore:
        """A store ready to serve: reuses published data that matches the files (an on-disk
        generation), or any data a remote store holds; else loads."""
        store = cls(settings, validator=validator)
        for line in store.backend.limitations():
            log.warning("%s backend: %s", store.backend.name, line)
        allowed = store.settings.allow_invalid if allow_invalid is None else allow_invalid
        published = store.backend.follows_publications and store._open_published(require_fresh=True)
        # data published with --allow-invalid, opened without it, is checked again (and refused)
        if published and not (store._snapshot.allow_invalid and not allowed):
            return store
        if not store.backend.loads_on_open:
            raise LoadError(
                f"no near-kg data {store.backend.describe_location()} (no metadata graph): "
                "publish it with `nearkg load --to URL`"
            )
        store.reload(progress=progress, allow_invalid=allowed)
        return store

    @property
    def snapshot(self) -> Snapshot:
        self.refresh_if_published()
        if self._snapshot is None:
            raise RuntimeError("the store holds no data yet: call reload() first")
        return self._snapshot

    def reload(
        self,
        *,
        progress: Progress | None = None,
        allow_invalid: bool | None = None,
        say: Callable[[str], None] | None = None,
    ) -> Snapshot:
        """Build the dataset aside, check it, publish it; on failure keep the old one.
        ``say`` receives plain-language notes about how a remote store is written."""
        allow_invalid = self.settings.allow_invalid if allow_invalid is None else allow_invalid
        with self._lock:
            snapshot = self._build(progress=progress, allow_invalid=allow_invalid)
            served = self.backend.publish(snapshot, say=say or log.info)
            self._snapshot = served
            return served

    def _build(self, *, progress: Progress | None, allow_invalid: bool) -> Snapshot:
        settings = self.settings
        root = Path(settings.data_dir)
        if not root.is_dir():
            raise LoadError(f"data directory not found: {root}")
        files = discover(root)
        if not files:
            raise LoadError(f"no .ttl files under ontology/, data/turtle/ or shapes/ in {root}")
        watch = Stopwatch()
        # The version digest reads every file again: on the other core while the store parses
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fingerprint") as hashing:
            version = hashing.submit(fingerprint, files, settings.base, root)
            return self._build_store(files, version, watch, progress, allow_invalid)

    def _build_store(self, files, version, watch, progress, allow_invalid) -> Snapshot:
        settings = self.settings
        root = Path(settings.data_dir)
        store, token = self.backend.new_build_store()
        try:
            on_disk = isinstance(token, Path)  # a new generation: nothing reads it yet
            graphs = parse_into(
                store, root, settings.base, files=files, progress=progress, bulk=on_disk
            )
            snapshot = Snapshot(
                store=store,
                graphs=tuple(graphs),
                version=version.result(),
                loaded_at=datetime.now(UTC),
                base=settings.base,
                generation=token if isinstance(token, Path) else None,
                allow_invalid=allow_invalid,
            )
            if self._validator is not None and snapshot.graphs_of("shapes"):
                report = self._validator(snapshot)
                snapshot.validation = report
                if report is not None and report.has_violations and not allow_invalid:
                    raise ValidationFailed(report)
            snapshot.load_seconds = watch.elapsed
        except BaseException:
            del store
            self.backend.discard(token)
            raise
        return snapshot

    def release(self) -> None:
        """Close an on-disk store before the process forks (RocksDB does not survive a fork);
        each worker then opens the current generation read-only on its first request."""
        if self.settings.store_path and self._snapshot is not None:
            with self._lock:
                self._snapshot = None
            self.backend.release()

    # -- data published by other processes ------------------------------------------------

    def refresh_if_published(self) -> bool:
        """Switch to data another process published (a newer on-disk generation, or a newer
        version in the remote store's metadata graph); rate-limited."""
        if not self.backend.follows_publications:
            return False
        now = Stopwatch().started
        if (
            self._snapshot is not None
            and now - self._last_check < self.settings.reload_check_seconds
        ):
            return False
        self._last_check = now
        return self._open_published(require_fresh=False)

    def _open_published(self, *, require_fresh: bool) -> bool:
        found = self.backend.published(require_fresh=require_fresh, current=self._snapshot)
        if found is None:
            return False
        with self._lock:
            self._snapshot = found
        return True

    # -- reading -----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return self.snapshot.version

    @property
    def loaded_at(self) -> datetime:
        return self.snapshot.loaded_at

    def graphs(self) -> list:
        return list(self.snapshot.graphs)

    def validation_report(self, snapshot: Snapshot | None = None):
        """The SHACL report of a snapshot. A generation opened from disk (a restart, a worker)
        carries none: it is made again on first use, once, from the store itself."""
        snapshot = snapshot or self.snapshot
        if (
            snapshot.validation is None
            and snapshot.store is not None
            and self._validator is not None
            and snapshot.graphs_of("shapes")
        ):
            snapshot.validation = self._validator(snapshot)
        return snapshot.validation

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        snapshot: Snapshot | None = None,
        query_dataset: bool = False,
        base_iri: str | None = None,
    ):
        """Run a SPARQL query. The default graph is the union of the data and ontology graphs,
        unless ``default_graph`` names graphs, or ``query_dataset`` lets the query's own
        ``FROM``/``FROM NAMED`` choose. Terms in ``substitutions`` are bound, not pasted (on a
        remote store: inlined as a VALUES block, see ``backends.bindings``). ``base_iri``
        resolves relative IRIs. Raises ``SyntaxError`` with the parser's message for a
        malformed query; a remote store that fails raises ``RemoteStoreError``
        (``RemoteQueryTimeout`` when it does not answer within ``NEARKG_QUERY_TIMEOUT``)."""
        snapshot = snapshot or self.snapshot
        return self.backend.query(
            snapshot,
            sparql,
            substitutions=substitutions,
            default_graph=None if query_dataset else default_graph,
            named_graphs=None if query_dataset else named_graphs,
            query_dataset=query_dataset,
            base_iri=base_iri,
        )

    def graph_quads(self, iri: str, *, snapshot: Snapshot | None = None) -> Iterator[ox.Quad]:
        """Every quad of one named graph (a graph document, the ontology pages)."""
        snapshot = snapshot or self.snapshot
        yield from self.backend.graph_quads(snapshot, iri)

    def matching_quads(
        self,
        *,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | None = None,
        snapshot: Snapshot | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of the data and ontology graphs with this subject and/or object (an
        entity document's statements), without a SPARQL query where the store allows."""
        return self.backend.matching_quads(snapshot or self.snapshot, subject, obj)

    def describe(self, iri: str, *, snapshot: Snapshot | None = None) -> list[ox.Triple]:
        """The resource's own triples (with its blank nodes), and the triples pointing to it."""
        query = """
            CONSTRUCT { ?this ?p ?o . ?o ?bp ?bo . ?s ?ip ?this }
            WHERE {
              { ?this ?p ?o OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo } }
              UNION { ?s ?ip ?this }
            }"""
        return list(self.query(query, substitutions={"this": ox.NamedNode(iri)}, snapshot=snapshot))

    def exists(self, iri: str, *, snapshot: Snapshot | None = None) -> bool:
        """Whether the resource is the subject of any triple in the default graph."""
        return bool(
            self.query(
                "ASK { ?this ?p ?o }",
                substitutions={"this": ox.NamedNode(iri)},
                snapshot=snapshot,
            )
        )

    def quads(self, *, snapshot: Snapshot | None = None) -> Iterator[ox.Quad]:
        """Every quad of the data and ontology graphs, in graph order (for dumps)."""
        snapshot = snapshot or self.snapshot
        yield from self.backend.quads(snapshot)

    def export(self, output, rdf_format: ox.RdfFormat, *, snapshot: Snapshot | None = None):
        """Serialise the data and ontology graphs (N-Quads/TriG keep graphs; Turtle merges)."""
        snapshot = snapshot or self.snapshot
        if rdf_format.supports_datasets:
            quads = self.quads(snapshot=snapshot)
        else:
            quads = (
                ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(snapshot=snapshot)
            )
        ox.serialize(quads, output, rdf_format, prefixes=prefixes(snapshot.base))


PREFIXES = prefixes  # the one table (loaders.namespaces), kept under its old name
