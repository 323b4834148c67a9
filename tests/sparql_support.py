"""Helpers for the SPARQL tests: a module-wide server, the W3C protocol manifest, HTTP calls."""

from __future__ import annotations

import http.client
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pyoxigraph as ox
import rdflib

from .conftest import REPO, SHARED, ServerProcess, free_port, require

# The W3C SPARQL 1.1 test manifests: beside the clone (../shared/), or where NEARKG_W3C_TESTS says
W3C = Path(os.environ.get("NEARKG_W3C_TESTS") or SHARED / "w3c-sparql11-tests")
TOKEN = "test-token-0123456789"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR = RESULT_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def start(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> ServerProcess:
    server = ServerProcess(
        list(args), {**os.environ, **(env or {})}, free_port(), tmp_path / "server.log"
    )
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def boolean(self) -> bool:
        if self.media_type == "application/sparql-results+json":
            return json.loads(self.body)["boolean"]
        if self.media_type == "application/sparql-results+xml":
            root = ElementTree.fromstring(self.body)
            node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
            return node.text.strip() == "true"
        raise AssertionError(f"not a boolean result: {self.media_type}")

    def graph(self) -> rdflib.Graph:
        graph = rdflib.Graph()
        graph.parse(data=self.body, format=RDF_TYPES[self.media_type])
        list(ox.parse(self.body, ox.RdfFormat.from_media_type(self.media_type)))
        return graph


def call(url: str, method: str, path: str, body: bytes | None = None, headers=None) -> Reply:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        data = response.read()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        return well_formed(reply)
    finally:
        conn.close()


def well_formed(reply: Reply) -> Reply:
    """The reply, after checking that a 200 in XML parses as XML: a client's parser stops at
    what XML 1.0 cannot hold ("not well-formed"), which a 200 must never carry."""
    if reply.status == 200 and reply.body and reply.media_type.endswith("xml"):
        ElementTree.fromstring(reply.body)
    return reply


@dataclass
class HttpStep:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4
    boolean: bool | None
    format: str | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)
    steps: list[HttpStep] = field(default_factory=list)


def manifest_path(folder: str) -> Path:
    path = W3C / folder / "manifest.ttl"
    require("the W3C SPARQL 1.1 test manifests", path.is_file(), f"{path} is missing")
    return path


def protocol_tests() -> list[ProtocolTest]:
    """Every test of protocol/manifest.ttl, in manifest order (empty if the folder is missing:
    the caller's ``require`` fails in CI)."""
    path = W3C / "protocol" / "manifest.ttl"
    if not path.is_file():
        return []
    g = rdflib.Graph().parse(path, format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    entries = rdflib.collection.Collection(g, g.value(manifest, MF.entries))
    tests = []
    for entry in entries:
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
        for data in g.objects(entry, UT.graphData):
            test.graph_data.append(
                (
                    Path(str(g.value(data, UT.graph)).removeprefix("file://")),
                    str(g.value(data, rdflib.RDFS.label)),
                )
            )
        action = g.value(entry, MF.action)
        for request in rdflib.collection.Collection(g, g.value(action, HT.requests)):
            test.steps.append(_step(g, request))
        tests.append(test)
    return tests


def _step(g: rdflib.Graph, request) -> HttpStep:
    headers = {}
    header_list = g.value(request, HT.headers)
    if header_list is not None:
        for header in rdflib.collection.Collection(g, header_list):
            headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
    body = None
    body_node = g.value(request, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
    response = g.value(request, HT.resp)
    statuses = {int(str(s)[len(HTS)]) for s in g.objects(response, MF.expectedStatus)}
    expected = g.value(response, MF.expectedBoolean)
    fmt = g.value(response, MF.expectedFormat)
    return HttpStep(
        str(g.value(request, HT.methodName)),
        str(g.value(request, HT.absolutePath)),
        headers,
        body,
        statuses,
        None if expected is None else bool(expected.toPython()),
        None if fmt is None else str(fmt),
    )


def load_graph_data(url: str, graph_data: list[tuple[Path, str]]) -> None:
    """Load a test's ``ut:graphData`` with SPARQL Update (how the manifest expects it)."""
    for path, graph in graph_data:
        source = path if path.is_absolute() else W3C / "protocol" / path.name
        triples = io.BytesIO()
        ox.serialize(
            ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES),
            triples,
            ox.RdfFormat.N_TRIPLES,
        )
        update = (
            f"DROP SILENT GRAPH <{graph}> ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{ {triples.getvalue().decode()} }} }}"
        )
        reply = call(
            url,
            "POST",
            "/sparql",
            update.encode(),
            {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        )
        assert reply.status == 204, reply.body


__all__ = ["REPO", "protocol_tests", "call", "start", "load_graph_data", "manifest_path"]
