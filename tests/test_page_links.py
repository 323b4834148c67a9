"""Addresses of the site's own pages keep the chosen language (service/pages/page_links.py), and
lists are ordered for the reader (service/pages/collation.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g

from service.pages.collation import sorted_for
from service.pages.page_links import language_field, language_switch_url, page_url


@pytest.fixture
def app():
    return Flask(__name__)


def chosen(lang: str | None):
    """The request view of the request in context, with ``lang`` chosen by ``?lang=``
    (None: by the browser's Accept-Language)."""
    from flask import request

    from service.http.request_view import RequestView

    g.view = RequestView(
        language=lang or "en",
        language_from="query" if lang else "header",
        accept=None,
        format_name=None,
        gzip=False,
        host_url=request.host_url.rstrip("/"),
        path=request.path,
        base="https://w3id.org/near/",
        snapshot=None,
        args=request.args,
    )


def test_a_chosen_language_goes_before_the_fragment(app):
    with app.test_request_context("/doc/region/JP-32?lang=ja", base_url="http://here.test"):
        chosen("ja")
        assert page_url("/def#country") == "/def?lang=ja#country"
        assert page_url("/members") == "/members?lang=ja"
        assert page_url("/search?q=a+b") == "/search?q=a+b&lang=ja"
        assert page_url("/doc/conference/1993.html", page=2) == (
            "/doc/conference/1993.html?page=2&lang=ja"
        )
        assert page_url("http://here.test/id/region/JP-32") == (
            "http://here.test/id/region/JP-32?lang=ja"
        )
        assert page_url("https://www.wikidata.org/wiki/Q1") == "https://www.wikidata.org/wiki/Q1"
        assert 'name="lang" value="ja"' in language_field()


def test_a_language_the_browser_chose_leaves_addresses_clean(app):
    with app.test_request_context("/members", base_url="http://here.test"):
        chosen(None)
        assert page_url("/def#country") == "/def#country"
        assert str(language_field()) == ""


def test_the_switcher_keeps_the_query(app):
    with app.test_request_context("/search?q=%E5%B3%B6%E6%A0%B9&lang=en"):
        chosen("en")
        assert language_switch_url("mn") == "/search?q=%E5%B3%B6%E6%A0%B9&lang=mn"
    with app.test_request_context("/sparql?query=SELECT+*&lang=ja"):
        chosen("ja")
        assert language_switch_url("ko") == "/sparql?query=SELECT+%2A&lang=ko"


def test_lists_are_ordered_for_the_reader():
    assert sorted_for(["item 10", "item 2", "item 1"], "en") == ["item 1", "item 2", "item 10"]
    assert sorted_for(["Өвөрхангай", "Архангай", "Хэнтий"], "mn") == [
        "Архангай",
        "Өвөрхангай",
        "Хэнтий",
    ]
    # code points would put Zoe first and Émile last
    assert sorted_for(["Zoe", "Émile", "eve"], "en") == ["Émile", "eve", "Zoe"]


def test_the_locale_folder_is_packaged():
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert "locale/*/LC_MESSAGES/*.po" in pyproject and "static/vendor/**/*" in pyproject


def test_an_address_of_this_site_stands_for_its_thing(app):
    from service.pages.page_links import thing_iri_of

    base = "https://w3id.org/near/"
    with app.test_request_context("/queries/x/results", base_url="http://here.test"):
        chosen(None)
        for address in (
            "http://here.test/doc/region/JP-32.html?lang=ja",
            "http://here.test/id/region/JP-32",
            "/doc/region/JP-32",
        ):
            assert thing_iri_of(address, base) == base + "id/region/JP-32"
        assert thing_iri_of("http://here.test/def?lang=ja#country", base) == base + "def#country"
        elsewhere = "http://elsewhere.test/doc/region/JP-32"
        assert thing_iri_of(elsewhere, base) == elsewhere
        assert thing_iri_of(base + "id/region/JP-32", base) == base + "id/region/JP-32"


def test_a_saved_query_accepts_a_pasted_page_address():
    from loaders.settings import Settings
    from service.app import create_app

    client = create_app(Settings.from_env({}, data_dir=Path(__file__).parent.parent)).test_client()
    by_iri = client.get(
        "/queries/declaration-resolutions/results?format=json"
        "&declaration=https://w3id.org/near/id/declaration/khabarovsk-1995"
    ).get_json()
    pasted = client.get(
        "/queries/declaration-resolutions/results?format=json"
        "&declaration=http://localhost/doc/declaration/khabarovsk-1995.html%3Flang%3Dja"
    ).get_json()
    assert len(by_iri["results"]["bindings"]) == 3
    assert pasted == by_iri


def test_a_bad_parameter_shows_the_form_again_with_what_was_typed():
    from loaders.settings import Settings
    from service.app import create_app

    client = create_app(Settings.from_env({}, data_dir=Path(__file__).parent.parent)).test_client()
    response = client.get(
        "/queries/declaration-resolutions/results?declaration=not+an+iri&lang=ja",
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="parameter-error"' in text and "パラメーターに誤りがあります" in text
    assert 'value="not an iri"' in text
    plain = client.get("/queries/declaration-resolutions/results?declaration=not+an+iri")
    assert plain.status_code == 400 and plain.mimetype != "text/html"
