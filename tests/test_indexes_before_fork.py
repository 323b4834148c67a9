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


def _country_pages_in_a_forked_worker(app, paths: list[str]) -> dict:
    """Fork as a server's master does; the child answers ``paths`` and reports the pages and
    how many orders of incoming statements it had to make itself."""
    from service.linked_data import incoming_links

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            os.close(read)
            made = []
            order = incoming_links.Incoming.order

            def counted(self, lang, order_key):
                made.extend([] if lang in self._orders else [(self.iri, lang)])
                return order(self, lang, order_key)

            incoming_links.Incoming.order = counted  # type: ignore[method-assign]
            client = app.test_client()
            pages = {path: client.get(path).get_data(as_text=True) for path in paths}
            os.write(write, json.dumps({"made": made, "pages": pages}).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        chunks = []
        while chunk := pipe.read(1 << 16):
            chunks.append(chunk)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks) or b"{}")


def test_much_linked_things_are_read_and_ordered_before_the_fork(monkeypatch):
    """The statements pointing to a much-linked thing (a country at a million triples: up to
    1.8 s a page in each worker) are read and ordered in every language in the master; a
    worker's pages are the same as when it reads them itself."""
    from service.linked_data import entity_page, incoming_links

    # NEAR's countries have dozens of incoming statements, not hundreds: lower the bar
    monkeypatch.setattr(incoming_links, "KEPT_FROM", 20)
    monkeypatch.setattr(entity_page, "KEPT_FROM", 20)
    paths = [
        f"/doc/country/{code}.html{query}"
        for code in ("JP", "CN", "RU")
        for query in ("", "?lang=ja", "?lang=ru&page=2")
    ]
    lazy = _country_pages_in_a_forked_worker(make_app(cache_bytes=0), paths)
    app = make_app(cache_bytes=0)
    build_shared_indexes(app.extensions["nearkg_store"])  # what `nearkg serve` does
    prepared = _country_pages_in_a_forked_worker(app, paths)
    # (JP and RU have more than 20; CN fewer, read on each page either way)
    assert {iri.rsplit("/", 1)[1] for iri, _ in lazy["made"]} == {"JP", "RU"}
    assert prepared["made"] == []  # every language's order was made before the fork
    assert prepared["pages"] == lazy["pages"]
    assert "Linked from" in lazy["pages"]["/doc/country/JP.html"]
