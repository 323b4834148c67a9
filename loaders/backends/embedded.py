"""The embedded backend: pyoxigraph in this process, in memory or as on-disk generations.

On disk (``NEARKG_STORE_PATH``) the store is a folder of generations and a ``CURRENT`` file naming
the one in use. ``CURRENT`` is replaced atomically after a generation is complete, so another
process (``nearkg load``) can publish new data to running servers, which notice the change and
open the new generation read-only.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ..layout import discover
from ..loading import fingerprint
from ..memory import return_free_memory
from ..snapshot import Snapshot
from . import Backend

CURRENT = "CURRENT"
META = "near-kg.json"


class EmbeddedBackend(Backend):
    name = "embedded"

    @property
    def follows_publications(self) -> bool:  # type: ignore[override]
        return bool(self.settings.store_path)

    def describe_location(self) -> str:
        path = self.settings.store_path
        return f"on disk at {path}" if path else "in memory"

    def new_build_store(self) -> tuple[ox.Store, object]:
        if not self.settings.store_path:
            return ox.Store(), None
        generation = _new_generation_dir(Path(self.settings.store_path))
        return ox.Store(str(generation)), generation

    def discard(self, token: object) -> None:
        if token is not None:
            gc.collect()
            shutil.rmtree(token, ignore_errors=True)

    def publish(self, snapshot: Snapshot, *, say=print) -> Snapshot:
        if snapshot.generation is not None:
            # Compact now: after a bulk load, RocksDB would otherwise compact in the background
            # and delete files that readers opening the generation read-only still list.
            snapshot.store.optimize()
            snapshot.store.flush()
            (snapshot.generation / META).write_text(json.dumps(snapshot.metadata(), indent=1))
            root = snapshot.generation.parent
            previous = _current_name(root)
            _atomic_write(root / CURRENT, snapshot.generation.name)
            _remove_old_generations(root, keep={snapshot.generation.name, previous})
        return snapshot

    def published(self, *, require_fresh: bool, current: Snapshot | None) -> Snapshot | None:
        if not self.settings.store_path:
            return None
        root = Path(self.settings.store_path)
        try:
            name = (root / CURRENT).read_text().strip()
            meta = json.loads((root / name / META).read_text())
        except (OSError, ValueError):
            return None
        if current is not None and current.generation and current.generation.name == name:
            return None
        if require_fresh:
            data_dir = Path(self.settings.data_dir)
            files = discover(data_dir)
            if meta.get("base") != self.settings.base or meta.get("version") != fingerprint(
                files, self.settings.base, data_dir
            ):
                return None
        try:
            store = ox.Store.read_only(str(root / name))
        except OSError:
            return None
        return Snapshot.from_metadata(meta, store=store, generation=root / name)

    def release(self) -> None:
        # RocksDB's caches and the query buffers: gone before the fork, not copied into workers
        return_free_memory()

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
        kwargs: dict = {"base_iri": base_iri}
        if not query_dataset:
            defaults = (
                [ox.NamedNode(iri) for iri in default_graph]
                if default_graph is not None
                else snapshot.union_graphs
            )
            kwargs["default_graph"] = defaults or [ox.DefaultGraph()]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {
                ox.Variable(k) if isinstance(k, str) else k: v for k, v in substitutions.items()
            }
        return snapshot.store.query(sparql, **kwargs)

    def graph_quads(self, snapshot: Snapshot, iri: str) -> Iterator[ox.Quad]:
        yield from snapshot.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))

    _union: tuple = (None, frozenset())  # (a snapshot, its union graphs as a set)

    def _union_set(self, snapshot: Snapshot) -> frozenset:
        """The snapshot's union graphs as a set, made once per snapshot (an entity document
        asks for twenty patterns)."""
        held, union = self._union  # one read: another thread may swap in a newer pair
        if held is not snapshot:
            union = frozenset(snapshot.union_graphs)
            self._union = (snapshot, union)
        return union

    def matching_quads(
        self,
        snapshot: Snapshot,
        subject: ox.NamedNode | ox.BlankNode | None,
        obj: ox.NamedNode | ox.BlankNode | None,
    ) -> Iterator[ox.Quad]:
        # the store's own indexes: no query to parse, plan and bind (most of an entity
        # document's time when it took four SPARQL queries)
        union = self._union_set(snapshot)
        found = snapshot.store.quads_for_pattern(subject, None, obj, None)
        return iter([quad for quad in found if quad.graph_name in union])


def _new_generation_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = root / f"gen-{stamp}-{os.getpid()}"
    path.mkdir()
    return path


def _atomic_write(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text)
    os.replace(temp, path)


def _current_name(root: Path) -> str | None:
    try:
        return (root / CURRENT).read_text().strip() or None
    except OSError:
        return None


# An unfinished generation (no META) younger than this may still be being built by another
# `nearkg load`; older, its loader died (killed mid-load) and it is removed.
ABANDONED_AFTER_SECONDS = 600.0


def _remove_old_generations(root: Path, keep: set[str | None]) -> None:
    """Keep the new generation and the one that was current before it (running servers hold
    it open until they notice the new one); remove the others, finished or abandoned.

    Not "the newest older one": a load killed mid-way leaves a newer, unfinished generation,
    which must never be kept in place of the one servers are reading."""
    now = time.time()
    for path in root.glob("gen-*"):
        if not path.is_dir() or path.name in keep:
            continue
        if not (path / META).exists() and now - _last_change(path) < ABANDONED_AFTER_SECONDS:
            continue
        shutil.rmtree(path, ignore_errors=True)


def _last_change(path: Path) -> float:
    times = [path.stat().st_mtime]
    for child in path.iterdir():
        with contextlib.suppress(OSError):  # a file may go while we look
            times.append(child.stat().st_mtime)
    return max(times)
