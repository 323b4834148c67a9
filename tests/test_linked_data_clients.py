"""Real clients against a real ``nearkg serve`` process: rdflib follows the 303 and parses
what it gets; ``rapper -g -c`` (raptor2-utils) counts the triples; Jena-style and browser
fetches with urllib see absolute Locations."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import pytest
import rdflib

from .conftest import require
from .linked_data_fixture import make_dataset

pytestmark = [pytest.mark.server]


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    import os

    from .conftest import ServerProcess, free_port

    root = make_dataset(tmp_path_factory.mktemp("served"))
    env = {**os.environ, "NEARKG_DATA_DIR": str(root)}
    port = free_port()
    log = tmp_path_factory.mktemp("log") / "server.log"
    process = ServerProcess(["--workers", "1"], env, port, log)
    request.addfinalizer(process.stop)
    process.wait_ready()
    return process


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_rdflib_parses_a_thing_uri_through_the_303(server):
    graph = rdflib.Graph().parse(f"{server.url}/id/region/JP-32")
    thing = rdflib.URIRef("https://w3id.org/near/id/region/JP-32")
    assert (thing, None, None) in graph
    assert len(graph) > 10


@pytest.mark.parametrize("rdflib_format", ["turtle", "xml", "nt", "json-ld"])
def test_rdflib_with_an_explicit_format_gets_that_format(server, rdflib_format):
    graph = rdflib.Graph().parse(f"{server.url}/id/government/JP-32", format=rdflib_format)
    assert (rdflib.URIRef("https://w3id.org/near/id/government/JP-32"), None, None) in graph


def test_the_303_has_an_absolute_location_and_vary(server):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(
        f"{server.url}/id/region/JP-32", headers={"Accept": "text/turtle"}
    )
    try:
        opener.open(request, timeout=10)
        raise AssertionError("expected a 303")
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
        assert answer.headers["Location"] == f"{server.url}/doc/region/JP-32.ttl"
        assert "Accept" in answer.headers["Vary"]


@pytest.mark.optional
def test_rapper_counts_triples_through_the_303(server):
    require("rapper", shutil.which("rapper") is not None, "apt-get install raptor2-utils")
    result = subprocess.run(
        ["rapper", "-g", "-c", f"{server.url}/id/region/JP-32"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "rapper: Parsing returned" in result.stderr
    count = int(result.stderr.split("Parsing returned")[1].split()[0])
    assert count > 10


@pytest.mark.optional
@pytest.mark.parametrize("syntax", ["turtle", "ntriples", "rdfxml"])
def test_rapper_parses_each_format_it_knows(server, syntax):
    require("rapper", shutil.which("rapper") is not None, "apt-get install raptor2-utils")
    suffix = {"turtle": "ttl", "ntriples": "nt", "rdfxml": "rdf"}[syntax]
    result = subprocess.run(
        ["rapper", "-i", syntax, "-c", f"{server.url}/doc/government/JP-32.{suffix}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Parsing returned" in result.stderr
