"""Starting and stopping the servers the benchmarks measure, on 127.0.0.1 only, by PID."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from loaders.memory import child_pids, proc_kb_field_mb, resident_mb

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process started by the benchmarks; ``stop`` ends exactly that process."""

    def __init__(
        self, command: list[str], port: int, ready_path: str, log: Path, env=None, cwd=REPO
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd, env=env
        )
        self.ready_path = ready_path
        self.ready_seconds: float | None = None
        self.any_status = False  # ready at any HTTP answer, not only 200

    def wait_ready(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.url} exited early; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as answer:
                    if answer.status == 200:
                        self.ready_seconds = time.perf_counter() - self.started
                        return self.ready_seconds
            except urllib.error.HTTPError:  # up: e.g. Trifid's 404 for a bare /
                if self.any_status:
                    self.ready_seconds = time.perf_counter() - self.started
                    return self.ready_seconds
                time.sleep(0.05)
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.url} not ready within {timeout:g} s; see {self.log}")

    def worker_memory_mb(self) -> tuple[list[float], list[float]]:
        """RSS and PSS of the server's direct children (its workers), in MB."""
        pids = child_pids(self.process.pid)
        return [resident_mb(pid) for pid in pids], [_pss_mb(pid) for pid in pids]

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server and every process under it (workers, and
        near-kg's query processes) have used so far: what a request costs, read from /proc,
        holds on a machine other work also loads (req/s does not). A process that ended
        meanwhile takes its time with it."""
        pids, found = [self.process.pid], 0
        while found < len(pids):
            pids += child_pids(pids[found])
            found += 1
        return sum(_cpu_seconds(pid) for pid in pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def nearkg(
    data_dir: Path,
    log: Path,
    *,
    workers: int,
    store: Path | None = None,
    server: str = "granian",
    cache_bytes: int | None = None,
    tree: Path | None = None,
) -> Server:
    """``nearkg serve``; ``tree``: the code of another checkout (``tree_launcher.py``)."""
    port = free_port()
    command = [str(BIN / "nearkg")]
    if tree is not None:
        command = [sys.executable, str(REPO / "benchmarks" / "tree_launcher.py"), str(tree)]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--data-dir", str(data_dir), "--server", server]
    if store is not None:
        command += ["--store", str(store)]
    env = {**os.environ, "NEARKG_QUERY_TIMEOUT": "60"}
    if cache_bytes is not None:
        env["NEARKG_CACHE_BYTES"] = str(cache_bytes)
    return Server(command, port, "/healthz", log, env)


def oxigraph(log: Path) -> Server:
    """``oxigraph serve`` in memory, every graph in the default graph. Without ``--timeout-s``:
    with it, oxigraph 0.5.13 answered about 6% of the requests of a 3 s wrk run with errors
    (seen here: "Resource temporarily unavailable", threads it could not start)."""
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--union-default-graph"]
    return Server(command, port, "/query?query=ASK%7B%7D", log)


def granian_settings(workers: int) -> list[str]:
    """Granian as ``nearkg serve`` runs it (service/server.py): workers, blocking threads, HTTP/1,
    the request-head buffer."""
    from service.server import MAX_REQUEST_HEAD, THREADS

    return [
        str(BIN / "granian"), "--interface", "wsgi", "--workers", str(workers),
        "--blocking-threads", str(THREADS), "--http", "1",
        "--http1-buffer-size", str(MAX_REQUEST_HEAD), "--no-ws",
    ]  # fmt: skip


def bare(data_dir: Path, log: Path, *, workers: int) -> Server:
    """The Python ceiling (``benchmarks/bare_app.py``) under near-kg's Granian settings."""
    port = free_port()
    command = granian_settings(workers)
    command += ["--host", "127.0.0.1", "--port", str(port), "benchmarks.bare_app:app"]
    env = {**os.environ, "NEARKG_DATA_DIR": str(data_dir)}
    return Server(command, port, "/healthz", log, env)


TRIFID = REPO / "benchmarks" / "trifid"


def trifid(log: Path, sparql_endpoint: str) -> Server:
    """Trifid (npm ``trifid``, installed under benchmarks/trifid by ``npm ci`` there) with
    benchmarks/trifid/config.yaml: its host mapped onto the dataset base, the entity renderer
    querying ``sparql_endpoint``."""
    server_js = TRIFID / "node_modules" / "trifid" / "server.js"
    if not server_js.exists():
        raise FileNotFoundError(f"{server_js}: run `npm ci` in {TRIFID}")
    port = free_port()
    command = ["node", str(server_js), "-c", "config.yaml", "-p", str(port)]
    env = {**os.environ, "SPARQL_ENDPOINT_URL": sparql_endpoint, "NODE_ENV": "production"}
    # any answer says it is up; not "/", which Trifid answers by listing everything under the
    # dataset base (a minute at 100k triples)
    server = Server(command, port, "/.well-known/bench-ready", log, env, cwd=TRIFID)
    server.any_status = True
    return server


def rdflib_endpoint(data_dir: Path, log: Path) -> Server:
    """rdflib-endpoint (PyPI) serving the data's Turtle files in one rdflib dataset (the
    default graph is the union), its SPARQL endpoint at ``/``."""
    port = free_port()
    files = [str(p) for p in sorted((data_dir / "data/turtle").rglob("*.ttl"))]
    command = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), *files]
    return Server(command, port, "/?query=ASK%7B%7D", log)


def push_turtle(server: Server, path: Path, graph: str) -> None:
    """POST one Turtle file into a named graph of Oxigraph server (Graph Store Protocol)."""
    url = f"{server.url}/store?{urllib.parse.urlencode({'graph': graph})}"
    with open(path, "rb") as body:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "text/turtle", "Content-Length": str(path.stat().st_size)},
        )
        with urllib.request.urlopen(request, timeout=600) as answer:
            answer.read()


def _cpu_seconds(pid: int) -> float:
    try:  # utime and stime: the 14th and 15th fields, counted after the command's ")"
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pss_mb(pid: int) -> float:
    return proc_kb_field_mb(f"/proc/{pid}/smaps_rollup", "Pss:")
