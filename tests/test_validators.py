"""Validators of representations: one ETag per representation (resource, format, language,
encoding, and the code that wrote it), and Last-Modified from the data, its files and the
code, so restarts agree and no change leaves an old copy called current; a strong ETag means
the same bytes (RFC 9110 §8.8.3), on every request and every load of the data."""

from __future__ import annotations

import gzip
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.http.release import current_release, release_of

from . import conftest
from .linked_data_fixture import MODIFIED, ONTOLOGY, make_app, make_dataset
from .sparql_support import call, start

ENTITIES = ("/doc/region/JP-32.ttl", "/doc/conference/1993.ttl", "/doc/country/JP.ttl")
# Representations of graphs whose blank nodes are made for each answer (the validation report,
# the SPARQL service description): (path, Accept)
MADE_AFRESH = (
    ("/validation.ttl", None),
    ("/validation.jsonld", None),
    ("/validation.rdf", None),
    ("/validation.nt", None),
    ("/validation", "application/json"),  # JSON-LD
    ("/validation.json", None),
    ("/sparql", "text/turtle"),
    ("/sparql", "application/ld+json"),
    ("/sparql", "application/rdf+xml"),
    ("/sparql", "application/n-triples"),
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("validators"))


@pytest.fixture(scope="module")
def client(dataset):
    return make_app(dataset).test_client()


def test_each_entity_has_its_own_etag(client):
    tags = {path: client.get(path).headers["ETag"] for path in ENTITIES}
    assert len(set(tags.values())) == len(ENTITIES)
    # one entity's tag does not validate another's copy
    other = client.get(ENTITIES[1], headers={"If-None-Match": tags[ENTITIES[0]]})
    assert other.status_code == 200
    same = client.get(ENTITIES[0], headers={"If-None-Match": tags[ENTITIES[0]]})
    assert same.status_code == 304


def test_format_language_and_encoding_each_change_the_tag(client):
    variants = (
        {"Accept": "text/html", "Accept-Language": "ja"},
        {"Accept": "text/html", "Accept-Language": "en"},
        {"Accept": "text/turtle"},
        {"Accept": "text/turtle", "Accept-Encoding": "gzip"},
    )
    tags = [client.get("/doc/region/JP-32", headers=h).headers["ETag"] for h in variants]
    assert len(set(tags)) == len(variants)


LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC).timestamp()


def _files_dated(root: Path, when: float) -> None:
    for path in root.rglob("*.ttl"):
        os.utime(path, (when, when))


def _last_modified(root: Path):
    return make_app(root).test_client().get("/doc/region/JP-32.ttl")


def test_last_modified_is_the_newest_of_data_date_files_and_code(tmp_path):
    root = make_dataset(tmp_path / "data")
    _files_dated(root, LONG_AGO)  # the files older than the date the data states
    first = _last_modified(root)
    stated = datetime.fromisoformat(MODIFIED).replace(tzinfo=UTC)
    code = current_release().changed_at
    assert code is not None
    assert first.last_modified == max(stated, code.replace(microsecond=0))
    time.sleep(1.1)  # a later load: a load time would differ by now
    restarted = _last_modified(root)
    assert first.headers["Last-Modified"] == restarted.headers["Last-Modified"]
    assert first.headers["ETag"] == restarted.headers["ETag"]


def test_an_edit_that_leaves_the_data_date_alone_still_moves_last_modified(tmp_path):
    """A label changed without moving the data's dcterms:modified: a client holding the old
    copy with its Last-Modified is sent the new one, not told its copy is current."""
    root = make_dataset(tmp_path / "data")
    _files_dated(root, LONG_AGO)
    before = _last_modified(root)
    old_copy = {"If-Modified-Since": before.headers["Last-Modified"]}
    assert (
        make_app(root).test_client().get("/doc/region/JP-32.ttl", headers=old_copy).status_code
        == 304
    )
    regions = root / "data/turtle/regions.ttl"
    edited = regions.read_text().replace(
        '"Shimane Prefecture"@en', '"Shimane Prefecture (edited)"@en'
    )
    assert edited != regions.read_text()
    time.sleep(1.1)  # a second later than the code's files: HTTP dates count whole seconds
    regions.write_text(edited)
    after = make_app(root).test_client().get("/doc/region/JP-32.ttl", headers=old_copy)
    assert after.status_code == 200
    assert b"Shimane Prefecture (edited)" in after.data
    assert after.last_modified > before.last_modified


