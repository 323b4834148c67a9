"""Stateless replicas: two real ``nearkg serve`` processes (two gunicorn workers each) over one
remote store; ``nearkg load --to`` publishes, and both switch to the new version."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from .conftest import nearkg, write_dataset

pytestmark = pytest.mark.server


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_replicas_over_one_store_follow_a_load(request, remote_name, tiny_dataset, start_server):
    server = request.getfixturevalue(f"{remote_name}_server")
    env = {**server.environment(), "NEARKG_RELOAD_CHECK_SECONDS": "0.2"}

    def load() -> subprocess.CompletedProcess:
        return nearkg("load", "--data-dir", str(tiny_dataset), env=env)

    first = load()
    assert first.returncode == 0, first.stdout + first.stderr
    replicas = [
        start_server("--data-dir", str(tiny_dataset), "--workers", "2", env=env) for _ in range(2)
    ]
    versions = {get_json(r.url + "/healthz")["data_version"] for r in replicas}
    assert len(versions) == 1
    log = replicas[0].log_path.read_text()
    assert "in the SPARQL store at" in log and "cannot stop the query in the store" in log

    write_dataset(tiny_dataset, {"data/turtle/more.ttl": "<http://ex/a> <http://ex/b> 1 .\n"})
    second = load()
    assert second.returncode == 0, second.stdout + second.stderr
    # the data and ontology graphs (the default graph also holds the VoID the load makes)
    graphs = ("ontology/near", "data/regions", "data/more")
    query = urllib.parse.urlencode(
        [("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")]
        + [("default-graph-uri", f"https://w3id.org/near/graph/{g}") for g in graphs]
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        seen = [get_json(r.url + "/healthz")["data_version"] for r in replicas for _ in range(4)]
        if len(set(seen)) == 1 and seen[0] not in versions:
            break
        time.sleep(0.2)
    assert len(set(seen)) == 1 and seen[0] not in versions  # every worker of every replica
    counts = {
        get_json(f"{r.url}/sparql?{query}")["results"]["bindings"][0]["n"]["value"]
        for r in replicas
    }
    assert counts == {"7"}
