"""No process outlives the one that started it (``service/parent_watch.py``).

A web worker killed with SIGKILL (or stopped by its server without running its exit handlers)
must not leave its query processes behind, each holding a copy of the store; Granian's workers
must not go on serving after their master is killed. Real processes are started and killed,
and the ones they started are watched until they end (bounded in time).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from loaders.memory import child_pids

from .conftest import REPO, ServerProcess, free_port

# Two query processes: the second holds a copy of the first one's pipe, so the first would
# never see the pipe close when the worker dies.
WORKER = textwrap.dedent(
    """
    import time
    import pyoxigraph as ox
    from service.sparql.engine import Job, QueryPool

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))

    class Snapshot:
        version, generation, store = "v1", None, store

    snapshot, pool = Snapshot(), QueryPool(2)
    key = (id(snapshot), snapshot.version, "None", pool.epoch)
    children = [pool._acquire(key, snapshot, None, time.monotonic() + 30) for _ in range(2)]
    for child in children:
        pool._release(child)
    assert pool.run(snapshot, Job("ASK { ?s ?p ?o }", None), 30).boolean is True
    print(" ".join(str(child.process.pid) for child in children), flush=True)
    time.sleep(120)
    """
)


ORPHAN_SECONDS = 15  # the watch checks every second; this is the bound a test waits


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's exit may wait for init to collect it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_query_processes_end_when_their_worker_is_killed():
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        line = worker.stdout.readline()
        children = [int(pid) for pid in line.split()]
        assert len(children) == 2, f"the worker printed {line!r}"
        assert all(_running(pid) for pid in children)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    left = _still_running_after(children, ORPHAN_SECONDS)
    assert not left, f"query processes {left} outlived their worker"


def test_granian_workers_end_when_their_master_is_killed(tmp_path):
    port = free_port()
    server = ServerProcess(["--workers", "2"], dict(os.environ), port, tmp_path / "serve.log")
    try:
        server.wait_ready()
        workers = _children_when_ready(server.process.pid, count=2, seconds=30)
        assert len(workers) == 2, f"workers {workers}; log:\n{server.log_path.read_text()}"
    finally:
        server.process.send_signal(signal.SIGKILL)
        server.stop()  # the master is gone already: this waits for it and closes the log
    left = _still_running_after(workers, ORPHAN_SECONDS)
    assert not left, f"workers {left} outlived their master; log:\n{server.log_path.read_text()}"


def _children_when_ready(parent: int, count: int, seconds: float) -> list[int]:
    """The parent's children once there are ``count`` of them (workers may start a moment
    after the first one answers)."""
    deadline = time.monotonic() + seconds
    while len(child_pids(parent)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return child_pids(parent)


def _still_running_after(pids: list[int], seconds: float) -> list[int]:
    """The processes of ``pids`` still running after waiting up to ``seconds``; killed, so
    that a failing test leaves nothing behind."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_running(pid) for pid in pids):
        time.sleep(0.2)
    left = [pid for pid in pids if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left
