"""The response cache (NEARKG_CACHE_BYTES): entity documents and repeated /sparql queries.

A cached response must be the fresh one byte for byte, follow reloads and updates, keep every
variant (format, language, encoding, host) apart, and stay within its bound."""

from __future__ import annotations

import gzip
import time

import pytest

from loaders.settings import Settings
from loaders.store import KnowledgeStore
from service.app import create_app
from service.http.response_cache import ResponseCache
from service.linked_data import things as resources
from service.sparql import execute

from .linked_data_fixture import THINGS, make_dataset

TOKEN = "cache-test-token"
SHIMANE = "https://w3id.org/near/id/region/JP-32"
LABELS = f"SELECT ?l WHERE {{ <{SHIMANE}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}"
NOT_COMPARED = {"Date"}  # set per response by the server, not by near-kg


def make(root, **overrides):
    settings = Settings.from_env({}, data_dir=root, **overrides)
    store = KnowledgeStore(settings, validator=False)
    store.reload()
    app = create_app(settings, store=store)
    app.config["TESTING"] = True
    return app, store


def cache_of(app) -> ResponseCache:
    return app.extensions["nearkg_response_cache"]


def same(left, right) -> None:
    """Status, headers and body equal, byte for byte."""
    assert left.status_code == right.status_code
    assert left.get_data() == right.get_data()
    assert _headers(left) == _headers(right)


def _headers(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k not in NOT_COMPARED)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def cached(dataset):
    return make(dataset)[0]


@pytest.fixture(scope="module")
def uncached(dataset):
    return make(dataset, cache_bytes=0)[0]


REQUESTS = [
    ("/doc/region/JP-32.ttl", {}),
    ("/doc/region/JP-32.html", {"Accept-Language": "ja"}),
    ("/doc/region/JP-32.html", {"Accept-Language": "ru", "Accept-Encoding": "gzip"}),
    ("/doc/region/JP-32.html?lang=ko", {}),
    ("/doc/region/JP-32.html?page=2", {}),
    ("/doc/region/JP-32.jsonld", {"Accept-Encoding": "gzip"}),
    ("/doc/region/JP-32.rdf", {}),
    ("/doc/region/JP-32.nt", {}),
    ("/doc/region/JP-32", {"Accept": "text/html", "Accept-Language": "mn"}),
    ("/doc/region/JP-32", {"Accept": "application/ld+json"}),
    ("/doc/conference/1993", {"Accept": "text/turtle", "Accept-Encoding": "gzip"}),
]


@pytest.mark.parametrize(("path", "headers"), REQUESTS)
def test_a_cached_document_is_the_fresh_one_byte_for_byte(cached, uncached, path, headers):
    first = cached.test_client().get(path, headers=headers)
    again = cached.test_client().get(path, headers=headers)
    fresh = uncached.test_client().get(path, headers=headers)
    assert first.status_code == 200
    same(first, again)
    same(again, fresh)


