"""The name matcher of /search, /suggest and /reconcile is built in the master before the
workers fork (issue 21 follow-up), as the entity index is: the first /suggest after a start
finds it built. A real fork of the app, and a real ``nearkg serve``."""

from __future__ import annotations

import json
import os

import pytest
import requests

from service.app import build_shared_indexes
from service.linked_data.name_finder import finder

from .conftest import make_app
from .linked_data_fixture import make_dataset
from .sparql_support import start


def _suggest_in_a_forked_worker(app) -> dict:
    """Fork as a server's master does; the child answers one /suggest and reports how many
    times it built the matcher, and what it answered."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            os.close(read)
            before = finder.builds
            reply = app.test_client().get("/suggest", query_string={"q": "Shimane"})
            report = {
                "matcher_builds": finder.builds - before,
                "status": reply.status_code,
                "results": reply.get_json()["results"],
            }
            os.write(write, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        report = json.loads(pipe.read() or b"{}")
    os.waitpid(pid, 0)
    return report


@pytest.mark.parametrize("prepared", [True, False], ids=["built-before-fork", "lazy"])
def test_the_first_suggest_in_a_worker_builds_no_matcher(tmp_path, prepared):
    app = make_app(make_dataset(tmp_path / "data"))
    store = app.extensions["nearkg_store"]
    if prepared:
        build_shared_indexes(store)  # what `nearkg serve` does before it forks
    report = _suggest_in_a_forked_worker(app)
    assert report["status"] == 200
    assert any("JP-32" in hit["iri"] for hit in report["results"])
    # built in the master: the worker uses it; not built: the worker's first request builds it
    assert report["matcher_builds"] == (0 if prepared else 1)


def test_a_started_server_answers_the_first_suggest(tmp_path):
    data = make_dataset(tmp_path / "data")
    server = start(tmp_path, "--data-dir", str(data), "--workers", "2")
    try:
        reply = requests.get(server.url + "/suggest", params={"q": "Shimane"}, timeout=30)
        assert reply.status_code == 200
        assert any("JP-32" in hit["iri"] for hit in reply.json()["results"])
    finally:
        server.stop()
