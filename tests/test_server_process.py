"""A real ``nearkg serve`` process on 127.0.0.1, and ``nearkg load`` publishing to it."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import REPO, nearkg, write_dataset

pytestmark = pytest.mark.server


def healthz(server) -> dict:
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        return json.load(response)


def nearkg_load(dataset, store):
    return nearkg("load", "--data-dir", str(dataset), "--store", str(store))


def test_serve_answers_and_a_failed_load_keeps_the_served_data(
    tiny_dataset, tmp_path, start_server
):
    store = tmp_path / "store"
    env = {"NEARKG_RELOAD_CHECK_SECONDS": "0.2"}
    server = start_server(
        "--data-dir", str(tiny_dataset), "--store", str(store), "--workers", "2", env=env
    )
    before = healthz(server)["triples"]
    assert before > 0

    write_dataset(tiny_dataset, {"data/turtle/bad.ttl": "@prefix ex: <http://ex/> .\nex:a ex:b ."})
    failed = nearkg_load(tiny_dataset, store)
    assert failed.returncode == 2
    assert "data/turtle/bad.ttl:2:" in failed.stderr
    time.sleep(0.5)
    for _ in range(4):  # several requests: both workers keep the old data
        assert healthz(server)["triples"] == before

    write_dataset(
        tiny_dataset, {"data/turtle/bad.ttl": "<http://ex/a> <http://ex/b> <http://ex/c> ."}
    )
    assert nearkg_load(tiny_dataset, store).returncode == 0
    deadline = time.monotonic() + 10
    seen = set()
    while time.monotonic() < deadline:
        seen = {healthz(server)["triples"] for _ in range(4)}
        if seen == {before + 1}:
            break
        time.sleep(0.2)
    assert seen == {before + 1}


def test_serve_in_memory_uses_the_real_data(start_server):
    if not any((REPO / "data" / "turtle").glob("**/*.ttl")):
        pytest.fail("the repository has no data under data/turtle")
    server = start_server()
    assert healthz(server)["triples"] > 1000
    with urllib.request.urlopen(server.url + "/", timeout=5) as response:
        assert response.status == 200


@pytest.mark.parametrize("server_name", ["granian", "gunicorn"])
def test_both_http_servers_serve_the_same_answers(tiny_dataset, start_server, server_name):
    """``--server``: the same requests get the same answers from Granian and gunicorn,
    repeats included (those come from the front cache), with two workers."""
    server = start_server(
        "--data-dir", str(tiny_dataset), "--workers", "2", "--server", server_name, "--access-log",
        "--verbose",  # the HTTP servers' own start-up lines say which one runs
    )  # fmt: skip
    log = server.log_path.read_text()
    assert ("Starting granian" in log) == (server_name == "granian")
    assert ("Starting gunicorn" in log) == (server_name == "gunicorn")
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1"
    long_query = "# " + "x" * 20_000 + "\n" + query  # a long GET URL, as rdflib sends
    answers = []
    for _ in range(3):
        for path in (
            "/doc/region/JP-32.ttl",
            "/sparql?" + urllib.parse.urlencode({"query": query}),
            "/sparql?" + urllib.parse.urlencode({"query": long_query}),
        ):
            request = urllib.request.Request(
                server.url + path,
                headers={"Accept": "text/turtle, application/sparql-results+json"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                answers.append((path, response.status, response.read()))
        head = urllib.request.Request(server.url + "/doc/region/JP-32.ttl", method="HEAD")
        with urllib.request.urlopen(head, timeout=10) as response:
            assert response.status == 200 and response.read() == b""
            assert int(response.headers["Content-Length"]) == len(answers[0][2])
    assert len(set(answers)) == 3  # three paths, each answered alike every time
    assert all(status == 200 for _, status, _ in answers)
    assert b"JP-32" in answers[0][2]
    assert_logged(server, "/doc/region/JP-32.ttl")


def assert_logged(server, path: str, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds  # the log is written by the worker, a moment later
    while path not in server.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path in server.log_path.read_text()


def test_no_access_log_unless_asked(tiny_dataset, start_server):
    server = start_server("--data-dir", str(tiny_dataset))
    with urllib.request.urlopen(server.url + "/doc/region/JP-32.ttl", timeout=10) as response:
        assert response.status == 200
    time.sleep(0.5)
    assert "/doc/region/JP-32.ttl" not in server.log_path.read_text()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_environment_variables_do_not_become_request_headers(tiny_dataset, start_server):
    """Granian copies the process environment into every request's WSGI environ: variables
    named like request headers must not reach the app as headers ("httpoxy")."""
    server = start_server(
        "--data-dir", str(tiny_dataset),
        env={"HTTP_ACCEPT": "text/html", "HTTP_PROXY": "http://127.0.0.1:9/"},
    )  # fmt: skip
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
    asked = urllib.request.Request(server.url + "/id/region/JP-32")  # no Accept header
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(asked, timeout=10)
    assert answer.value.code == 303
    assert answer.value.headers["Location"].endswith("/doc/region/JP-32.ttl")
