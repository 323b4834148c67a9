"""The query front (service.sparql.front): ``GET /sparql?query=`` answered before Flask.

Its answer must be the one Flask's route gives, status, headers and body, byte for byte: the
same negotiation, ``Vary``, CORS and security headers, truncation marks and error shapes. What
it cannot answer exactly (the HTML page, POST, no query, an update, a malformed request, a host
outside NEARKG_TRUSTED_HOSTS, a rate limit) must reach Flask. Each request below is sent to the
front and, with the same environ, straight to Flask behind it, on queries of the real store
run in real query processes."""

from __future__ import annotations

import inspect
import io
from urllib.parse import urlencode

import pytest
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Response

from service.sparql.front import QueryFront

from .linked_data_fixture import make_dataset
from .test_front_cache import counting
from .test_response_cache import LABELS, SHIMANE, make, same

DESCRIBE = f"CONSTRUCT {{ <{SHIMANE}> ?p ?o }} WHERE {{ <{SHIMANE}> ?p ?o }}"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("query-front"))


def layers(app) -> list:
    """The WSGI layers in front of Flask's own ``wsgi_app``, outermost first."""
    found, layer = [], app.wsgi_app
    while not inspect.ismethod(layer):
        found.append(layer)
        layer = getattr(layer, "app", None) or layer.wsgi_app
    return found


def front_of(app) -> QueryFront:
    return next(layer for layer in layers(app) if isinstance(layer, QueryFront))


def both_ways(app, path: str, headers: dict[str, str]):
    """(the front's answer, Flask's answer) to the same request."""
    front = front_of(app)
    by_front = Client(front, Response).get(path, headers=headers)
    by_flask = Client(front.wsgi_app, Response).get(path, headers=headers)
    return by_front, by_flask


def sparql(query: str, **params: str) -> str:
    return "/sparql?" + urlencode({"query": query, **params})


ANSWERED_BY_THE_FRONT = [
    pytest.param(sparql(DESCRIBE), {"Accept": "text/turtle"}, 200, id="construct-turtle"),
    pytest.param(sparql(DESCRIBE), {}, 200, id="construct-no-accept"),
    pytest.param(
        sparql(DESCRIBE),
        {"Accept": "application/sparql-results+json"},
        200,
        id="construct-asking-results-types",
    ),
    pytest.param(
        sparql(LABELS), {"Accept": "application/sparql-results+json"}, 200, id="select-json"
    ),
    pytest.param(sparql(LABELS, format="csv"), {}, 200, id="select-format-csv"),
    # CSV and TSV are for SELECT only: never offered for an ASK
    pytest.param(sparql("ASK { ?s ?p ?o }"), {"Accept": "text/csv"}, 406, id="ask-csv-406"),
    pytest.param(
        sparql("ASK { ?s ?p ?o }"),
        {"Accept": "text/tab-separated-values"},
        406,
        id="ask-tsv-406",
    ),
    pytest.param(
        sparql("ASK { ?s ?p ?o }"),
        {"Accept": "text/csv, application/sparql-results+json;q=0.5"},
        200,
        id="ask-csv-or-json",
    ),
    pytest.param(
        sparql("ASK { ?s ?p ?o }"),
        {"Accept": "text/csv, application/problem+json;q=0.1"},
        406,
        id="ask-csv-406-problem-json",
    ),
    pytest.param(sparql(EVERYTHING), {"Accept": "application/json"}, 200, id="cut-json"),
    pytest.param(
        sparql(EVERYTHING), {"Accept": "application/sparql-results+xml"}, 200, id="cut-xml"
    ),
    pytest.param(sparql(LABELS), {"Accept": "text/turtle"}, 406, id="select-as-turtle-406"),
    pytest.param(sparql("SELECT * WHERE { ?s ?p }"), {}, 400, id="malformed-400"),
    pytest.param(
        sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"),
        {"Accept": "application/problem+json"},
        400,
        id="service-refused-problem-json",
    ),
]


@pytest.mark.parametrize(("path", "headers", "status"), ANSWERED_BY_THE_FRONT)
def test_the_front_answers_as_flask_does(dataset, path, headers, status):
    app, _ = make(dataset, cache_bytes=0, result_limit=5)
    flask_saw = counting(app)
    by_front, by_flask = both_ways(app, path, headers)
    assert by_front.status_code == status
    same(by_front, by_flask)
    assert len(flask_saw) == 1  # only the request sent straight to Flask ran its hooks
    assert by_front.headers["Access-Control-Allow-Origin"] == "*"
    assert by_front.headers["X-Content-Type-Options"] == "nosniff"
    if status == 200 and urlencode({"query": EVERYTHING}) in path:
        assert by_front.headers["NearKG-Results-Truncated"] == "true; limit=5"


