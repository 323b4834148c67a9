"""Shared fixtures: small datasets on disk, the app (``make_app``, ``app``, ``client``), the
command line (``runner``), and real server processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask

from loaders.settings import Settings
from loaders.store import KnowledgeStore

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"

TINY_ONTOLOGY = """@prefix near: <https://w3id.org/near/def#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
near:Region a owl:Class ; rdfs:label "Region"@en .
"""
TINY_DATA = """@prefix near: <https://w3id.org/near/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/near/id/region/JP-32> a near:Region ;
    skos:prefLabel "Shimane Prefecture"@en, "島根県"@ja ;
    near:iso3166_2 "JP-32" .
"""
TINY_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix near: <https://w3id.org/near/def#> .
<https://w3id.org/near/def#RegionShape> a sh:NodeShape ; sh:targetClass near:Region .
"""


def nearkg(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run the real ``nearkg`` command in a subprocess (stdout and stderr captured as text)."""
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env={**os.environ, **(env or {})},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def require(component: str, available: bool, why: str = "") -> None:
    """Skip when an optional component is missing, but fail in CI (CI=true)."""
    if available:
        return
    message = f"{component} is not available{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: optional components must be present)")
    pytest.skip(message)


def write_dataset(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tiny_dataset(tmp_path) -> Path:
    """A minimal dataset: one ontology, one data and one shapes file."""
    return write_dataset(
        tmp_path / "dataset",
        {
            "ontology/near.ttl": TINY_ONTOLOGY,
            "data/turtle/regions.ttl": TINY_DATA,
            "shapes/near.ttl": TINY_SHAPES,
        },
    )


@pytest.fixture
def real_dataset(tmp_path) -> Path:
    """A copy of the repository's real data, safe to modify."""
    target = tmp_path / "real"
    for folder in ("ontology", "data", "shapes", "sparql"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture
def tiny_settings(tiny_dataset) -> Settings:
    return Settings.from_env({}, data_dir=tiny_dataset)


def make_app(
    data_dir: Path | None = None,
    *,
    validator: bool = False,
    allow_invalid: bool = False,
    **settings: object,
) -> Flask:
    """The app on a loaded store of ``data_dir`` (default: the repository's data), with
    ``Settings`` fields overridden by keyword; validated at load only with ``validator``."""
    from service.app import create_app

    configured = Settings.from_env({}, **({"data_dir": data_dir} if data_dir else {}), **settings)
    store = KnowledgeStore(configured, validator=validator)
    store.reload(allow_invalid=allow_invalid)
    app = create_app(configured, store=store)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def app(tiny_dataset) -> Flask:
    """The app on the tiny dataset (a module wanting another dataset calls ``make_app``)."""
    return make_app(tiny_dataset)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """Runs ``nearkg`` commands in this process (``runner.invoke(main, [...])``)."""
    return CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``nearkg serve`` in a real process on 127.0.0.1; stopped by its PID."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(port), *args],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )

    def wait_ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server not ready in {seconds} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()


@pytest.fixture
def start_server(tmp_path):
    started: list[ServerProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ServerProcess:
        full_env = {**os.environ, **(env or {})}
        port = free_port()
        server = ServerProcess(list(args), full_env, port, tmp_path / f"server-{port}.log")
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()


# real SPARQL stores (session-wide) and the `backend` fixture over every backend
from .backends import backend, remote_name  # noqa: E402, F401
from .stores import oxigraph_server, virtuoso_server  # noqa: E402, F401


@pytest.fixture(scope="module")
def recorder():
    """A loopback listener that records every connection made to it (no connection: proof)."""
    from .connection_recorder import recording

    with recording() as listener:
        yield listener


# a resource's own triples (one level of blank nodes) and those pointing to it, in the data
# (what the entity documents show, asked through the store's public query())
DESCRIBE = """
    CONSTRUCT { ?this ?p ?o . ?o ?bp ?bo . ?s ?ip ?this }
    WHERE {
      { ?this ?p ?o OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo } }
      UNION { ?s ?ip ?this }
    }"""


def describe(store, iri: str) -> list:
    data = [g.value for g in store.snapshot.union_graphs]
    return list(
        store.query(DESCRIBE, substitutions={"this": ox.NamedNode(iri)}, default_graph=data)
    )


def exists(store, iri: str) -> bool:
    return bool(store.query("ASK { ?this ?p ?o }", substitutions={"this": ox.NamedNode(iri)}))
