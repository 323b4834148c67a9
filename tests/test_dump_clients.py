"""The dumps as real clients fetch them: rapper reads the uncompressed N-Quads from its URL,
curl resumes a cut download (``curl -C -``: a Range request, answered 206), gets the whole
file for several ranges and the file's length for a range past its end."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import require
from .sparql_support import start

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("dumps"))
    yield server
    server.stop()


@pytest.mark.optional
def test_rapper_reads_the_nquads_dump_from_its_url(server):
    require("rapper (raptor2-utils)", shutil.which("rapper") is not None)
    result = subprocess.run(
        ["rapper", "-i", "nquads", "-c", server.url + "/dumps/near-kg.nq"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count = int(result.stderr.split("returned")[1].split()[0])
    assert count > 1000


def test_curl_resumes_a_cut_download(server, tmp_path):
    url = server.url + "/dumps/near-kg.nq.gz"
    whole = tmp_path / "whole.nq.gz"
    subprocess.run(["curl", "-sf", "-o", str(whole), url], check=True, timeout=60)
    cut = tmp_path / "cut.nq.gz"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 3])
    resumed = subprocess.run(
        ["curl", "-sf", "-C", "-", "-o", str(cut), "-w", "%{http_code}", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == "206"
    assert cut.read_bytes() == whole.read_bytes()


def test_curl_asking_for_several_ranges_or_past_the_end(server, tmp_path):
    # several ranges: the whole file with 200 (a server may ignore Range); past the end: 416
    # naming the file's length, so the client knows where the end is
    url = server.url + "/dumps/near-kg.nq"
    whole = tmp_path / "whole.nq"
    subprocess.run(["curl", "-sf", "-o", str(whole), url], check=True, timeout=60)
    size = len(whole.read_bytes())

    def curl(byte_range: str) -> tuple[str, bytes, str]:
        body, head = tmp_path / "body", tmp_path / "head"
        written = ["-D", str(head), "-o", str(body), "-w", "%{http_code}"]
        status = subprocess.run(
            ["curl", "-s", "-r", byte_range, *written, url],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        return status, body.read_bytes(), head.read_text().lower()

    status, body, _ = curl("0-9,20-29")
    assert status == "200" and body == whole.read_bytes()
    status, _, head = curl("999999999-")
    assert status == "416"
    assert f"content-range: bytes */{size}" in head.splitlines()
