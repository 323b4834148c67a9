"""Running queries in a small pool of child processes, so that a query can be stopped.

pyoxigraph cannot interrupt a running query, and a few pathological queries crash it. So the
web worker never runs endpoint queries itself: it hands each one to a child process that holds
the same snapshot, and waits at most ``NEARKG_QUERY_TIMEOUT`` seconds. A child that overruns is
killed (SIGKILL) and replaced on demand; a child that dies is reported and replaced too. The
worker thread is free again as soon as the deadline passes.

How a child gets the snapshot:
- in memory: it is forked from the web worker (copy-on-write, no reload);
- on disk: it is *spawned* (a fresh interpreter) and opens the generation read-only itself,
  because a process holding an open RocksDB store must never fork.

Children belong to one snapshot (and one update epoch); when the snapshot changes (reload, new
on-disk generation, a SPARQL update) idle children of the old one are retired.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..parent_watch import exit_when_orphaned
from .results import Result, from_engine


# How long a query waits for a free process. Short, so that queries queued behind runaway ones
# give their web thread back (503 Busy, Retry-After) instead of holding it for the time limit.
MAX_QUEUE_SECONDS = 2.0


class QueryTimeout(Exception):
    pass


class EngineCrashed(Exception):
    pass


class Busy(Exception):
    pass


@dataclass
class Job:
    text: str
    default_graph: list[str] | None  # None: the query's own dataset (FROM) applies
    include_store_default: bool = False  # add the store's own default graph (updates write it)
    named_graphs: list[str] | None = None
    substitutions: dict[str, object] = field(default_factory=dict)
    base_iri: str | None = None
    limit: int = 100_000


def run_job(store: ox.Store, job: Job) -> Result:
    """Run one job against a store (in the child; also usable in-process)."""
    kwargs: dict = {"base_iri": job.base_iri}
    if job.default_graph is not None:
        graphs: list = [ox.NamedNode(iri) for iri in job.default_graph]
        if job.include_store_default or not graphs:
            graphs.append(ox.DefaultGraph())
        kwargs["default_graph"] = graphs
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in job.substitutions.items()}
    return from_engine(store.query(job.text, **kwargs), job.limit)


def _child_main(conn, store: ox.Store | None, path: str | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    exit_when_orphaned(parent)  # a killed web worker leaves no query process behind
    lease = None  # held for the life of the process: the generation is not removed under it
    failure = None
    if store is None:
        lease, store, failure = open_generation_for_queries(path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if failure is not None:
            conn.send(("error", failure))
            continue
        try:
            conn.send(("ok", run_job(store, job)))
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
        except Exception as error:  # noqa: BLE001 - reported to the client as an error
            conn.send(("error", f"{type(error).__name__}: {error}"))
    os._exit(0)


def open_generation_for_queries(path: str):
    """(lease, store, None), or (None, None, why) when the generation cannot be opened: the
    child then answers that, instead of dying (which would read as a crash mid-query)."""
    from pathlib import Path

    from loaders.backends.generations import Lease

    lease = Lease.take(Path(path))
    if lease is None:
        return None, None, f"the query process could not open the data: {path} is gone"
    try:
        return lease, ox.Store.read_only(path), None
    except (OSError, RuntimeError) as error:
        lease.release()
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, None, f"the query process could not open the data at {path}: {first}"


class _Child:
    def __init__(self, key, store: ox.Store | None, path: str | None):
        self.key = key
        if path is None:
            context = multiprocessing.get_context("fork")
            args = (None, store, None)
        else:
            context = multiprocessing.get_context("spawn")
            args = (None, None, path)
        parent, child = context.Pipe()
        self.conn = parent
        self.process = context.Process(
            target=_child_main,
            args=(child, *args[1:], os.getpid()),
            daemon=True,
            name="nearkg-query",
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """At most ``size`` query processes for this web worker (one per concurrent query)."""

    def __init__(self, size: int = 4):
        self.size = size
        self.pid = os.getpid()
        self._idle: list[_Child] = []
        self._busy = 0
        self._cond = threading.Condition()
        self.epoch = 0  # bumped by updates: children of an older epoch are retired
        atexit.register(self.close)

    def run(
        self, snapshot, job: Job, timeout: float, *, store: ox.Store | None = None
    ) -> Result:
        """Run ``job`` on ``snapshot`` in a child; raise QueryTimeout, EngineCrashed, Busy,
        or SyntaxError/RuntimeError with the engine's message."""
        deadline = time.monotonic() + timeout
        key = (id(snapshot), snapshot.version, str(snapshot.generation), self.epoch)
        child = self._acquire(key, snapshot, store, deadline)
        try:
            child.conn.send(job)
            remaining = max(0.0, deadline - time.monotonic())
            if not child.conn.poll(remaining):
                child.kill()
                child = None
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, value = child.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            if child is not None:
                child.kill()
                child = None
            raise EngineCrashed("the query engine stopped while running this query") from error
        finally:
            self._release(child)
        if status == "ok":
            return value
        if status == "syntax":
            raise SyntaxError(value)
        raise RuntimeError(value)

    def _acquire(self, key, snapshot, store, deadline) -> _Child:
        waiting_since = time.monotonic()
        with self._cond:
            while True:
                for child in list(self._idle):
                    if child.key != key or not child.process.is_alive():
                        self._idle.remove(child)
                        child.kill()
                if self._idle:
                    self._busy += 1
                    return self._idle.pop()
                if self._busy < self.size:
                    self._busy += 1
                    break
                remaining = min(deadline, waiting_since + MAX_QUEUE_SECONDS) - time.monotonic()
                if remaining <= 0:
                    raise Busy("every query process is busy; try again shortly")
                self._cond.wait(remaining)
        try:
            if snapshot.generation is not None:
                return _Child(key, None, str(snapshot.generation))
            return _Child(key, store if store is not None else snapshot.store, None)
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise

    def _release(self, child: _Child | None) -> None:
        with self._cond:
            self._busy -= 1
            if child is not None:
                self._idle.append(child)
            self._cond.notify()

    def retire_all(self) -> None:
        """After an update: idle children hold old data; busy ones are retired on return."""
        with self._cond:
            self.epoch += 1
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()

    def close(self) -> None:
        if os.getpid() != self.pid:
            return
        with self._cond:
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()
