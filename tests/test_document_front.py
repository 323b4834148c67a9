"""The document front (service.linked_data.document_front): entity RDF documents and /id 303s
answered before Flask must be the answers Flask's routes give, header for header and byte for
byte (Vary, ETag, Last-Modified, Link, Content-Type with its charset, Content-Location, CORS,
the security headers), and everything else must reach Flask.

"Flask's answer" is Flask's own ``wsgi_app`` with no layer in front of it; "the front's" is the
app as served. Both run on NEAR's own data, every entity."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.test import Client, EnvironBuilder

from service.linked_data.document_front import DocumentFront
from service.linked_data.entity_index import index_for

from .conftest import REPO
from .test_front_cache import counting
from .test_response_cache import make

# what a request may vary on, and how a crawler, a browser and a mirror ask
ASKED = [
    ("/doc/{kind}/{key}.ttl", {}),
    ("/doc/{kind}/{key}.ttl", {"Accept-Encoding": "gzip"}),
    ("/doc/{kind}/{key}.jsonld", {"Accept-Language": "ja"}),
    ("/doc/{kind}/{key}.nt?lang=ko", {}),
    ("/doc/{kind}/{key}.rdf", {"Host": "mirror.example:8080"}),
    ("/doc/{kind}/{key}.ttl?format=jsonld", {}),
    ("/id/{kind}/{key}", {}),
    ("/id/{kind}/{key}", {"Accept": "text/html", "Accept-Language": "ru"}),
    ("/id/{kind}/{key}?lang=zh", {"Accept": "application/rdf+xml"}),
    # the page a reader follows a link to (the 303 names it), in their language
    ("/doc/{kind}/{key}.html", {}),
    ("/doc/{kind}/{key}.html?lang=ja", {"Accept-Encoding": "gzip"}),
    ("/doc/{kind}/{key}.html?page=2", {"Accept-Language": "mn", "Host": "mirror.example:8080"}),
]
# left to Flask: the document without a suffix, errors, HEAD, conditional requests, other paths
TO_FLASK = [
    ("GET", "/doc/{kind}/{key}", {"Accept": "text/html"}),
    ("GET", "/doc/{kind}/{key}", {"Accept": "application/ld+json"}),
    ("GET", "/doc/{kind}/{key}?format=ttl", {}),
    ("GET", "/doc/{kind}/{key}.html?page=0", {}),
    ("GET", "/doc/{kind}/no-such-key.ttl", {}),
    ("GET", "/doc/{kind}/no-such-key.html", {}),
    ("GET", "/doc/no-such-kind/{key}.ttl", {}),
    ("GET", "/doc/{kind}/{key}.png", {}),
    ("GET", "/doc/{kind}/{key}", {"Accept": "image/png"}),
    ("GET", "/id/{kind}/{key}", {"Accept": "image/png"}),
    ("GET", "/doc/{kind}/{key}.ttl", {"Host": "bad host"}),
    ("HEAD", "/doc/{kind}/{key}.ttl", {}),
    ("GET", "/doc/{kind}/{key}.ttl", {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}),
    ("GET", "/doc/{kind}/{key}.ttl/", {}),
]


@pytest.fixture(scope="module")
def app() -> Flask:
    return make(REPO, cache_bytes=0)[0]  # every answer made anew, as on a crawl


@pytest.fixture(scope="module")
def entities(app) -> list[tuple[str, str]]:
    store = app.extensions["nearkg_store"]
    index = index_for(store, store.snapshot)
    found = [index.kind_and_key(iri) for iri in index.things]
    return [pair for pair in found if pair is not None]


def _front(app: Flask) -> DocumentFront:
    layer = app.wsgi_app
    while not isinstance(layer, DocumentFront):
        layer = getattr(layer, "wsgi_app", None) or layer.app  # HeadLimit, BodyGate, FrontCache
    return layer


def _flask_only(app: Flask) -> Client:
    """A client of Flask's own request handling, with no layer in front of it."""
    return Client(lambda environ, start_response: Flask.wsgi_app(app, environ, start_response))


def _ask(client: Client, method: str, template: str, headers: dict, kind: str, key: str):
    path, _, query = template.format(kind=kind, key=key).partition("?")
    environ = EnvironBuilder(
        method=method, path=path, query_string=query, headers={"Host": "localhost", **headers}
    ).get_environ()
    return client.open(environ)


def _same(left, right) -> None:
    assert left.status_code == right.status_code
    assert left.headers.to_wsgi_list() == right.headers.to_wsgi_list()
    assert left.get_data() == right.get_data()


def test_every_entity_document_is_flasks_answer_byte_for_byte(app, entities):
    served, flask = Client(app), _flask_only(app)
    passed_on = counting(app)  # what reached Flask's hooks
    for kind, key in entities:
        for template, headers in ASKED:
            from_front = _ask(served, "GET", template, headers, kind, key)
            assert passed_on == []  # the front's own answer
            from_flask = _ask(flask, "GET", template, headers, kind, key)
            _same(from_front, from_flask)
            assert from_front.status_code in (200, 303)
            passed_on.clear()  # (Flask's own answer went through its hooks)
    sample = _ask(served, "GET", "/doc/{kind}/{key}.ttl", {}, *entities[0])
    assert sample.headers["Content-Type"] == "text/turtle; charset=utf-8"
    for name in ("ETag", "Last-Modified", "Vary", "Link", "Access-Control-Allow-Origin"):
        assert sample.headers.get(name), name
    assert sample.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("method", "template", "headers"), TO_FLASK)
def test_what_the_front_does_not_answer_reaches_flask(app, entities, method, template, headers):
    kind, key = entities[0]
    passed_on = counting(app)  # what reached Flask's hooks
    from_front = _ask(Client(app), method, template, headers, kind, key)
    assert len(passed_on) == 1
    _same(from_front, _ask(_flask_only(app), method, template, headers, kind, key))


def test_a_rate_limit_takes_the_front_away():
    # the limit is counted in a Flask hook, which the front would skip
    limited, _ = make(REPO, cache_bytes=0, rate_limit="1000/second")
    with pytest.raises(AttributeError):
        _front(limited)


# -- the same, between real servers: one with the front, one without (a rate limit takes it away)


def _fetch(url: str, path: str, headers: dict[str, str]):
    parsed = urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "near.example", **headers})
        answer = connection.getresponse()
        sent = [(k, v) for k, v in answer.getheaders() if k.lower() not in ("date", "server")]
        return answer.status, sent, answer.read()
    finally:
        connection.close()


def test_served_with_and_without_the_front_alike(start_server, entities):
    env = {"NEARKG_CACHE_BYTES": "0"}
    with_front = start_server("--data-dir", str(REPO), "--workers", "1", env=env)
    without = start_server(
        "--data-dir", str(REPO), "--workers", "1", env={**env, "NEARKG_RATE_LIMIT": "100000/second"}
    )
    for kind, key in entities[::12]:
        for template, headers in [*ASKED, ("/doc/{kind}/{key}", {"Accept": "text/html"})]:
            path = template.format(kind=kind, key=key)
            if "Host" in headers:
                continue  # the Host is the same for both here
            front_answer = _fetch(with_front.url, path, headers)
            assert front_answer == _fetch(without.url, path, headers), path
            assert front_answer[0] in (200, 303)
