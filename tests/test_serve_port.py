"""`nearkg serve` refuses a port in use, in one line and with exit code 5, instead of joining
the other server's SO_REUSEPORT group (one address, two datasets) or printing a backtrace."""

from __future__ import annotations

import socket

import pytest

from .conftest import nearkg
from .sparql_support import call, start


def assert_refused(result, port: int) -> None:
    assert result.returncode == 5, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0]


@pytest.mark.server
def test_a_second_server_on_a_busy_port_is_refused(tiny_dataset, tmp_path):
    first = start(tmp_path, "--data-dir", str(tiny_dataset))
    try:
        second = nearkg("serve", "--data-dir", str(tiny_dataset), "--port", str(first.port),
                        timeout=60)  # fmt: skip
        assert_refused(second, first.port)
        assert call(first.url, "GET", "/healthz").status == 200
    finally:
        first.stop()


def test_a_port_held_by_another_program_is_refused(tiny_dataset):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = nearkg("serve", "--data-dir", str(tiny_dataset), "--port", str(port), timeout=60)
    assert_refused(result, port)
