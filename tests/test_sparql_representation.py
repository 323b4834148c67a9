"""What real clients see of /sparql's representations: charsets, aliases, format families,
Vary, refusals with a body, cut answers flagged where clients look (requests, rdflib,
SPARQLWrapper and curl against a real ``nearkg serve``)."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
from xml.dom import minidom

import pytest
import rdflib
import requests
from SPARQLWrapper import JSON, N3, XML, SPARQLWrapper

from .sparql_support import start

pytestmark = pytest.mark.server
LIMIT = 40  # NEARKG_RESULT_LIMIT of this server: the dataset has far more triples
SHIMANE = "https://w3id.org/near/id/region/JP-32"
CONSTRUCT_LABELS = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    f"CONSTRUCT {{ <{SHIMANE}> skos:prefLabel ?l }} WHERE {{ <{SHIMANE}> skos:prefLabel ?l }}"
)
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(
        tmp_path_factory.mktemp("representation"), env={"NEARKG_RESULT_LIMIT": str(LIMIT)}
    )
    yield server
    server.stop()


def sparql_url(server, query: str, **params) -> str:
    return server.url + "/sparql?" + urllib.parse.urlencode({"query": query, **params})


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", None])
def test_requests_decodes_japanese_labels_of_a_construct(server, accept):
    headers = {"Accept": accept} if accept else {}
    reply = requests.get(sparql_url(server, CONSTRUCT_LABELS), headers=headers, timeout=30)
    assert reply.status_code == 200
    assert reply.encoding.lower() == "utf-8"
    assert "島根県" in reply.text


def test_requests_decodes_the_service_description_as_utf8(server):
    reply = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_rdflib_parses_a_construct_as_ntriples_through_text_plain(server):
    # rdflib asks for format="nt" with Accept: text/plain (N-Triples' first media type)
    graph = rdflib.Graph().parse(sparql_url(server, CONSTRUCT_LABELS), format="nt")
    labels = {str(o) for o in graph.objects(rdflib.URIRef(SHIMANE), rdflib.SKOS.prefLabel)}
    assert "島根県" in labels


def test_sparqlwrapper_n3_with_an_ntriples_accept_gets_ntriples(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(CONSTRUCT_LABELS)
    client.setReturnFormat(N3)  # sends format=n3&output=n3&results=n3
    client.addCustomHttpHeader("Accept", "application/n-triples")
    reply = client.query().response
    assert reply.headers["Content-Type"] == "application/n-triples; charset=utf-8"
    assert "Accept" in reply.headers["Vary"]
    graph = rdflib.Graph().parse(data=reply.read().decode(), format="nt")
    assert len(graph) >= 2


def test_a_family_name_alone_gets_its_first_member(server):
    reply = requests.get(sparql_url(server, CONSTRUCT_LABELS, format="n3"), timeout=30)
    assert reply.headers["Content-Type"] == "text/turtle; charset=utf-8"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/plain", "application/n-triples"),
        ("text/n3", "text/turtle"),
        ("application/xml", "application/rdf+xml"),
        ("application/json", "application/ld+json"),
    ],
)
def test_aliases_mean_the_same_on_sparql_and_documents(server, accept, media_type):
    construct = requests.get(
        sparql_url(server, CONSTRUCT_LABELS), headers={"Accept": accept}, timeout=30
    )
    assert construct.status_code == 200
    assert construct.headers["Content-Type"].split(";")[0] == media_type
    document = requests.get(
        server.url + "/doc/region/JP-32", headers={"Accept": accept}, timeout=30
    )
    assert document.status_code == 200
    assert document.headers["Content-Type"].split(";")[0] == media_type


@pytest.mark.parametrize("path", ["/sparql", "/queries"])
def test_pages_that_follow_accept_language_say_so_in_vary(server, path):
    reply = requests.get(
        server.url + path, headers={"Accept": "text/html", "Accept-Language": "ja"}, timeout=30
    )
    assert reply.status_code == 200
    assert "Accept-Language" in reply.headers["Vary"]
    chosen = requests.get(
        server.url + path + "?lang=ja", headers={"Accept": "text/html"}, timeout=30
    )
    assert "Accept-Language" not in chosen.headers.get("Vary", "")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("graph=" + urllib.parse.quote(SHIMANE), "Graph Store Protocol"),
        ("default", "Graph Store Protocol"),
        ("querry=ASK%7B%7D", "querry"),
    ],
)
def test_get_without_query_but_with_other_parameters_is_400_with_a_reason(server, query, says):
    result = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code}", f"{server.url}/sparql?{query}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    body, _, status = result.stdout.rpartition("\n")
    assert status == "400"
    assert says in body
    assert "sd:Service" not in body


def test_the_description_still_answers_a_bare_get(server):
    reply = requests.get(server.url + "/sparql", params={"format": "turtle"}, timeout=30)
    assert reply.status_code == 200
    assert "sd:Service" in reply.text


def test_a_cut_answer_is_flagged_in_the_json_head(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(EVERYTHING)
    client.setReturnFormat(JSON)
    converted = client.queryAndConvert()
    assert len(converted["results"]["bindings"]) == LIMIT
    (link,) = converted["head"]["link"]
    note = requests.get(link, timeout=30)
    assert note.status_code == 200
    assert str(LIMIT) in note.text and "NEARKG_RESULT_LIMIT" in note.text


def test_a_cut_answer_is_flagged_in_the_xml_head(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(EVERYTHING)
    client.setReturnFormat(XML)
    document: minidom.Document = client.queryAndConvert()
    links = document.getElementsByTagName("head")[0].getElementsByTagName("link")
    assert [link.getAttribute("href") for link in links] == [server.url + "/sparql/result-limit"]
    assert len(document.getElementsByTagName("result")) == LIMIT


def test_a_whole_answer_has_no_link(server):
    reply = requests.get(
        sparql_url(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"),
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert "link" not in json.loads(reply.text)["head"]


def test_the_html_page_of_a_cut_answer_says_so(server):
    reply = requests.get(
        sparql_url(server, EVERYTHING), headers={"Accept": "text/html"}, timeout=30
    )
    assert reply.status_code == 200
    assert str(LIMIT) in reply.text and "NEARKG_RESULT_LIMIT" in reply.text
