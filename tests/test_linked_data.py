"""Thing URIs and their documents: 303s, negotiation, validators, errors, RDF content."""

from __future__ import annotations

import gzip
import html

import pyoxigraph as ox
import pytest
import rdflib

from .linked_data_fixture import make_app, make_dataset
from .test_negotiation import BROWSER, COMUNICA, JENA_DEREF, RAPPER_G, RDFLIB_PARSE

THING = "https://w3id.org/near/id/region/JP-32"
RDF_TYPES = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "application/n-triples": "nt",
}
RDFLIB_FORMAT = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
OX_FORMAT = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "nt": ox.RdfFormat.N_TRIPLES,
}
SPARQLWRAPPER_TURTLE = "application/turtle,text/turtle"
RAPPER_TURTLE = "text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, */*;q=0.1"

# Accept -> suffix of the chosen document (None: 406)
ACCEPT_TABLE = [
    (None, "ttl"),  # documented default: Turtle
    ("*/*", "ttl"),
    ("", "ttl"),
    (BROWSER, "html"),
    ("text/html", "html"),
    ("application/xhtml+xml,text/html", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/n-triples", "nt"),
    ("text/turtle;q=0, */*", "jsonld"),
    ("text/turtle;q=0", None),
    ("image/png", None),
    # ties: the client's order decides (Vapour)
    ("application/rdf+xml;q=0.5,text/html;q=.5", "rdf"),
    ("text/html;q=0.5,application/rdf+xml;q=0.5", "html"),
    ("application/rdf+xml;q=0.3,text/html;q=.5", "html"),
    ("application/rdf+xml,text/html", "rdf"),
    ("text/html,application/rdf+xml", "html"),
    # real clients (reference §3)
    (RAPPER_G, "rdf"),
    (RAPPER_TURTLE, "ttl"),
    (JENA_DEREF, "ttl"),
    (COMUNICA, "jsonld"),
    (RDFLIB_PARSE, "rdf"),
    (SPARQLWRAPPER_TURTLE, "ttl"),
    ("application/ld+json,application/x-json+ld", "jsonld"),
    ("text/plain, */*;q=0.1", "nt"),  # rdflib parse(url, format="nt")
    ("application/ld+json, application/json;q=0.9, */*;q=0.1", "jsonld"),  # rdflib json-ld
    # a wildcard matches each format's own type, not an alias (application/x-turtle)
    ("application/*", "jsonld"),
    ("application/*;q=0.5, text/html;q=0.4", "jsonld"),
    ("text/*", "ttl"),
    ("text/*;q=0.1, application/*", "jsonld"),
    ("application/x-turtle", "ttl"),  # an alias named exactly
    ("application/*;q=0.5, application/x-turtle", "ttl"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = make_dataset(tmp_path_factory.mktemp("ld"))
    return make_app(root).test_client()


def _headers(accept):
    return {"Accept": accept} if accept is not None else {}


@pytest.mark.parametrize(("accept", "suffix"), ACCEPT_TABLE)
def test_thing_uri_redirects_to_the_chosen_document(client, accept, suffix):
    response = client.get("/id/region/JP-32", headers=_headers(accept))
    if suffix is None:
        assert response.status_code == 406
        assert "application/ld+json" in response.get_data(as_text=True)
        return
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost/doc/region/JP-32.{suffix}"
    assert "Accept" in response.headers["Vary"]
    followed = client.get(response.headers["Location"], headers=_headers(accept))
    assert followed.status_code == 200
    expected = "text/html" if suffix == "html" else _media_type(suffix)
    assert followed.mimetype == expected


@pytest.mark.parametrize(
    ("target", "status", "location"),
    [
        # a thing's address with a document's suffix: that document, whatever Accept says
        ("/id/region/JP-32.ttl", 303, "http://localhost/doc/region/JP-32.ttl"),
        ("/id/region/JP-32.jsonld", 303, "http://localhost/doc/region/JP-32.jsonld"),
        ("/id/region/JP-32.html?lang=ja", 303, "http://localhost/doc/region/JP-32.html?lang=ja"),
        ("/id/region/NOPE.ttl", 404, None),  # no such thing, with or without the suffix
        ("/id/region/JP-32.xyz", 404, None),  # no such format
    ],
)
def test_a_thing_address_with_a_suffix_leads_to_that_document(client, target, status, location):
    response = client.get(target, headers={"Accept": "application/rdf+xml"})
    assert response.status_code == status
    assert response.headers.get("Location") == location


@pytest.mark.parametrize(("accept", "suffix"), ACCEPT_TABLE)
def test_generic_document_negotiates_with_content_location(client, accept, suffix):
    response = client.get("/doc/region/JP-32", headers=_headers(accept))
    if suffix is None:
        assert response.status_code == 406
        return
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"http://localhost/doc/region/JP-32.{suffix}"
    vary = [v.strip() for v in response.headers["Vary"].split(",")]
    # exactly what chose this representation: RDF does not follow the reader's language
    language = ["Accept-Language"] if suffix == "html" else []
    assert vary == ["Accept", *language, "Accept-Encoding"]


def _media_type(suffix):
    return {v: k for k, v in RDF_TYPES.items()}[suffix]


@pytest.mark.parametrize("suffix", ["html", "ttl", "jsonld", "rdf", "nt"])
def test_format_specific_documents_ignore_accept(client, suffix):
    response = client.get(f"/doc/region/JP-32.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == ("text/html" if suffix == "html" else _media_type(suffix))
    assert "Accept" not in [v.strip() for v in response.headers["Vary"].split(",")]


@pytest.mark.parametrize(("media_type", "suffix"), RDF_TYPES.items())
def test_rdf_parses_with_rdflib_and_pyoxigraph_and_ties_document_to_thing(
    client, media_type, suffix
):
    response = client.get(f"/doc/region/JP-32.{suffix}")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_data()
    graph = rdflib.Graph().parse(data=body, format=RDFLIB_FORMAT[suffix])
    triples = list(ox.parse(body, format=OX_FORMAT[suffix]))
    assert len(graph) == len(triples) > 10
    thing, doc = rdflib.URIRef(THING), rdflib.URIRef("https://w3id.org/near/doc/region/JP-32")
    foaf = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (doc, foaf.primaryTopic, thing) in graph
    assert (doc, void.inDataset, None) in graph
    assert (doc, rdflib.DCTERMS.license, None) in graph
    assert any(s == thing for s in graph.subjects())
    # links of the thing keep canonical IRIs, never this host
    assert "localhost" not in body.decode()


def test_description_has_incoming_links_records_and_labels_of_linked_things(client):
    graph = rdflib.Graph().parse(data=client.get("/doc/government/JP-32.ttl").data, format="turtle")
    gov = rdflib.URIRef("https://w3id.org/near/id/government/JP-32")
    membership = rdflib.URIRef("https://w3id.org/near/id/membership/JP-32")
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert (membership, org.member, gov) in graph  # incoming
    assert (membership, org.role, None) in graph  # the record's own statements
    interval = graph.value(membership, org.memberDuring)
    assert isinstance(interval, rdflib.BNode)  # with its blank nodes
    assert (interval, rdflib.RDFS.comment, rdflib.Literal("since 1996", lang="en")) in graph
    near_org = rdflib.URIRef("https://w3id.org/near/id/organization/near")
    assert (near_org, skos.prefLabel, rdflib.Literal("NEAR", lang="en")) in graph  # label
    participation = rdflib.URIRef("https://w3id.org/near/id/participation/1993-JP-32")
    assert (participation, rdflib.URIRef("https://w3id.org/near/def#printedName"), None) in graph


@pytest.mark.parametrize(
    "path",
    [
        "/id/region/XX-99",
        "/doc/region/XX-99",
        "/doc/region/XX-99.ttl",
        "/doc/region/XX-99.html",
        "/id/nonsense/JP-32",
        "/id/region/-bad",
        "/id/region/%E5%B3%B6%E6%A0%B9",
        "/id/region/JP%2032",
        "/doc/region/..",
        "/id/region/" + "A" * 3000,
    ],
)
@pytest.mark.parametrize("accept", [None, "text/html", "text/turtle", "application/ld+json"])
def test_unknown_or_malformed_things_are_404_in_every_format(client, path, accept):
    response = client.get(path, headers=_headers(accept))
    assert response.status_code == 404
    # every format says what was wrong: the problem's detail, as the JSON variant states it
    detail = client.get(path, headers={"Accept": "application/problem+json"}).json["detail"]
    assert detail.startswith(("there is no kind", "near-kg knows nothing", "'"))
    if accept == "text/html":
        assert response.mimetype == "text/html"
        assert detail in html.unescape(response.get_data(as_text=True))
    else:
        assert detail in response.get_data(as_text=True)
        assert len(response.data) < 2000


def test_percent_encoded_unreserved_characters_are_the_same_key(client):
    response = client.get("/id/region/JP%2D32", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/doc/region/JP-32.ttl"


@pytest.mark.parametrize(
    "path",
    ["/id/region/JP-32", "/doc/region/JP-32", "/doc/region/JP-32.ttl", "/doc/region/JP-32.html"],
)
@pytest.mark.parametrize("accept", [None, "text/html", "application/n-triples"])
def test_head_answers_like_get_without_a_body(client, path, accept):
    get = client.get(path, headers=_headers(accept))
    head = client.head(path, headers=_headers(accept))
    assert head.status_code == get.status_code
    assert head.data == b""
    for name in ("Content-Type", "Location", "Vary", "ETag", "Link", "Content-Location"):
        assert head.headers.get(name) == get.headers.get(name)


def test_conditional_get_answers_304(client):
    first = client.get("/doc/region/JP-32.ttl")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get("/doc/region/JP-32.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get("/doc/region/JP-32.ttl", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get("/doc/region/JP-32.ttl", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200


def test_etags_differ_per_format_language_and_encoding(client):
    tags = set()
    for suffix in ("html", "ttl", "jsonld", "rdf", "nt"):
        tags.add(client.get(f"/doc/region/JP-32.{suffix}").headers["ETag"])
    for lang in ("ja", "ko"):
        tags.add(client.get(f"/doc/region/JP-32.html?lang={lang}").headers["ETag"])
    tags.add(
        client.get("/doc/region/JP-32.ttl", headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    )
    assert len(tags) == 8


def test_etag_changes_when_the_data_changes(tmp_path):
    root = make_dataset(tmp_path / "a")
    before = make_app(root).test_client().get("/doc/region/JP-32.ttl").headers["ETag"]
    extra = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    extra += '<https://w3id.org/near/id/region/JP-32> skos:note "changed"@en .\n'
    make_dataset(root, {"data/turtle/extra.ttl": extra})
    after = make_app(root).test_client().get("/doc/region/JP-32.ttl").headers["ETag"]
    assert before != after


def test_gzip_when_asked(client):
    response = client.get("/doc/region/JP-32.ttl", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"JP-32" in gzip.decompress(response.data)
    plain = client.get("/doc/region/JP-32.ttl", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in plain.headers


def test_link_headers_name_alternates_and_the_dataset_description(client):
    for path in ("/id/region/JP-32", "/doc/region/JP-32", "/doc/region/JP-32.html"):
        link = client.get(path).headers["Link"]
        assert '</.well-known/void>; rel="describedby"' in link
        assert (
            '<http://localhost/doc/region/JP-32.ttl>; rel="alternate"; type="text/turtle"' in link
        )


def test_not_acceptable_lists_alternatives(client):
    response = client.get("/doc/region/JP-32", headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for media_type in ("text/turtle", "application/rdf+xml", "text/html"):
        assert media_type in text


def test_cors_on_rdf(client):
    response = client.get("/id/region/JP-32", headers={"Origin": "http://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_page_script_may_read_a_ranges_headers(client):
    """A script on another site resuming a dump's download reads where the part sits."""
    part = client.get("/dumps/near-kg.nq", headers={"Range": "bytes=0-9", "Origin": "http://e.org"})
    assert part.status_code == 206
    exposed = {h.strip() for h in part.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Content-Range", "Accept-Ranges", "ETag"} <= exposed


@pytest.mark.parametrize("path", ["/id/region/JP-32", "/doc/region/JP-32.ttl", "/def"])
def test_a_cors_preflight_names_methods_and_headers(client, path):
    preflight = client.options(
        path,
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in preflight.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "HEAD", "OPTIONS"} <= methods and "POST" not in methods
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
