"""``nearkg serve`` starts quietly: its own banner (where it serves; whether the query
processes are sandboxed) and nothing else, unless ``--verbose`` asks for the HTTP server's
start-up messages too."""

from __future__ import annotations

import os
import urllib.request

import pytest

from .conftest import ServerProcess, free_port

pytestmark = [pytest.mark.server]


def started_output(tmp_path, *args: str) -> list[str]:
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    server = ServerProcess(list(args), dict(os.environ), port, log)
    try:
        server.wait_ready()
        with urllib.request.urlopen(server.url + "/favicon.ico", timeout=10) as response:
            assert response.headers["Content-Type"].startswith("image/svg+xml")
    finally:
        server.stop()
    return [line for line in log.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("server_name", ["granian", "gunicorn"])
def test_serve_prints_only_its_banner(tmp_path, server_name):
    lines = started_output(tmp_path, "--server", server_name)
    assert all(line.startswith("near-kg: ") for line in lines), lines  # ours, nothing else
    # the sandbox, the workers' memory, then the data and the address
    assert len(lines) <= 3 and "http://127.0.0.1:" in lines[-1], lines


def test_verbose_serve_shows_the_http_servers_messages(tmp_path):
    lines = started_output(tmp_path, "--verbose")
    assert any(not line.startswith("near-kg: ") for line in lines), lines
