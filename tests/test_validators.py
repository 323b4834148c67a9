"""Validators of representations: one ETag per representation (resource, format, language,
encoding), and Last-Modified taken from the data, so replicas and restarts agree; a strong
ETag means the same bytes (RFC 9110 §8.8.3), on every request and every load of the data."""

from __future__ import annotations

import time

import pytest

from . import conftest
from .linked_data_fixture import MODIFIED, make_app, make_dataset
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


def test_last_modified_is_the_data_date_and_survives_a_restart(dataset, client):
    first = client.get("/doc/region/JP-32.ttl")
    time.sleep(1.1)  # a later load: a load time would differ by now
    restarted = make_app(dataset).test_client().get("/doc/region/JP-32.ttl")
    assert first.headers["Last-Modified"] == restarted.headers["Last-Modified"]
    assert first.headers["ETag"] == restarted.headers["ETag"]
    assert first.last_modified.date().isoformat() == MODIFIED


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