def test_variants_never_mix(dataset):
    app, _ = make(dataset)
    client = app.test_client()
    ttl = client.get("/doc/region/JP-32", headers={"Accept": "text/turtle"})
    html = client.get("/doc/region/JP-32", headers={"Accept": "text/html", "Accept-Language": "ko"})
    ja = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "ja"})
    en = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "en"})
    zipped = client.get("/doc/region/JP-32.ttl", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/doc/region/JP-32.ttl")
    other_host = client.get("/doc/region/JP-32.html", base_url="http://mirror.example:8080")
    assert ttl.mimetype == "text/turtle" and html.mimetype == "text/html"
    assert '<html lang="ko">' in html.get_data(as_text=True)
    assert '<html lang="ja">' in ja.get_data(as_text=True)
    assert '<html lang="en">' in en.get_data(as_text=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert "mirror.example:8080" in other_host.get_data(as_text=True)
    assert "mirror.example" not in en.get_data(as_text=True)
    assert cache_of(app).hits == 0  # seven different variants: nothing answered from another
    assert len({r.headers["ETag"] for r in (ttl, html, ja, en, zipped)}) == 5


def test_conditional_request_gets_304_before_the_document_is_described(dataset, monkeypatch):
    app, _ = make(dataset)
    client = app.test_client()
    etag = client.get("/doc/region/JP-31.ttl").headers["ETag"]
    zipped = client.get("/doc/region/JP-31.ttl", headers={"Accept-Encoding": "gzip"})
    cache_of(app).clear()

    def no_work(*args, **kwargs):
        raise AssertionError("described although the client's copy is current")

    monkeypatch.setattr(resources, "describe", no_work)
    for tag, encoding in ((etag, "identity"), (zipped.headers["ETag"], "gzip")):
        response = client.get(
            "/doc/region/JP-31.ttl", headers={"If-None-Match": tag, "Accept-Encoding": encoding}
        )
        assert response.status_code == 304
        assert response.headers["ETag"] == tag
        assert response.get_data() == b""


def test_304_from_the_cache_and_unknown_things_stay_404(cached):
    client = cached.test_client()
    first = client.get("/doc/region/JP-32.nt")
    again = client.get("/doc/region/JP-32.nt", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Vary"] == first.headers["Vary"]
    missing = client.get("/doc/region/XX-99.nt", headers={"If-None-Match": first.headers["ETag"]})
    assert missing.status_code == 404


def test_a_reload_with_changed_data_changes_the_response(tmp_path):
    root = make_dataset(tmp_path / "data")
    app, store = make(root)
    client = app.test_client()
    before_doc = client.get("/doc/region/JP-32.ttl")
    before_sparql = client.get("/sparql", query_string={"query": LABELS})
    assert client.get("/doc/region/JP-32.ttl").get_data() == before_doc.get_data()
    regions = root / "data/turtle/regions.ttl"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("Shimane Prefecture", "Shimane Renamed"),
        encoding="utf-8",
    )
    store.reload()
    after_doc = client.get("/doc/region/JP-32.ttl")
    after_sparql = client.get("/sparql", query_string={"query": LABELS})
    assert b"Shimane Renamed" in after_doc.get_data()
    assert b"Shimane Renamed" not in before_doc.get_data()
    assert after_doc.headers["ETag"] != before_doc.headers["ETag"]
    assert b"Shimane Renamed" in after_sparql.get_data()
    assert after_sparql.get_data() != before_sparql.get_data()


def test_the_bound_holds(dataset):
    app, _ = make(dataset, cache_bytes=40_000)
    client = app.test_client()
    for thing in THINGS:
        for suffix in ("ttl", "html", "jsonld", "rdf", "nt"):
            assert client.get(f"/doc/{thing}.{suffix}").status_code == 200
            assert cache_of(app).bytes_used <= 40_000
    assert 0 < len(cache_of(app)) < len(THINGS) * 5  # the least recently used went


def test_lru_by_bytes_keeps_the_recently_used():
    from flask import Response

    cache = ResponseCache(8_000)
    for name in "abcd":
        assert cache.put(name, Response(b"x" * 1_000))
    cache.get("a")  # used: survives the next insertions
    cache.put("e", Response(b"x" * 1_000))
    cache.put("f", Response(b"x" * 1_000))
    assert cache.bytes_used <= 8_000
    assert cache.get("a") is not None and cache.get("b") is None
    assert not cache.put("big", Response(b"x" * 5_000))  # more than a quarter of the bound
    assert not cache.put("error", Response(b"gone", status=404))


def test_a_repeated_query_is_answered_from_the_cache_without_the_pool(dataset, monkeypatch):
    app, _ = make(dataset)
    fresh_app, _ = make(dataset, cache_bytes=0)
    headers = {"Accept": "text/csv"}
    first = app.test_client().get("/sparql", query_string={"query": LABELS}, headers=headers)

    def no_pool():
        raise AssertionError("the query pool was asked for a cached answer")

    monkeypatch.setattr(execute, "pool", no_pool)
    again = app.test_client().get("/sparql", query_string={"query": LABELS}, headers=headers)
    same(first, again)
    monkeypatch.undo()
    fresh = fresh_app.test_client().get("/sparql", query_string={"query": LABELS}, headers=headers)
    same(again, fresh)
    as_json = app.test_client().get("/sparql", query_string={"query": LABELS})
    assert as_json.mimetype == "application/sparql-results+json"  # another variant, not the CSV


def test_a_cut_answer_keeps_its_truncation_header_from_the_cache(dataset):
    app, _ = make(dataset, result_limit=2)
    query = {"query": "SELECT * { ?s ?p ?o }"}
    first = app.test_client().get("/sparql", query_string=query)
    again = app.test_client().get("/sparql", query_string=query)
    assert cache_of(app).hits == 1
    assert again.headers["NearKG-Results-Truncated"] == "true; limit=2"
    same(first, again)


def test_no_query_cache_with_an_update_token_and_updates_clear_documents(tmp_path):
    app, _ = make(make_dataset(tmp_path / "data"), update_token=TOKEN)
    client = app.test_client()
    client.get("/sparql", query_string={"query": LABELS})
    client.get("/sparql", query_string={"query": LABELS})
    before_doc = client.get("/doc/region/JP-32.ttl")
    assert cache_of(app).hits == 0
    graph = "https://w3id.org/near/graph/data/regions"
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{SHIMANE}> <urn:x:p> "added by update" }} }}'
    time.sleep(1.1)  # HTTP dates count whole seconds: the update comes a second later
    answer = client.post(
        "/sparql",
        data={"update": update},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 204
    assert len(cache_of(app)) == 0
    changed = client.get("/sparql", query_string={"query": f"SELECT ?o {{ <{SHIMANE}> ?p ?o }}"})
    assert b"added by update" in changed.get_data()
    assert b"added by update" not in before_doc.get_data()
    after_doc = client.get("/doc/region/JP-32.ttl")
    assert b"added by update" in after_doc.get_data()
    assert after_doc.headers["ETag"] != before_doc.headers["ETag"]
    old_copy = {"If-None-Match": before_doc.headers["ETag"]}
    assert client.get("/doc/region/JP-32.ttl", headers=old_copy).status_code == 200
    # the update moved Last-Modified on: a copy dated before it is not current
    assert after_doc.last_modified > before_doc.last_modified
    old_date = {"If-Modified-Since": before_doc.headers["Last-Modified"]}
    assert client.get("/doc/region/JP-32.ttl", headers=old_date).status_code == 200
