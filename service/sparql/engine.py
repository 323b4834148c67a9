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

Before its first job a child takes the network away from itself (``sandbox.enter``: Landlock
and seccomp; a federation child may reach only the allowed ports) and caps the memory it may
add (``NEARKG_QUERY_MEMORY_MB``, through ``RLIMIT_AS``). A child that goes past the cap ends
(the engine aborts on a failed allocation) and is replaced; the request is told why.
SPARQL updates run in a child too, on its copy of the store: it sends back the whole changed
dataset, which the web worker publishes as a new snapshot (the worker never evaluates one).
"""

from __future__ import annotations

import atexit
import io
import json
import multiprocessing
import os
import pickle
import resource
import select
import signal
import threading
import time
from dataclasses import dataclass, field, fields

import pyoxigraph as ox

from loaders.dataset import Dataset, engine_dataset
from service.http.xml_output import NotXml
from service.parent_watch import exit_when_orphaned
from service.sparql import federation, sandbox
from service.sparql.results import Result, ValueTooLarge, from_engine

# How long a query waits for a free process. Short, so that queries queued behind runaway ones
# give their web thread back (503 Busy, Retry-After) instead of holding it for the time limit.
MAX_QUEUE_SECONDS = 2.0


class QueryTimeout(Exception):
    pass


class EngineCrashed(Exception):
    pass


class Busy(Exception):
    pass


class OutOfMemory(Exception):
    """The query needed more memory than its process may have; the process is replaced."""


class Unsafe(Exception):
    """The process could not take the network away from itself, so it ran nothing."""


@dataclass(frozen=True)
class Isolation:
    """What a query process may do: add ``memory_mb`` of memory, and reach nothing on the
    network (``ports`` None) or only these TCP ports (a federation process)."""

    memory_mb: int = 512
    ports: tuple[int, ...] | None = None
    allowed_hosts: tuple[str, ...] = ()  # a federation process checks its jobs against these
    accept_risk: bool = False  # NEARKG_UNSANDBOXED_QUERIES: run even where the OS cannot


@dataclass
class Job:
    text: str
    default_graph: list[str] | None  # None: the query's own dataset (FROM) applies
    include_store_default: bool = False  # add the store's own default graph (updates write it)
    named_graphs: list[str] | None = None
    substitutions: dict[str, object] = field(default_factory=dict)
    base_iri: str | None = None
    limit: int = 100_000
    update: bool = False  # an update: the answer is the changed dataset in N-Quads
    # media type per kind of result ("solutions", "graph") to write the answer in here
    media: dict[str, str] | None = None
    prefixes: dict[str, str] | None = None


def _send_job(conn, job: Job) -> None:
    """A job to a query process: pickled (the process trusts the worker that forked it), with
    no pickler object made per call as ``Connection.send`` does."""
    conn.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))


def _recv_job(conn) -> Job:
    return pickle.loads(conn.recv_bytes())  # noqa: S301 - from the worker that started us


def _send_answer(conn, status: str, value: Result | bytes | str) -> None:
    """A query process's answer as plain data, never a pickle, so that reading it cannot make
    the web worker run code whatever a query process (taken over through an engine bug) sent:
    a JSON head (status, form, a result's small fields, the sizes of the byte parts) and then
    the byte parts, in one message."""
    parts: list[bytes] = []
    if isinstance(value, Result):
        meta: object = {name: getattr(value, name) for name in _RESULT_META}
        parts = [value.payload, value.rendered or b""]
        form = "result" if value.rendered is not None else "result-unrendered"
    elif isinstance(value, bytes):
        meta, parts, form = None, [value], "bytes"
    else:
        meta, form = value, "text"
    head = json.dumps([status, form, meta, [len(part) for part in parts]]).encode()
    conn.send_bytes(b"".join([len(head).to_bytes(4, "big"), head, *parts]))


def _recv_answer(conn) -> tuple[str, Result | bytes | str]:
    """(status, value); ``EOFError`` for an answer that is not one (the process is ended)."""
    data = conn.recv_bytes()
    try:
        size = int.from_bytes(data[:4], "big")
        status, form, meta, sizes = json.loads(data[4 : 4 + size])
        parts, start = [], 4 + size
        for length in sizes:
            parts.append(data[start : start + length])
            start += length
        if not isinstance(status, str) or start != len(data):
            raise ValueError("the answer's parts do not add up")
        if form in ("result", "result-unrendered"):
            meta["variables"] = tuple(meta["variables"])
            rendered = parts[1] if form == "result" else None
            return status, Result(payload=parts[0], rendered=rendered, **meta)
        if form == "bytes":
            return status, parts[0]
        if form == "text" and isinstance(meta, str):
            return status, meta
        raise ValueError(f"unknown form {form!r}")
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise EOFError(f"the query process sent an unreadable answer: {error}") from None


# a Result's fields but its two byte strings (payload, rendered)
_RESULT_META = tuple(
    each.name for each in fields(Result) if each.name not in ("payload", "rendered", "terms")
)


def run_job(store: ox.Store, job: Job) -> Result:
    """Run one job against a store (in the child; also usable in-process)."""
    dataset = Dataset(
        tuple(job.default_graph) if job.default_graph is not None else None,
        tuple(job.named_graphs) if job.named_graphs is not None else None,
        job.include_store_default,
    )
    kwargs = engine_dataset(dataset)
    kwargs["base_iri"] = job.base_iri
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in job.substitutions.items()}
    answer = store.query(job.text, **kwargs)
    graph_media = (job.media or {}).get("graph")
    keep_terms = graph_media is not None and isinstance(answer, ox.QueryTriples)
    result = from_engine(answer, job.limit, keep_terms=keep_terms)
    media_type = (job.media or {}).get(result.kind)
    if media_type is not None:  # the final bytes, written here: the worker only sends them
        from service.sparql.render import body, by_media_type

        fmt = by_media_type(result.kind, media_type)
        result.rendered = body(result, fmt, prefixes=job.prefixes)
        result.media_type = media_type
        result.payload = b""
        result.terms = None
    return result


def run_update(store: ox.Store, job: Job) -> bytes:
    """Apply an update to this process's copy of the store; the whole dataset after it."""
    store.update(job.text, base_iri=job.base_iri)
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


def cap_memory(megabytes: int) -> None:
    """Let this process grow by at most ``megabytes`` of address space from now on (the store
    it shares with its parent is already counted in its size)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                size = int(line.split()[1]) * 1024
                break
        else:
            size = 0
    ceiling = size + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _child_main(conn, store: ox.Store | None, path: str | None, parent: int, isolation) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    lease = None  # held for the life of the process: the generation is not removed under it
    failure = None  # why the generation could not be opened: the answer to every job
    try:
        # first, while this is the process's only thread: Landlock and seccomp bind the calling
        # thread and the threads it starts later, not threads already running
        sandbox.enter(allowed_ports=isolation.ports, accept_risk=isolation.accept_risk)
        if store is None:
            lease, store, failure = open_generation_for_queries(path)
        cap_memory(isolation.memory_mb)
    except (sandbox.SandboxUnavailable, OSError) as error:
        _refuse_every_job(conn, f"{error}")
    exit_when_orphaned(parent)  # a killed web worker leaves no query process behind
    while True:
        try:
            job = _recv_job(conn)
        except (EOFError, OSError):
            break
        if failure is not None:
            _send_answer(conn, "error", failure)
            continue
        try:
            if isolation.ports is not None:
                federation.check(job.text, update=job.update, base_iri=job.base_iri,
                                 allowed=isolation.allowed_hosts)  # fmt: skip
            answer = run_update(store, job) if job.update else run_job(store, job)
            _send_answer(conn, "ok", answer)
        except (federation.Refused, ValueTooLarge) as error:
            _send_answer(conn, "refused", str(error))
        except NotXml as error:  # the format asked for cannot carry the answer: a 406
            _send_answer(conn, "not-xml", json.dumps(error.parts()))
        except SyntaxError as error:
            _send_answer(conn, "syntax", str(error))
        except MemoryError:
            _send_answer(conn, "memory", "")
            os._exit(1)  # a process that ran out of memory is not trusted with the next job
        except Exception as error:  # noqa: BLE001 - reported to the client as an error
            _send_answer(conn, "error", f"{type(error).__name__}: {error}")
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


def _not_xml(value) -> Exception:
    """The ``NotXml`` a query process reported (anything else it sent: an error as any other)."""
    try:
        return NotXml.from_parts(json.loads(value))
    except (ValueError, TypeError):
        return RuntimeError("the query process sent an unreadable refusal")


def _refuse_every_job(conn, reason: str) -> None:
    try:
        _recv_job(conn)
        _send_answer(conn, "unsafe", reason)
    finally:
        os._exit(1)


class _Child:
    def __init__(self, key, store: ox.Store | None, path: str | None, isolation: Isolation):
        self.key = key
        if path is None:
            context = multiprocessing.get_context("fork")
            args = (None, store, None)
        else:
            context = multiprocessing.get_context("spawn")
            args = (None, None, path)
        parent, child = context.Pipe()
        self.conn = parent
        # one poll object per child: Connection.poll builds a selector on every call
        self._poller = select.poll()
        self._poller.register(parent.fileno(), select.POLLIN)
        self.process = context.Process(
            target=_child_main,
            args=(child, *args[1:], os.getpid(), isolation),
            daemon=True,
            name="nearkg-query",
        )
        self.process.start()
        child.close()

    def ready(self, seconds: float) -> bool:
        """Whether the child's answer (or its end) arrives within ``seconds``."""
        return bool(self._poller.poll(max(0, int(seconds * 1000) + 1)))

    def ended(self) -> int | None:
        """Wait briefly for a child whose pipe closed; its exit code (-N: killed by signal N)."""
        self.process.join(timeout=2)
        code = self.process.exitcode
        self.kill()
        return code

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """At most ``size`` query processes for this web worker (one per concurrent query), of
    which the public's queries (``/sparql``) may hold all but ``reserved``: however many
    runaway queries anyone sends, the site's own pages (the home page, lists, figures) still
    find a process for theirs. Four runaway queries used to make those pages 503 for as long
    as the queries ran."""

    def __init__(self, size: int = 4, isolation: Isolation | None = None, *, reserved: int = 1):
        self.size = size
        self.public_share = max(1, size - reserved)
        self.isolation = isolation or Isolation()
        self.pid = os.getpid()
        self._idle: list[_Child] = []
        self._busy = 0
        self._busy_public = 0
        self._cond = threading.Condition()
        self.epoch = 0  # bumped by updates: children of an older epoch are retired
        atexit.register(self.close)

    def run(
        self,
        snapshot,
        job: Job,
        timeout: float,
        *,
        store: ox.Store | None = None,
        public: bool = False,
    ) -> Result | bytes:
        """Run ``job`` on ``snapshot`` in a child; raise QueryTimeout, EngineCrashed, Busy,
        OutOfMemory, Unsafe, or SyntaxError/RuntimeError with the engine's message.
        ``public``: a query someone sent (it waits for the public share of the processes)."""
        deadline = time.monotonic() + timeout
        key = (id(snapshot), snapshot.version, str(snapshot.generation), self.epoch)
        child = self._acquire(key, snapshot, store, deadline, public=public)
        try:
            _send_job(child.conn, job)
            remaining = max(0.0, deadline - time.monotonic())
            if not child.ready(remaining):
                child.kill()
                child = None
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, value = _recv_answer(child.conn)
            if status in ("memory", "unsafe"):  # that child has ended itself
                child.kill()
                child = None
        except (EOFError, OSError, BrokenPipeError) as error:
            if child is not None:
                ended = child.ended()
                child = None
                if ended in (-signal.SIGABRT, -signal.SIGKILL):  # a failed allocation aborts
                    raise OutOfMemory(self._memory_message()) from error
            raise EngineCrashed("the query engine stopped while running this query") from error
        finally:
            self._release(child, public=public)
        if status == "ok":
            return value
        if status == "syntax":
            raise SyntaxError(value)
        if status == "memory":
            raise OutOfMemory(self._memory_message())
        if status == "unsafe":
            raise Unsafe(value)
        if status == "refused":
            raise federation.Refused(value)
        if status == "not-xml":
            raise _not_xml(value)
        raise RuntimeError(value)

    def _memory_message(self) -> str:
        return (
            f"the query needed more than {self.isolation.memory_mb} MB of memory "
            "(NEARKG_QUERY_MEMORY_MB) and was stopped"
        )

    def _acquire(self, key, snapshot, store, deadline, *, public: bool = False) -> _Child:
        waiting_since = time.monotonic()
        with self._cond:
            while True:
                for child in [each for each in self._idle if each.key != key]:
                    self._idle.remove(child)  # it holds other data
                    child.kill()
                if not public or self._busy_public < self.public_share:
                    while self._idle:
                        # one liveness check (a waitpid) per query, for the process it gets
                        child = self._idle.pop()
                        if child.process.is_alive():
                            self._take(public)
                            return child
                        child.kill()
                    if self._busy < self.size:
                        self._take(public)
                        break
                remaining = min(deadline, waiting_since + MAX_QUEUE_SECONDS) - time.monotonic()
                if remaining <= 0:
                    raise Busy("every query process is busy; try again shortly")
                self._cond.wait(remaining)
        try:
            if snapshot.generation is not None:
                return _Child(key, None, str(snapshot.generation), self.isolation)
            chosen = store if store is not None else snapshot.store
            return _Child(key, chosen, None, self.isolation)
        except BaseException:
            self._release(None, public=public)
            raise

    def _take(self, public: bool) -> None:
        self._busy += 1
        self._busy_public += public

    def _release(self, child: _Child | None, *, public: bool = False) -> None:
        with self._cond:
            self._busy -= 1
            self._busy_public -= public
            if child is not None:
                self._idle.append(child)
            self._cond.notify_all()  # a page's query may wait behind the public's

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
