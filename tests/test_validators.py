"""Validators of representations: one ETag per representation (resource, format, language,
encoding), and Last-Modified taken from the data, so replicas and restarts agree."""

from __future__ import annotations

import time

import pytest

from .linked_data_fixture import MODIFIED, make_app, make_dataset

ENTITIES = ("/doc/region/JP-32.ttl", "/doc/conference/1993.ttl", "/doc/country/JP.ttl")


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