def test_a_date_the_data_puts_in_the_future_is_sent_as_now(tmp_path):
    future = ONTOLOGY.replace(f'"{MODIFIED}"^^xsd:date', '"2999-01-01"^^xsd:date')
    root = make_dataset(tmp_path / "data", {"ontology/near.ttl": future})
    answer = _last_modified(root)
    assert answer.last_modified is not None
    assert answer.last_modified <= datetime.now(UTC)  # (the test client sends no Date)


def test_the_code_that_renders_is_in_the_etag_and_its_date(tmp_path):
    """``release_of``: a changed file changes the digest; the newest file gives the date;
    compiled bytecode is not the code."""
    code = tmp_path / "code"
    (code / "__pycache__").mkdir(parents=True)
    (code / "page.html").write_text("<p>{{ x }}</p>")
    (code / "words.py").write_text("WORDS = 1\n")
    os.utime(code / "page.html", (LONG_AGO, LONG_AGO))
    first = release_of([code])
    (code / "__pycache__" / "words.cpython-311.pyc").write_bytes(b"compiled")
    assert release_of([code]) == first
    (code / "page.html").write_text("<p>{{ y }}</p>")
    changed = release_of([code])
    assert changed.digest != first.digest
    assert changed.changed_at is not None and first.changed_at is not None
    assert changed.changed_at >= first.changed_at


def test_if_modified_since_the_data_date_is_304(client):
    first = client.get("/doc/region/JP-32.ttl")
    again = client.get(
        "/doc/region/JP-32.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 304


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("validators"))  # the repository's data and shapes
    yield server
    server.stop()


@pytest.mark.server
@pytest.mark.parametrize(("path", "accept"), MADE_AFRESH)
def test_a_representation_is_the_same_bytes_on_every_request(server, path, accept):
    headers = {"Accept": accept} if accept else {}
    first = call(server.url, "GET", path, headers=headers)
    again = call(server.url, "GET", path, headers=headers)
    head = call(server.url, "HEAD", path, headers=headers)
    assert first.status == again.status == head.status == 200
    assert first.body == again.body
    lengths = {r.headers["content-length"] for r in (first, again, head)}
    assert lengths == {str(len(first.body))}
    assert first.headers.get("etag") == again.headers.get("etag") == head.headers.get("etag")


@pytest.fixture(scope="module")
def two_loads():
    """The repository's data loaded twice, as by two replicas or before and after a restart."""
    return [conftest.make_app(validator=True).test_client() for _ in range(2)]


@pytest.mark.parametrize(("path", "accept"), MADE_AFRESH)
def test_two_loads_of_the_same_data_give_the_same_bytes(two_loads, path, accept):
    # two replicas, or a restart: the same data version, so the same ETag and the same bytes
    # (the JSON report says what was found, not how long finding it took)
    headers = {"Accept": accept} if accept else {}
    one, other = (client.get(path, headers=headers) for client in two_loads)
    assert one.status_code == other.status_code == 200
    assert one.headers.get("ETag") == other.headers.get("ETag")
    assert one.data == other.data


# representations of the data itself that hold blank nodes (the shapes' lists and property
# shapes, the ontology's lists): the parser names them afresh at every load
WITH_THE_DATAS_BLANK_NODES = (
    "/dumps/near-kg.nq",
    "/dumps/near-kg.ttl",
    "/dumps/near-kg.nq.gz",
    "/shapes.ttl",
    "/shapes.nt",
    "/def.ttl",
)


@pytest.mark.parametrize("path", WITH_THE_DATAS_BLANK_NODES)
def test_two_loads_give_the_datas_blank_nodes_the_same_names(two_loads, path):
    """So a download resumed with If-Range from a restarted server or another replica is the
    same file, and a strong ETag the same bytes."""
    one, other = (client.get(path) for client in two_loads)
    assert one.status_code == other.status_code == 200
    assert b"_:" in (gzip.decompress(one.data) if path.endswith(".gz") else one.data)
    assert one.headers.get("ETag") == other.headers.get("ETag")
    assert one.data == other.data


@pytest.fixture(scope="module")
def two_loads_a_second_apart():
    first = conftest.make_app(validator=True).test_client()
    time.sleep(1.1)  # the pages show the load time to the second
    return [first, conftest.make_app(validator=True).test_client()]


@pytest.mark.parametrize("path", ["/", "/validation.html"])
def test_a_page_that_says_when_the_data_was_loaded_is_tagged_by_the_load(
    two_loads_a_second_apart, path
):
    """Two loads of the same data: these pages say when each was loaded, so their bytes differ,
    and so must their tags (a strong ETag is the same bytes)."""
    one, other = (
        client.get(path, headers={"Accept": "text/html"}) for client in two_loads_a_second_apart
    )
    assert one.status_code == other.status_code == 200
    assert one.data != other.data
    assert one.headers["ETag"] != other.headers["ETag"]
