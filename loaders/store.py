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

import dataclasses
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
from .dataset import Dataset, dataset_for
from .dataset_description import store_description
from .layout import UnreadableSource, discover
from .literals import check_literals
from .loading import LoadError, Progress, Stopwatch, files_changed_at, fingerprint, parse_into
from .namespaces import prefixes
from .settings import Settings
from .shape_errors import ShapeError, validate_naming_broken_shapes  # noqa: F401 - re-exported
from .snapshot import Snapshot

log = logging.getLogger(__name__)

# (snapshot, query, dataset, substitutions, base IRI, options) -> the engine's kind of answer
QueryRunner = Callable[[Snapshot, str, Dataset, "dict | None", "str | None", dict], object]

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


class PublishedInvalid(LoadError):
    """The published data was loaded with --allow-invalid and is opened without it."""

    exit_code = 1

    def __init__(self, where: str) -> None:
        super().__init__(
            f"the data published {where} was loaded with --allow-invalid despite SHACL "
            "violations: serve it with --allow-invalid, or publish valid data"
        )


# How long a load waits for another one publishing to the same store folder
DEFAULT_WAIT_SECONDS = 300.0

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
        self._fallback_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._last_check = 0.0
        self.backend: Backend = backend_for(self.settings)
        self.notices: list[str] = []  # said once at start-up (serve, query, export)
        self._checkout_version: str | None = None
        # Runs queries on the embedded store away from this process, bounded in time and memory
        # (the web layer installs its query processes here); None: in this process
        self.runner: QueryRunner | None = None

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        progress: Progress | None = None,
        allow_invalid: bool | None = None,
        validator: Validator | None | bool = True,
    ) -> KnowledgeStore:
        """A store ready to serve what is published (an on-disk generation, a remote store's
        data); it never publishes: only ``reload()`` (``nearkg load``) does. With nothing
        usable published in a store folder, the files are loaded in memory instead."""
        store = cls(settings, validator=validator)
        for line in store.backend.limitations():
            log.warning("%s backend: %s", store.backend.name, line)
        allowed = store.settings.allow_invalid if allow_invalid is None else allow_invalid
        if store.backend.follows_publications and store._open_published():
            if store._snapshot.allow_invalid and not allowed:
                report = store._snapshot.validation
                if report is None or report.has_violations:
                    raise PublishedInvalid(store.backend.describe_location())
            if store.settings.store_path and store.compare_checkout():
                store.notices.append(
                    f"the files in {store.settings.data_dir} differ from the data published in "
                    f"{store.settings.store_path}, which is what is served: publish them with "
                    "`nearkg load --store`"
                )
            if store.backend.problem:
                store.notices.append(f"store degraded: {store.backend.problem}")
            return store
        if not store.backend.loads_on_open:
            raise LoadError(
                f"no near-kg data {store.backend.describe_location()} (no metadata graph): "
                "publish it with `nearkg load --to URL`"
            )
        if store.settings.store_path:
            store.notices.append(
                f"nothing usable is published in {store.settings.store_path}: serving the "
                "files in memory (publish them with `nearkg load --store`)"
            )
        store.load_in_memory(progress=progress, allow_invalid=allowed)
        return store

    def compare_checkout(self) -> bool:
        """Whether the files in the data folder differ from the published data served; the
        checkout's version is kept so ``/healthz`` can say so while it lasts."""
        root = Path(self.settings.data_dir)
        try:
            self._checkout_version = fingerprint(discover(root), self.settings.base, root)
        except (OSError, LoadError, UnreadableSource):
            self._checkout_version = None
        return bool(self.checkout_differs())

    def checkout_differs(self) -> bool | None:
        """None until ``compare_checkout()`` ran, or when the files themselves are served."""
        snapshot = self._snapshot
        if self._checkout_version is None or snapshot is None or snapshot.generation is None:
            return None
        return snapshot.version != self._checkout_version

    @property
    def snapshot(self) -> Snapshot:
        self.refresh_if_published()
        if self._snapshot is None and self.backend.follows_publications:
            self._fall_back_to_files()
        if self._snapshot is None:
            raise RuntimeError("the store holds no data yet: call reload() first")
        return self._snapshot

    def _fall_back_to_files(self) -> None:
        """Nothing usable on disk (``CURRENT`` names a missing or corrupt generation and no
        older one opens): serve the files, built in memory, rather than fail every request."""
        if not self.backend.loads_on_open:
            return
        with self._fallback_lock:  # one build per process, however many requests wait
            if self._snapshot is None:
                log.error(
                    "no usable generation in %s: loading the files in memory",
                    self.settings.store_path,
                )
                self.load_in_memory()

    def health(self) -> dict:
        """``status`` "ok" or "degraded" with the reason (``/healthz``), and whether the data
        served is the published generation or the files loaded in memory."""
        problem = self.backend.problem
        health: dict = {"status": "degraded" if problem else "ok"}
        if problem:
            health["reason"] = problem
        if self.settings.store_path and self._snapshot is not None:
            health["published"] = self._snapshot.generation is not None
            differs = self.checkout_differs()
            if differs is not None:
                health["checkout_differs"] = differs
        return health

    def reload(
        self,
        *,
        progress: Progress | None = None,
        allow_invalid: bool | None = None,
        say: Callable[[str], None] | None = None,
        wait_seconds: float = DEFAULT_WAIT_SECONDS,
    ) -> Snapshot:
        """Build the dataset aside, check it, publish it; on failure keep the old one.
        ``say`` receives plain-language notes (a wait for another load, how a remote store is
        written). One load at a time publishes to a store folder: another waits for it at most
        ``wait_seconds`` (then ``StoreBusy``)."""
        allow_invalid = self.settings.allow_invalid if allow_invalid is None else allow_invalid
        say = say or log.info
        with self._lock, self.backend.writing(wait_seconds=wait_seconds, say=say):
            snapshot = self._build(progress=progress, allow_invalid=allow_invalid)
            try:
                served = self.backend.publish(snapshot, say=say)
            except BaseException:
                snapshot.store = None
                self.backend.discard(snapshot.generation)
                raise
            self._snapshot = served
            return served

    def load_in_memory(
        self, *, progress: Progress | None = None, allow_invalid: bool | None = None
    ) -> Snapshot:
        """Build the dataset from the files in memory, check it, serve it; publish nothing."""
        allow_invalid = self.settings.allow_invalid if allow_invalid is None else allow_invalid
        with self._lock:
            snapshot = self._build(progress=progress, allow_invalid=allow_invalid, in_memory=True)
            self._snapshot = snapshot
            return snapshot

    def _build(
        self, *, progress: Progress | None, allow_invalid: bool, in_memory: bool = False
    ) -> Snapshot:
        settings = self.settings
        root = Path(settings.data_dir)
        if not root.is_dir():
            raise LoadError(f"data directory not found: {root}")
        try:
            files = discover(root)
        except UnreadableSource as error:
            raise LoadError(error.why, file=error.file) from error
        if not files:
            raise LoadError(f"no .ttl files under ontology/, data/turtle/ or shapes/ in {root}")
        watch = Stopwatch()
        # The version digest reads every file again: on the other core while the store parses
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fingerprint") as hashing:
            version = hashing.submit(fingerprint, files, settings.base, root)
            return self._build_store(files, version, watch, progress, allow_invalid, in_memory)

    def _build_store(self, files, version, watch, progress, allow_invalid, in_memory) -> Snapshot:
        settings = self.settings
        root = Path(settings.data_dir)
        store, token = (ox.Store(), None) if in_memory else self.backend.new_build_store()
        snapshot: Snapshot | None = None
        try:
            on_disk = isinstance(token, Path)  # a new generation: nothing reads it yet
            graphs = parse_into(
                store,
                root,
                settings.base,
                files=files,
                progress=progress,
                bulk=on_disk,
                store_root=token.parent if on_disk else None,
            )
            check_literals(store, graphs, root)
            snapshot = Snapshot(
                store=store,
                graphs=tuple(graphs),
                version=version.result(),
                loaded_at=datetime.now(UTC),
                changed_at=files_changed_at(files),
                base=settings.base,
                generation=token if isinstance(token, Path) else None,
                allow_invalid=allow_invalid,
            )
            store_description(store, snapshot)  # the VoID, queryable at /sparql
            if self._validator is not None and snapshot.graphs_of("shapes"):
                report = validate_naming_broken_shapes(self._validator, snapshot, root)
                snapshot.validation = report
                if report is not None and report.has_violations and not allow_invalid:
                    raise ValidationFailed(report)
            snapshot.load_seconds = watch.elapsed
        except BaseException:
            if snapshot is not None:  # its reference too: RocksDB closes before the folder goes
                snapshot.store = None
            del store
            self.backend.discard(token)
            raise
        return snapshot

    def publish_update(self, before: Snapshot, store: ox.Store, text: str) -> Snapshot:
        """Serve ``store``, the data of ``before`` changed by the SPARQL update ``text`` (run
        elsewhere, in a query process), as the next snapshot; its version moves on, so ETags,
        caches and query processes of the data before the update stop matching. Refused if
        another snapshot was published meanwhile (a reload): the update was made on old data."""
        with self._lock:
            if self._snapshot is not before:
                raise LoadError("the data was reloaded while the update ran; send it again")
            after = dataclasses.replace(before, store=store)
            after.record_update(text)
            store_description(store, after)  # the VoID follows the data it describes
            self._snapshot = after
            return after

    def release(self) -> None:
        """Close an on-disk store before the process forks (RocksDB does not survive a fork);
        each worker then opens the current generation read-only on its first request. Data
        loaded in memory stays (the workers share it copy-on-write)."""
        snapshot = self._snapshot
        if snapshot is not None and snapshot.generation is not None:
            with self._lock:
                self._snapshot = None
            if snapshot.lease is not None:
                snapshot.lease.release()  # not inherited by the workers
            del snapshot
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

    def _open_published(self, *, require_fresh: bool = False) -> bool:
        found = self.backend.published(require_fresh=require_fresh, current=self._snapshot)
        if found is None:
            return False
        with self._lock:
            self._snapshot = found
        return True

    # -- reading -----------------------------------------------------------------------------

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
        in_process: bool = False,
        options: dict | None = None,
    ):
        """Run a SPARQL query. The default graph is the union of the data and ontology graphs,
        unless ``default_graph`` names graphs, or ``query_dataset`` lets the query's own
        ``FROM``/``FROM NAMED`` choose. Terms in ``substitutions`` are bound, not pasted (on a
        remote store: inlined as a VALUES block, see ``backends.bindings``). ``base_iri``
        resolves relative IRIs. Raises ``SyntaxError`` with the parser's message for a
        malformed query; a remote store that fails raises ``RemoteStoreError``
        (``RemoteQueryTimeout`` when it does not answer within ``NEARKG_QUERY_TIMEOUT``).

        With a ``runner`` (the web layer's query processes) the embedded store's queries run
        there, bounded in time and memory; ``options`` go to it. ``in_process`` runs one here
        (what is computed once at load, such as the entity index)."""
        snapshot = snapshot or self.snapshot
        dataset_args = {
            "default_graph": None if query_dataset else default_graph,
            "named_graphs": None if query_dataset else named_graphs,
            "query_dataset": query_dataset,
        }
        if self.runner is not None and snapshot.store is not None and not in_process:
            dataset = dataset_for(snapshot, **dataset_args)
            return self.runner(snapshot, sparql, dataset, substitutions, base_iri, options or {})
        return self.backend.query(
            snapshot, sparql, substitutions=substitutions, base_iri=base_iri, **dataset_args
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