LEFT_TO_FLASK = [
    pytest.param("/sparql", {}, id="no-query-description"),
    pytest.param(sparql(DESCRIBE), {"Accept": "text/html"}, id="html-page"),
    pytest.param(sparql(LABELS, editor="x"), {"Accept": "text/html,*/*;q=0.1"}, id="html-first"),
    # an ASK's only text/* type is the page (no CSV or TSV for an ASK)
    pytest.param(sparql("ASK { ?s ?p ?o }"), {"Accept": "text/*"}, id="ask-text-wildcard-page"),
    pytest.param("/sparql?query=a&query=b", {}, id="two-queries-400"),
    pytest.param("/sparql?update=" + "CLEAR%20ALL", {}, id="update-by-get-405"),
    pytest.param("/sparql?querry=x", {}, id="typo-400"),
]


@pytest.mark.parametrize(("path", "headers"), LEFT_TO_FLASK)
def test_what_the_front_cannot_answer_goes_to_flask(dataset, path, headers):
    app, _ = make(dataset, cache_bytes=0)
    flask_saw = counting(app)
    by_front, by_flask = both_ways(app, path, headers)
    assert by_front.status_code == by_flask.status_code
    # the description's blank nodes differ per answer: the headers but its length
    assert unsized(by_front) == unsized(by_flask)
    assert len(flask_saw) == 2  # both reached the route


def unsized(response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k != "Content-Length")


POSTS = [
    pytest.param({"query": DESCRIBE}, None, {"Accept": "text/turtle"}, 200, 0, id="form"),
    pytest.param(
        DESCRIBE.encode(),
        "application/sparql-query",
        {"Accept": "application/n-triples"},
        200,
        0,
        id="direct",
    ),
    pytest.param({"query": "ASK {"}, None, {}, 400, 0, id="form-malformed"),
    # handed on to Flask, which must read the body from its start again
    pytest.param({"update": "CLEAR ALL"}, None, {}, 403, 1, id="update-to-flask"),
    pytest.param({"query": LABELS}, None, {"Accept": "text/html"}, 200, 1, id="page-to-flask"),
    pytest.param(b"q", "text/plain", {}, 415, 1, id="unsupported-to-flask"),
]


@pytest.mark.parametrize(("data", "content_type", "headers", "status", "to_flask"), POSTS)
def test_a_post_is_answered_as_flask_answers_it(
    dataset, data, content_type, headers, status, to_flask
):
    app, _ = make(dataset, cache_bytes=0)
    front = front_of(app)
    flask_saw = counting(app)
    sent = {"data": data, "headers": headers}
    if content_type:
        sent["content_type"] = content_type
    by_front = Client(front, Response).post("/sparql", **sent)
    by_flask = Client(front.wsgi_app, Response).post("/sparql", **sent)
    assert by_front.status_code == status
    assert unsized(by_front) == unsized(by_flask)
    if status != 200 or "html" not in headers.get("Accept", ""):
        same(by_front, by_flask)
    assert len(flask_saw) == 1 + to_flask


def test_a_body_still_on_the_connection_goes_to_flask(dataset):
    """Without BodyGate's buffer (the front only reads a body read whole) Flask reads it."""
    app, _ = make(dataset, cache_bytes=0)
    front = front_of(app)
    flask_saw = counting(app)
    environ = EnvironBuilder(
        path="/sparql", method="POST", data={"query": LABELS}, headers={"Accept": "text/csv"}
    ).get_environ()
    environ["wsgi.input"] = io.BufferedReader(io.BytesIO(environ["wsgi.input"].read()))
    answer = Response.from_app(front, environ)
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert len(flask_saw) == 1


def test_a_host_outside_the_trusted_hosts_is_refused_as_flask_refuses_it(dataset):
    app, _ = make(dataset, cache_bytes=0, trusted_hosts=("near.example",))
    flask_saw = counting(app)
    refused, by_flask = both_ways(app, sparql(DESCRIBE), {"Host": "evil.example"})
    assert refused.status_code == 400
    same(refused, by_flask)
    trusted = Client(front_of(app), Response).get(
        sparql(DESCRIBE), headers={"Host": "near.example"}
    )
    assert trusted.status_code == 200
    assert len(flask_saw) == 2  # both refusals came from Flask; the trusted host's answer not


def test_no_front_while_a_rate_limit_counts_requests(dataset):
    app, _ = make(dataset, rate_limit="1000/minute")
    assert not any(isinstance(layer, QueryFront) for layer in layers(app))
    flask_saw = counting(app)
    app.test_client().get(sparql(LABELS), headers={"Accept": "text/csv"})
    assert len(flask_saw) == 1
