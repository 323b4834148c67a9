"""Real SPARQL stores on 127.0.0.1 for the remote-backend tests: Oxigraph server and Virtuoso.

Each launcher starts the store in its own temporary folder on free loopback ports, waits a
bounded time for its SPARQL endpoint to answer, and is stopped by the PID it started.
"""

from __future__ import annotations

import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

VIRTUOSO_BINARY = "virtuoso-t"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command that ``pip install oxigraph`` puts next to the Python binary."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which(VIRTUOSO_BINARY)


@dataclass
class StoreProcess:
    """A store server we started: its endpoints, and how to stop it (by PID)."""

    name: str
    process: subprocess.Popen
    folder: Path
    log_path: Path
    query: str
    update: str | None = None
    gsp: str | None = None
    user: str | None = None
    password: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        """The ``NEARKG_SPARQL_*`` variables that point near-kg at this store."""
        values = {
            "NEARKG_SPARQL_ENDPOINT": self.query,
            "NEARKG_SPARQL_UPDATE_ENDPOINT": self.update,
            "NEARKG_SPARQL_GSP_ENDPOINT": self.gsp,
            "NEARKG_SPARQL_USER": self.user,
            "NEARKG_SPARQL_PASSWORD": self.password,
        }
        return {k: v for k, v in values.items() if v}

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        probe = self.query + "?query=" + urllib.request.quote("ASK {}")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log()}")
            try:
                request = urllib.request.Request(
                    probe, headers={"Accept": "application/sparql-results+json"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {seconds} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _spawn(args: list[str], folder: Path, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 - the child owns it; closed when we exit
    try:
        return subprocess.Popen(args, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def start_oxigraph(folder: Path, *, wait: float = 30.0) -> StoreProcess:
    """``oxigraph serve`` on a fresh on-disk store; query /query, update /update, GSP /store."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("oxigraph (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = _spawn(
        [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
        folder,
        folder / "oxigraph.log",
    )
    store = StoreProcess(
        "oxigraph",
        process,
        folder,
        folder / "oxigraph.log",
        query=f"{url}/query",
        update=f"{url}/update",
        gsp=f"{url}/store",
    )
    store.wait_ready(wait)
    return store


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., {dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 200M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxSortedTopRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultGraph =
"""


def start_virtuoso(folder: Path, *, wait: float = 90.0) -> StoreProcess:
    """``virtuoso-t +foreground`` with its own database in ``folder``; dba/dba (a fresh DB).

    Queries go to /sparql; updates and the Graph Store Protocol to the digest-authenticated
    /sparql-auth and /sparql-graph-crud-auth as dba (no grants are changed)."""
    binary = virtuoso_binary()
    if binary is None:
        raise FileNotFoundError("virtuoso-t (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    process = _spawn(
        [binary, "+foreground", "+configfile", str(ini)], folder, folder / "virtuoso.out"
    )
    url = f"http://127.0.0.1:{http_port}"
    store = StoreProcess(
        "virtuoso",
        process,
        folder,
        folder / "virtuoso.log",
        query=f"{url}/sparql",
        update=f"{url}/sparql-auth",
        gsp=f"{url}/sparql-graph-crud-auth",
        user="dba",
        password="dba",  # noqa: S106 - the default of a fresh, loopback-only test database
    )
    store.wait_ready(wait)
    return store


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 in front of a store that forwards every connection, except
    that it closes, without an answer, any connection whose request (first 256 KiB) contains
    ``victim``: a store connection killed in the middle of a load."""

    def __init__(self, target_port: int, victim: bytes) -> None:
        self.target_port = target_port
        self.victim = victim
        self.cut = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.5)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, store_url: str) -> str:
        """``store_url`` with its port replaced by this proxy's."""
        parsed = urllib.parse.urlsplit(store_url)
        return parsed._replace(netloc=f"127.0.0.1:{self.port}").geturl()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(30)
        with client:
            head = self._read_request(client)
            if self.victim in head:
                self.cut += 1
                return  # closed without a byte of answer
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=30) as up:
                up.sendall(head)
                self._pump(client, up)

    @staticmethod
    def _read_request(client: socket.socket) -> bytes:
        data = b""
        deadline = time.monotonic() + 10
        while len(data) < 256 * 1024 and time.monotonic() < deadline:
            header_end = data.find(b"\r\n\r\n")
            if header_end >= 0:
                length = 0
                for line in data[:header_end].split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if len(data) >= header_end + 4 + min(length, 256 * 1024):
                    break
            chunk = client.recv(65536)
            if not chunk:
                break
            data += chunk
        return data

    @staticmethod
    def _pump(client: socket.socket, up: socket.socket) -> None:
        """Copy the rest of the request up and the answer down until the answer ends."""
        sockets = [client, up]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            readable, _, _ = select.select(sockets, [], [], 1.0)
            for sock in readable:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                (up if sock is client else client).sendall(chunk)

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(timeout=5)


# -- pytest fixtures (imported by tests/conftest.py) ---------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    from .conftest import require

    require("oxigraph server", oxigraph_binary() is not None, "pip install oxigraph")
    store = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield store
    store.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    from .conftest import require

    require("Virtuoso", virtuoso_binary() is not None, "apt-get install virtuoso-opensource")
    store = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield store
    store.stop()
