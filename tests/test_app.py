import json

import pytest

from loaders.store import KnowledgeStore
from service.app import create_app

from .conftest import make_app


@pytest.fixture
def client(tiny_dataset):
    return make_app(tiny_dataset).test_client()


def test_healthz_reports_triples_and_load_time(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["triples"] == 6
    assert body["loaded_at"].startswith("20")
    assert body["version"]
    assert response.headers["Cache-Control"] == "no-store"


def test_home_lists_graphs_with_counts(client):
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "https://w3id.org/near/graph/data/regions" in page
    assert "data/turtle/regions.ttl" in page
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in response.headers["Content-Security-Policy"]


def test_head_answers_like_get_without_body(client):
    get = client.get("/healthz")
    head = client.head("/healthz")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/json", "application/json"),
        ("application/problem+json", "application/problem+json"),
        ("text/html", "text/html"),
        (None, "text/plain"),
        ("image/png", "text/plain"),
    ],
)
def test_error_shape_is_negotiated(client, accept, mimetype):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/no/such/page", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]
    text = response.get_data(as_text=True)
    if mimetype.endswith("json"):
        body = json.loads(text)
        assert set(body) >= {"type", "title", "status", "detail", "instance"}
        assert body["status"] == 404
        assert body["instance"] == "/no/such/page"
    else:
        assert "404" in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("path", "headers", "vary"),
    [
        # an HTML error page is written in the reader's language: a shared cache must not give
        # the Japanese page to an English reader
        (
            "/no/such/page",
            {"Accept": "text/html", "Accept-Language": "ja"},
            "Accept, Accept-Language",
        ),
        ("/no/such/page", {"Accept": "text/html"}, "Accept, Accept-Language"),
        # chosen in the address, the language no longer depends on the header
        ("/no/such/page?lang=ja", {"Accept": "text/html", "Accept-Language": "en"}, "Accept"),
        ("/no/such/page", {"Accept": "application/json", "Accept-Language": "ja"}, "Accept"),
        ("/no/such/page", {"Accept-Language": "ja"}, "Accept"),
    ],
)
def test_an_error_varies_on_what_chose_its_format_and_language(client, path, headers, vary):
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    assert response.headers["Vary"] == vary


def test_an_html_error_lists_items_as_words_not_as_python(client):
    page = client.get("/dumps/no-such-dump", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert "[&#39;" not in text and "['" not in text
    assert "near-kg.nq, near-kg.nq.gz" in text


def test_a_plain_text_error_lists_one_item_a_line(client):
    text = client.get("/dumps/no-such-dump").get_data(as_text=True)
    assert "['" not in text  # not Python's repr of a list
    lines = text.splitlines()
    listed = lines[lines.index("dumps:") + 1 :]
    assert listed and all(line.startswith("  near-kg.") for line in listed)


def test_wrong_method_gets_405_with_allow(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_error_pages_escape_what_the_client_sent(client):
    response = client.get("/<script>alert(1)</script>", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_unexpected_errors_are_500_without_traceback(tiny_settings):
    store = KnowledgeStore(tiny_settings, validator=False)
    store.reload()
    app = create_app(tiny_settings, store=store)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)


def test_settings_are_read_when_the_app_is_created_not_at_import(monkeypatch, tiny_dataset):
    monkeypatch.setenv("NEARKG_DATA_DIR", str(tiny_dataset))
    monkeypatch.setenv("NEARKG_BASE", "http://127.0.0.1:1/x/")
    app = create_app()
    assert app.config["NEARKG_SETTINGS"].base == "http://127.0.0.1:1/x/"
    assert app.test_client().get("/healthz").get_json()["triples"] == 6


def test_language_from_header_and_query(client):
    page = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="ja">' in page
    page = client.get("/?lang=mn", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="mn">' in page
