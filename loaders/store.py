"""``KnowledgeStore``: the one object that owns the RDF store.

A *snapshot* is one loaded, checked version of the dataset. Readers take the current snapshot
once per request, so a reload that swaps in a new one never shows them a mix of old and new data.
A reload builds the new snapshot aside (a new in-memory store, or a new on-disk generation), checks
it, and only then swaps it in; a failure leaves the previous snapshot serving.

On disk (``NEARKG_STORE_PATH``) the store is a folder of generations and a ``CURRENT`` file naming
the one in use. ``CURRENT`` is replaced atomically after a generation is complete, so another
process (``nearkg load``) can publish new data to running servers, which notice the change and
open the new generation read-only.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .layout import UNION_FOLDERS, discover
from .loading import GraphInfo, LoadError, Progress, Stopwatch, fingerprint, parse_into
from .settings import Settings

CURRENT = "CURRENT"
META = "near-kg.json"


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


@dataclass
class Snapshot:
    store: ox.Store
    graphs: tuple[GraphInfo, ...]
    version: str
    loaded_at: datetime
    base: str
    generation: Path | None = None
    validation: object | None = None
    allow_invalid: bool = False
    load_seconds: float = 0.0
    _union: list[ox.NamedNode] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._union = [ox.NamedNode(g.iri) for g in self.graphs if g.folder in UNION_FOLDERS]

    @property
    def union_graphs(self) -> list[ox.NamedNode]:
        """The graphs whose union is the default graph queries see: data and ontology."""
        return list(self._union)

    @property
    def triples(self) -> int:
        """Triples in the data and ontology graphs (what queries see by default)."""
        return sum(g.triples for g in self.graphs if g.folder in UNION_FOLDERS)

    def graphs_of(self, folder: str) -> list[GraphInfo]:
        return [g for g in self.graphs if g.folder == folder]

    def file_of_graph(self) -> dict[str, str]:
        return {g.iri: g.file for g in self.graphs}

    def metadata(self) -> dict:
        return {
            "version": self.version,
            "loaded_at": self.loaded_at.isoformat(),
            "base": self.base,
            "allow_invalid": self.allow_invalid,
            "graphs": [g.__dict__ for g in self.graphs],
        }


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

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        progress: Progress | None = None,
        allow_invalid: bool | None = None,
        validator: Validator | None | bool = True,
    ) -> KnowledgeStore:
        """A store ready to serve: reuses an up-to-date on-disk generation, else loads."""
        store = cls(settings, validator=validator)
        if store.settings.store_path and store._open_current_generation(require_fresh=True):
            return store
        store.reload(progress=progress, allow_invalid=allow_invalid)
        return store

    @property
    def snapshot(self) -> Snapshot:
        self.refresh_if_published()
        if self._snapshot is None:
            raise RuntimeError("the store holds no data yet: call reload() first")
        return self._snapshot

    def reload(
        self, *, progress: Progress | None = None, allow_invalid: bool | None = None
    ) -> Snapshot:
        """Build the dataset aside, check it, swap it in; on failure keep the old one."""
        allow_invalid = self.settings.allow_invalid if allow_invalid is None else allow_invalid
        with self._lock:
            snapshot = self._build(progress=progress, allow_invalid=allow_invalid)
            self._publish(snapshot)
            return snapshot

    def _build(self, *, progress: Progress | None, allow_invalid: bool) -> Snapshot:
        settings = self.settings
        root = Path(settings.data_dir)
        if not root.is_dir():
            raise LoadError(f"data directory not found: {root}")
        files = discover(root)
        if not files:
            raise LoadError(f"no .ttl files under ontology/, data/turtle/ or shapes/ in {root}")
        watch = Stopwatch()
        version = fingerprint(files, settings.base, root)
        generation = None
        if settings.store_path:
            generation = _new_generation_dir(Path(settings.store_path), version)
            store = ox.Store(str(generation))
        else:
            store = ox.Store()
        try:
            graphs = parse_into(store, root, settings.base, files=files, progress=progress)
            snapshot = Snapshot(
                store=store,
                graphs=tuple(graphs),
                version=version,
                loaded_at=datetime.now(UTC),
                base=settings.base,
                generation=generation,
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
            if generation is not None:
                gc.collect()
                shutil.rmtree(generation, ignore_errors=True)
            raise
        return snapshot

    def _publish(self, snapshot: Snapshot) -> None:
        if snapshot.generation is not None:
            snapshot.store.flush()
            (snapshot.generation / META).write_text(json.dumps(snapshot.metadata(), indent=1))
            root = snapshot.generation.parent
            _atomic_write(root / CURRENT, snapshot.generation.name)
            _remove_old_generations(root, keep={snapshot.generation.name})
        self._snapshot = snapshot

    def release(self) -> None:
        """Close an on-disk store before the process forks (RocksDB does not survive a fork);
        each worker then opens the current generation read-only on its first request."""
        if self.settings.store_path and self._snapshot is not None:
            with self._lock:
                self._snapshot = None
            gc.collect()

    # -- on-disk generations published by other processes ---------------------------------

    def refresh_if_published(self) -> bool:
        """Open a newer on-disk generation if another process published one (rate-limited)."""
        if not self.settings.store_path:
            return False
        now = Stopwatch().started
        if (
            self._snapshot is not None
            and now - self._last_check < self.settings.reload_check_seconds
        ):
            return False
        self._last_check = now
        return self._open_current_generation(require_fresh=False)

    def _open_current_generation(self, *, require_fresh: bool) -> bool:
        root = Path(self.settings.store_path)
        try:
            name = (root / CURRENT).read_text().strip()
            meta = json.loads((root / name / META).read_text())
        except (OSError, ValueError):
            return False
        current = self._snapshot
        if current is not None and current.generation and current.generation.name == name:
            return False
        if require_fresh:
            files = discover(Path(self.settings.data_dir))
            if meta.get("base") != self.settings.base or meta.get("version") != fingerprint(
                files, self.settings.base, Path(self.settings.data_dir)
            ):
                return False
        try:
            store = ox.Store.read_only(str(root / name))
        except OSError:
            return False
        with self._lock:
            self._snapshot = Snapshot(
                store=store,
                graphs=tuple(GraphInfo(**g) for g in meta["graphs"]),
                version=meta["version"],
                loaded_at=datetime.fromisoformat(meta["loaded_at"]),
                base=meta["base"],
                generation=root / name,
                allow_invalid=meta.get("allow_invalid", False),
            )
        return True

    # -- reading -----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return self.snapshot.version

    @property
    def loaded_at(self) -> datetime:
        return self.snapshot.loaded_at

    def graphs(self) -> list[GraphInfo]:
        return list(self.snapshot.graphs)

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict | None = None,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        snapshot: Snapshot | None = None,
    ):
        """Run a SPARQL query. The default graph is the union of the data and ontology graphs,
        unless ``default_graph`` names graphs. Terms in ``substitutions`` are bound, not pasted.
        Raises ``SyntaxError`` with the parser's message for a malformed query."""
        snapshot = snapshot or self.snapshot
        defaults = (
            [ox.NamedNode(iri) for iri in default_graph]
            if default_graph is not None
            else snapshot.union_graphs
        )
        kwargs: dict = {"default_graph": defaults or [ox.DefaultGraph()]}
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {
                ox.Variable(k) if isinstance(k, str) else k: v for k, v in substitutions.items()
            }
        return snapshot.store.query(sparql, **kwargs)

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
        for graph in snapshot.union_graphs:
            yield from snapshot.store.quads_for_pattern(None, None, None, graph)

    def export(self, output, rdf_format: ox.RdfFormat, *, snapshot: Snapshot | None = None):
        """Serialise the data and ontology graphs (N-Quads/TriG keep graphs; Turtle merges)."""
        snapshot = snapshot or self.snapshot
        if rdf_format.supports_datasets:
            quads = self.quads(snapshot=snapshot)
        else:
            quads = (
                ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(snapshot=snapshot)
            )
        ox.serialize(quads, output, rdf_format, prefixes=_prefixes(snapshot.base))


def _prefixes(base: str) -> dict[str, str]:
    # No prefix for things: pyoxigraph would write nearid:region\/JP-32, which older parsers
    # (rapper 2.0.15) misread; full IRIs are read by every parser.
    return {
        "near": base + "def#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dcterms": "http://purl.org/dc/terms/",
        "org": "http://www.w3.org/ns/org#",
        "schema": "http://schema.org/",
        "prov": "http://www.w3.org/ns/prov#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "time": "http://www.w3.org/2006/time#",
    }


PREFIXES = _prefixes


def _new_generation_dir(root: Path, version: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = root / f"gen-{stamp}-{version[:12]}"
    path.mkdir()
    return path


def _atomic_write(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text)
    os.replace(temp, path)


def _remove_old_generations(root: Path, keep: set[str]) -> None:
    """Keep the new generation and the one before it (readers may still hold it open)."""
    generations = sorted(p for p in root.glob("gen-*") if p.is_dir() and p.name not in keep)
    for old in generations[:-1]:
        shutil.rmtree(old, ignore_errors=True)
