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
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ..dataset import dataset_for, engine_dataset
from ..loading import store_error
from ..memory import return_free_memory
from ..snapshot import Snapshot
from . import Backend, generations

CURRENT = "CURRENT"
META = generations.META
ABANDONED_AFTER_SECONDS = generations.ABANDONED_AFTER_SECONDS

log = logging.getLogger(__name__)


class EmbeddedBackend(Backend):
    name = "embedded"

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self._building: dict[Path, generations.Lease] = {}  # generations this process builds
        self._refused: str | None = None  # the generation CURRENT named that would not open

    @property
    def follows_publications(self) -> bool:  # type: ignore[override]
        return bool(self.settings.store_path)

    def describe_location(self) -> str:
        path = self.settings.store_path
        return f"on disk at {path}" if path else "in memory"

    def writing(self, *, wait_seconds: float, say):
        if not self.settings.store_path:
            return contextlib.nullcontext()
        return generations.publish_lock(
            Path(self.settings.store_path), wait_seconds=wait_seconds, say=say
        )

    def new_build_store(self) -> tuple[ox.Store, object]:
        if not self.settings.store_path:
            return ox.Store(), None
        root = Path(self.settings.store_path)
        generation = None
        try:
            generation = _new_generation_dir(root)
            self._building[generation] = generations.Lease.create(generation)
            return ox.Store(str(generation)), generation
        except (OSError, RuntimeError) as error:
            if generation is not None:
                self.discard(generation)
            raise store_error(root, error, "create a generation") from error

    def discard(self, token: object) -> None:
        if token is not None:
            gc.collect()
            shutil.rmtree(token, ignore_errors=True)
            lease = self._building.pop(token, None)
            if lease is not None:
                lease.release()

    def publish(self, snapshot: Snapshot, *, say=print) -> Snapshot:
        generation = snapshot.generation
        if generation is None:
            return snapshot
        root = generation.parent
        try:
            # Compact now: after a bulk load, RocksDB would otherwise compact in the background
            # and delete files that readers opening the generation read-only still list.
            snapshot.store.optimize()
            snapshot.store.flush()
            # Closed before it is sealed (RocksDB finishes its background work on close: the
            # table files listed are then the final ones), and read again read-only, as
            # every other reader does.
            snapshot.store = None
            gc.collect()
            meta = {**snapshot.metadata(), "files": generations.seal(generation)}
            snapshot.store = ox.Store.read_only(str(generation))
            _atomic_write(generation / META, json.dumps(meta, indent=1))
            previous = _current_name(root)
            _atomic_write(root / CURRENT, generation.name)
        except (OSError, RuntimeError) as error:
            raise store_error(root, error, "publish") from error
        snapshot.lease = self._building.pop(generation, None)
        removed = generations.remove_unused(root, keep={generation.name, previous})
        if removed:
            log.info("removed unused generations: %s", ", ".join(removed))
        return snapshot

    def published(self, *, require_fresh: bool, current: Snapshot | None) -> Snapshot | None:
        """The generation ``CURRENT`` names, if it is not ``current``. One that is missing or
        corrupt is refused (``problem`` says why): a process that has data keeps it, one that
        has none falls back to the newest complete generation that opens."""
        if not self.settings.store_path:
            return None
        root = Path(self.settings.store_path)
        name = _current_name(root)
        if name is None:
            complete = generations.complete_generations(root) if root.is_dir() else []
            # nothing published yet is no problem; complete generations and no CURRENT is one
            self.problem = f"{root}/{CURRENT} is missing or unreadable" if complete else None
            return None if current is not None else self._fallback(root, skip=None)
        if current is not None and current.generation and current.generation.name == name:
            self.problem = None
            return None
        if name == self._refused:
            return None if current is not None else self._fallback(root, skip=name)
        snapshot, why = _open_generation(root / name)
        if snapshot is not None:
            self.problem = self._refused = None
            return snapshot
        self._refused = name
        self.problem = f"{root}/{CURRENT} names {name}, which {why}"
        log.error("store %s: %s", root, self.problem)
        return None if current is not None else self._fallback(root, skip=name)

    def _fallback(self, root: Path, *, skip: str | None) -> Snapshot | None:
        for generation in generations.complete_generations(root):
            if generation.name == skip:
                continue
            snapshot, _ = _open_generation(generation)
            if snapshot is not None:
                if self.problem:
                    self.problem += f"; serving the older generation {generation.name}"
                return snapshot
        return None

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
        kwargs = engine_dataset(
            dataset_for(
                snapshot,
                default_graph=default_graph,
                named_graphs=named_graphs,
                query_dataset=query_dataset,
            )  # fmt: skip
        )
        kwargs["base_iri"] = base_iri
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


def _open_generation(generation: Path) -> tuple[Snapshot | None, str]:
    """A leased, checked, read-only snapshot of a complete generation, or (None, why not)."""
    lease = generations.Lease.take(generation)
    if lease is None:
        return None, "does not exist (or is being removed)"
    try:
        meta = generations.read_meta(generation)
    except (OSError, ValueError) as error:
        lease.release()
        return None, f"has no readable metadata ({error})"
    broken = generations.broken_seal(generation, meta)
    if broken:
        lease.release()
        return None, broken
    try:
        store = ox.Store.read_only(str(generation))
    except (OSError, RuntimeError) as error:
        lease.release()
        return None, f"cannot be opened ({str(error).splitlines()[0]})"
    try:
        return Snapshot.from_metadata(meta, store=store, generation=generation, lease=lease), ""
    except (KeyError, TypeError, ValueError) as error:
        lease.release()
        return None, f"has malformed metadata ({error})"


def _atomic_write(path: Path, text: str) -> None:
    """Write then rename, with the data on disk before the name points to it."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:  # the rename itself on disk: after a power cut CURRENT names old or new, never none
        os.fsync(folder)
    finally:
        os.close(folder)


def _current_name(root: Path) -> str | None:
    try:
        name = (root / CURRENT).read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None
    # only a generation folder's own name: never a path elsewhere
    return name if name.startswith("gen-") and "/" not in name else None
