"""Labels that try to become markup stay text: in entity pages, search, the query page, error
pages, JSON and JSON-LD. Every HTML response carries the security headers."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from .hostile_fixture import LABELS, LONG, SCRIPT, SEARCH_WORD, THINGS, make_hostile_dataset
from .html_audit import audit
from .linked_data_fixture import PREFIXES, make_app, make_dataset

RAW_MARKUP = (SCRIPT, "<!--<script>", "<b>bold</b>", '"onmouseover="', "<script>alert")
ALL_LABELS_QUERY = (
    "SELECT ?thing ?label WHERE { ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
)
HTML_PAGES = [
    *(f"/doc/{thing}.html" for thing in THINGS.values()),
    "/doc/country/JP.html",  # the hostile regions link to it: their labels are listed there
    "/browse/region",
    f"/search?q={SEARCH_WORD}",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_app(make_hostile_dataset(tmp_path_factory.mktemp("hostile"))).test_client()


def html_of(client, path: str, **kwargs) -> str:
    response = client.get(path, headers={"Accept": "text/html"}, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def assert_markup_is_inert(html: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, raw
    page = audit(html)
    assert page.event_handlers == []
    assert page.executable_inline_scripts() == []
    for text in (*page.json_ld, *page.data_blocks):
        assert "</" not in text and "<!--" not in text
        json.loads(text)  # every embedded JSON block still parses


@pytest.mark.parametrize("path", HTML_PAGES)
def test_hostile_labels_render_as_text(client, path):
    html = html_of(client, path)
    assert_markup_is_inert(html)
    assert SCRIPT in "".join(audit(html).text)  # shown to the reader, as text


@pytest.mark.parametrize("name", sorted(THINGS))
def test_json_ld_in_the_page_holds_the_exact_label(client, name):
    page = audit(html_of(client, f"/doc/{THINGS[name]}.html"))
    (document,) = page.json_ld_documents()
    assert document["name"] == LABELS[name]


def test_ten_kilobyte_literal_is_served_whole_in_rdf_and_escaped_in_html(client):
    thing = THINGS["long"]
    turtle = client.get(f"/doc/{thing}.ttl").get_data(as_text=True)
    assert LONG in turtle
    html = html_of(client, f"/doc/{thing}.html")
    assert_markup_is_inert(html)
    assert LONG[:200] in html


def test_search_json_returns_labels_as_data(client):
    response = client.get("/search", query_string={"q": SEARCH_WORD},
                          headers={"Accept": "application/json"})  # fmt: skip
    assert response.mimetype == "application/json"
    labels = {result["label"] for result in response.get_json()["results"]}
    assert labels == set(LABELS.values())
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_search_echoes_a_hostile_query_escaped(client):
    html = html_of(client, "/search", query_string={"q": SCRIPT})
    assert_markup_is_inert(html)


def test_query_page_results_are_escaped(client):
    html = html_of(client, "/sparql", query_string={"query": ALL_LABELS_QUERY, "format": "html"})
    assert_markup_is_inert(html)
    assert SCRIPT in "".join(audit(html).text)


def test_query_results_json_keep_labels_exact(client):
    response = client.get("/sparql", query_string={"query": ALL_LABELS_QUERY, "format": "json"})
    values = {b["label"]["value"] for b in json.loads(response.data)["results"]["bindings"]}
    assert set(LABELS.values()) <= values


@pytest.mark.parametrize("accept", ["text/html", "application/problem+json", "text/plain"])
def test_error_pages_escape_what_they_echo(client, accept):
    echoed = '"><img src=x onerror=alert(1)><svg onload=alert(2)>'
    response = client.get(f"/queries/{echoed}", headers={"Accept": accept})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    if accept == "text/html":
        assert_markup_is_inert(body)
        assert "<img" not in body and "<svg" not in body
    elif accept == "application/problem+json":
        assert echoed in json.loads(body)["detail"]  # data in JSON, never markup
    assert response.headers["X-Content-Type-Options"] == "nosniff"


SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'", "script-src 'self'",
                                "frame-ancestors 'none'", "object-src 'none'"),
    "X-Content-Type-Options": ("nosniff",),
    "Referrer-Policy": ("strict-origin-when-cross-origin",),
    "X-Frame-Options": ("DENY",),
}  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [*HTML_PAGES, "/graph/data/hostile", "/", "/members", "/conferences", "/dumps/", "/def",
     "/sparql", "/queries", "/no/such/page", "/doc/region/XX-99.html", "/search?q=" + "x" * 300],
)  # fmt: skip
def test_every_html_response_carries_the_security_headers(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html", path
    for name, fragments in SECURITY_HEADERS.items():
        for fragment in fragments:
            assert fragment in response.headers.get(name, ""), (path, name)


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/healthz", None), ("/doc/region/XX-1", "text/turtle"), ("/no/such", "application/json"),
     ("/sparql?query=ASK{}", None), ("/openapi.json", None)],
)  # fmt: skip
def test_every_response_forbids_sniffing(client, path, accept):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# A label holding characters XML 1.0 cannot carry at all (not even as character references):
# the shapes do not forbid them, so the data loads, and every format but XML carries them.
NOT_IN_XML = {"region/XX-8": "control\u0001character", "region/XX-9": "non\ufffecharacter"}


@pytest.fixture(scope="module")
def not_xml_client(tmp_path_factory):
    lines = [PREFIXES]
    for thing, label in NOT_IN_XML.items():
        escaped = label.encode("ascii", "backslashreplace").decode().replace("\\x01", "\\u0001")
        lines.append(
            f'<https://w3id.org/near/id/{thing}> a near:Region ; near:iso3166_2 "{thing[7:]}" ;\n'
            "    near:country <https://w3id.org/near/id/country/JP> ;\n"
            f'    skos:prefLabel "{escaped}"@en .\n'
        )
    root = make_dataset(tmp_path_factory.mktemp("not-xml"), {"data/turtle/x.ttl": "\n".join(lines)})
    return make_app(root).test_client()


@pytest.mark.parametrize(
    ("thing", "character"), [("region/XX-8", "U+0001"), ("region/XX-9", "U+FFFE")]
)
def test_a_document_xml_cannot_carry_is_406_in_rdf_xml_and_served_in_the_others(
    not_xml_client, thing, character
):
    for response in (
        not_xml_client.get(f"/doc/{thing}.rdf"),
        not_xml_client.get(f"/doc/{thing}", headers={"Accept": "application/rdf+xml"}),
    ):
        assert response.status_code == 406
        text = response.get_data(as_text=True)
        assert f"character {character}" in text and "text/turtle" in text
    for suffix, rdf in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD),
                        ("nt", ox.RdfFormat.N_TRIPLES)):  # fmt: skip
        response = not_xml_client.get(f"/doc/{thing}.{suffix}")
        assert response.status_code == 200, suffix
        values = {quad.object.value for quad in ox.parse(response.data, rdf)}
        assert NOT_IN_XML[thing] in values, suffix
    assert not_xml_client.get(f"/doc/{thing}.html").status_code == 200
    other = not_xml_client.get("/doc/region/JP-32.rdf")
    assert other.status_code == 200
    ElementTree.fromstring(other.data)  # the rest of the data is still XML


# IRIs a query can make that a browser would run or open as a document if they were links
NOT_LINKS = (
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "urn:x:y",
)


def test_the_results_page_links_only_http_iris_and_shows_the_others_as_text(client):
    iris = [*NOT_LINKS, "https://example.org/elsewhere", "https://w3id.org/near/id/region/JP-32"]
    values = " ".join(f"<{iri.replace('<', '%3C').replace('>', '%3E')}>" for iri in iris)
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"
    html = html_of(client, "/sparql", query_string={"query": query})
    page = audit(html)
    links = page.links
    assert "https://example.org/elsewhere" in links
    assert any(link.endswith("/id/region/JP-32") for link in links)  # our own page, on this host
    for link in links:
        assert link.startswith(("http://", "https://", "/", "?", "#")), link
    shown = "".join(page.text)
    for iri in NOT_LINKS:
        shown_iri = iri.replace("<", "%3C").replace(">", "%3E")
        assert shown_iri in shown, iri  # still shown, as text
