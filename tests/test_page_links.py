"""Addresses of the site's own pages keep the chosen language (service/page_links.py), and
lists are ordered for the reader (service/collation.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, g

from service.collation import sorted_for
from service.page_links import language_field, language_switch_url, page_url


@pytest.fixture
def app():
    return Flask(__name__)


def chosen(lang: str | None):
    g.lang = lang or "en"
    g.lang_chosen_by = "query" if lang else "header"


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
