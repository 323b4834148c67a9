"""The front cache (service.front_cache): a repeated request answered before Flask.

An answer from the front must be the one Flask would give, byte for byte; it must never cross
variants (format, language, encoding, host), never outlive the data, and leave to Flask what
it cannot answer exactly: conditional requests, methods other than GET and HEAD, and every
request while a rate limit counts them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import Response
from werkzeug.test import EnvironBuilder

from service.http.front_cache import REQUESTS_SHARE, FrontCache, _entry

from .linked_data_fixture import make_dataset
from .test_response_cache import LABELS, cache_of, make, same


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("front"))


def counting(app) -> list[str]:
    """The paths Flask itself handled (a front answer never reaches a Flask hook)."""
    seen: list[str] = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: seen.append(_request_path()))
    return seen


def passing_the_front(app) -> list[str]:
    """The paths that went past the front cache (to /sparql's query front, or to Flask)."""
    layer = app.wsgi_app
    while not isinstance(layer, FrontCache):
        layer = layer.app  # the outer layers: HeadLimit, BodyGate
    behind = layer.wsgi_app
    seen: list[str] = []

    def counted(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return behind(environ, start_response)

    layer.wsgi_app = counted
    return seen


def _request_path() -> str:
    from flask import request

    return request.full_path.rstrip("?")


REPEATED = [
    ("/doc/region/JP-32.ttl", {}),
    ("/doc/region/JP-32.html", {"Accept-Language": "ja", "Accept-Encoding": "gzip"}),
    ("/doc/region/JP-32", {"Accept": "application/ld+json"}),
    ("/sparql?" + urlencode({"query": LABELS}), {"Accept": "text/csv"}),
]


@pytest.mark.parametrize(("path", "headers"), REPEATED)
def test_a_repeat_is_answered_before_flask_byte_for_byte(dataset, path, headers):
    app, _ = make(dataset)
    went_past = passing_the_front(app)
    first = app.test_client().get(path, headers=headers)
    again = app.test_client().get(path, headers=headers)
    assert first.status_code == 200
    assert len(went_past) == 1  # the second was answered by the front cache
    same(first, again)
    assert again.headers["Content-Length"] == str(len(again.get_data()))


def test_variants_stay_apart(dataset):
    app, _ = make(dataset)
    client = app.test_client()
    asked = [
        ({"Accept": "text/turtle"}, "text/turtle"),
        ({"Accept": "application/ld+json"}, "application/ld+json"),
        ({"Accept": "text/html", "Accept-Language": "ko"}, "text/html"),
        ({"Accept": "text/html", "Accept-Language": "ru"}, "text/html"),
    ]
    for _ in range(2):  # the second round comes from the front
        bodies = []
        for headers, media_type in asked:
            response = client.get("/doc/region/JP-32", headers=headers)
            assert response.mimetype == media_type
            bodies.append(response.get_data())
        assert len(set(bodies)) == len(asked)
        assert '<html lang="ru">' in bodies[3].decode()
    mirror = client.get("/doc/region/JP-32.html", base_url="http://mirror.example:8080")
    assert b"mirror.example:8080" in mirror.get_data()
    plain = client.get("/doc/region/JP-32.ttl")
    zipped = client.get("/doc/region/JP-32.ttl", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"


def test_head_after_get_has_the_headers_and_no_body(dataset):
    app, _ = make(dataset)
    went_past = passing_the_front(app)  # to Flask, or to a front before it
    client = app.test_client()
    got = client.get("/doc/region/JP-32.ttl")
    head = client.head("/doc/region/JP-32.ttl")
    assert len(went_past) == 1
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == str(len(got.get_data()))
    assert head.headers["ETag"] == got.headers["ETag"]


def test_conditional_and_post_requests_go_past_the_front_cache(dataset):
    app, _ = make(dataset)
    went_past = passing_the_front(app)  # to Flask, or the POSTs to /sparql's query front
    client = app.test_client()
    etag = client.get("/doc/region/JP-32.nt").headers["ETag"]
    conditional = client.get("/doc/region/JP-32.nt", headers={"If-None-Match": etag})
    assert conditional.status_code == 304 and conditional.get_data() == b""
    client.post("/sparql", data={"query": LABELS})
    client.post("/sparql", data={"query": LABELS})
    assert len(went_past) == 4


def test_a_reload_is_never_answered_from_the_previous_data(tmp_path):
    root = make_dataset(tmp_path / "data")
    app, store = make(root)
    client = app.test_client()
    for _ in range(2):
        before = client.get("/doc/region/JP-32.ttl").get_data()
    regions = root / "data/turtle/regions.ttl"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("Shimane Prefecture", "Shimane Renamed"),
        encoding="utf-8",
    )
    store.reload()
    after = client.get("/doc/region/JP-32.ttl").get_data()
    assert b"Shimane Renamed" in after and b"Shimane Renamed" not in before


def test_with_a_rate_limit_every_request_is_counted(dataset):
    app, _ = make(dataset, rate_limit="2/minute")
    client = app.test_client()
    statuses = [client.get("/doc/region/JP-32.ttl").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_errors_and_uncached_pages_are_not_kept(dataset):
    app, _ = make(dataset)
    flask_saw = counting(app)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/doc/region/XX-99.ttl").status_code == 404
        assert client.get("/healthz").status_code == 200
    assert len(flask_saw) == 4
    assert not any(key[0] == "front" for key in cache_of(app)._entries)


def test_an_answer_varying_on_a_header_outside_the_key_is_not_kept():
    by_origin = [("Content-Type", "text/plain"), ("Vary", "Accept, Origin")]
    by_accept = [("Content-Type", "text/plain"), ("Vary", "accept, Accept-Language")]
    cookie = [("Content-Type", "text/plain"), ("Set-Cookie", "a=b")]
    assert _entry(by_origin, [b"x"]) is None
    assert _entry(cookie, [b"x"]) is None
    assert _entry(by_accept, [b"x", b"y"]).body == b"xy"


def test_unmarked_responses_pass_through_untouched(dataset):
    app, store = make(dataset)
    cache = cache_of(app)

    def streamed(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"a"
        yield b"b"

    front = FrontCache(streamed, store, cache)
    answer = Response.from_app(front, EnvironBuilder(path="/x").get_environ())
    assert answer.get_data() == b"ab"
    assert len(cache) == 0


def test_spellings_that_negotiate_one_representation_share_its_copy(dataset):
    # the front keeps the bytes under the response cache's representation key, and each
    # request as sent only remembers which key it got: two spellings, one copy
    app, _ = make(dataset)
    client = app.test_client()
    spellings = ["text/turtle", "text/turtle;q=0.9, text/html;q=0.1", "text/turtle, */*;q=0.1"]
    answers = [client.get("/doc/region/JP-32", headers={"Accept": a}) for a in spellings]
    assert {answer.mimetype for answer in answers} == {"text/turtle"}
    kept = [key for key in cache_of(app)._entries if key[0] == "front"]
    assert len(kept) == 1
    flask_saw = counting(app)
    for accept, first in zip(spellings, answers, strict=True):
        same(first, client.get("/doc/region/JP-32", headers={"Accept": accept}))
    assert flask_saw == []  # each spelling is answered from the front


def test_what_negotiation_read_keeps_answers_apart(dataset):
    # /doc/x?format=ttl and /doc/x with Accept: text/turtle are the same Turtle, but only the
    # second was chosen by Accept and must say Vary: Accept (a shared cache relies on it)
    app, _ = make(dataset)
    client = app.test_client()
    by_name = client.get("/doc/region/JP-32?format=ttl")
    by_accept = client.get("/doc/region/JP-32", headers={"Accept": "text/turtle"})
    fresh = make(dataset, cache_bytes=0)[0].test_client()
    same(by_name, fresh.get("/doc/region/JP-32?format=ttl"))
    same(by_accept, fresh.get("/doc/region/JP-32", headers={"Accept": "text/turtle"}))
    assert "Accept" in by_accept.headers["Vary"]


def test_many_spellings_cannot_grow_the_front_without_bound(dataset):
    # each request as sent is remembered with its headers, which the client writes: a client
    # sending ever new long Accept headers is held to a share of the cache's bound
    app, _ = make(dataset, cache_bytes=2_000_000)
    front = app.wsgi_app
    while not isinstance(front, FrontCache):
        front = front.app
    client = app.test_client()
    padding = ", ".join(f"x/filler-{n};q=0.1" for n in range(300))  # about 6 KB
    for n in range(80):
        accept = f"text/turtle, x/n{n};q=0.2, {padding}"
        assert client.get("/doc/region/JP-32", headers={"Accept": accept}).status_code == 200
    assert 0 < front._answered_bytes <= front.cache.max_bytes // REQUESTS_SHARE
    assert len(front._answered) < 80


def test_a_real_server_answers_every_spelling_alike(start_server):
    # Granian's own WSGI environ carries the front slot: repeats and other spellings of one
    # representation get the same bytes, and a suffix-chosen one keeps its own headers
    import requests

    server = start_server()
    url = server.url + "/doc/region/JP-32"
    spellings = ["text/turtle", "text/turtle;q=0.9, text/html;q=0.1", "text/turtle"]
    answers = [requests.get(url, headers={"Accept": a}, timeout=30) for a in spellings]
    for answer in answers:
        assert answer.status_code == 200 and answer.content == answers[0].content
        assert answer.headers["Vary"] == answers[0].headers["Vary"]
        assert answer.headers["ETag"] == answers[0].headers["ETag"]
    assert "Accept" in answers[0].headers["Vary"].split(", ")
    for _ in range(2):
        by_name = requests.get(url, params={"format": "ttl"}, timeout=30)
        assert by_name.content == answers[0].content
        assert "Content-Location" not in by_name.headers
