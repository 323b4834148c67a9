"""Errors from remote stores and SERVICE targets say what failed, never what the other side
sent (issue 16): a body may carry anything, a redirect names a place we did not choose. A real
listener on loopback answers with a secret in its body or in a redirect's Location."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote

import pytest

from loaders.backends.http import Endpoints, RemoteStoreError, SparqlClient

from .sparql_support import call, start

SECRET = "SECRET-7f3a"


class Hostile(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if "redirect" in self.path:
            self.send_response(302)
            self.send_header("Location", f"http://{SECRET}.invalid/{SECRET}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"internal detail {SECRET}".encode()
        status = 400 if "bad" in self.path else 500
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client(url: str) -> SparqlClient:
    return SparqlClient(Endpoints(query=url, update=url, gsp=url, user=None, password=None))


@pytest.mark.parametrize("path", ["/fail", "/bad", "/redirect"])
def test_a_remote_store_error_does_not_echo_its_body_or_redirect(hostile, path):
    with pytest.raises((RemoteStoreError, SyntaxError)) as raised:
        client(hostile + path).query("ASK {}", accept="application/sparql-results+json")
    assert SECRET not in str(raised.value)
    with pytest.raises(RemoteStoreError) as raised:
        client(hostile + path).update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert SECRET not in str(raised.value)
    assert "failed" in str(raised.value)


@pytest.mark.server
def test_a_service_error_does_not_echo_its_body_or_redirect(hostile, tmp_path):
    host = hostile.removeprefix("http://")
    server = start(tmp_path, env={"NEARKG_FEDERATION_ALLOW": host})
    try:
        for path in ["/fail", "/bad", "/redirect"]:
            text = f"SELECT * WHERE {{ SERVICE <{hostile}{path}> {{ ?s ?p ?o }} }}"
            reply = call(server.url, "GET", "/sparql?query=" + quote(text))
            assert reply.status == 400, reply.body[:300]
            assert SECRET.encode() not in reply.body
            assert b"what that host answered is not shown" in reply.body
    finally:
        server.stop()
