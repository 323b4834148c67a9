"""Addresses of the site's own pages keep the chosen language (service/pages/page_links.py), and
lists are ordered for the reader (service/pages/collation.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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


@pytest.fixture(scope="module")
def real_client():
    from loaders.settings import Settings
    from service.app import create_app

    return create_app(Settings.from_env({}, data_dir=Path(__file__).parent.parent)).test_client()


# pages whose every link to a page of this site must keep ?lang= (the home page, a conference
# page and /figures draw figure blocks: the kept block of figures.views.figure_embed)
LINKED_PAGES = [
    "/", "/figures", "/doc/conference/1993", "/doc/country/JP", "/doc/subcommittee/environment",
    "/members", "/conferences", "/browse/participation", "/search?q=shimane",
    "/search?q=shimanx", "/graph/data/members", "/def", "/void", "/dumps/", "/shapes",
    "/validation", "/queries", "/queries/conference-participants/results",
    "/sparql?query=SELECT+%3Fs+WHERE+%7B%3Fs+a+%3Ft%7D+LIMIT+3", "/reconcile/docs",
    "/reconcile/preview?id=region/JP-32", "/nowhere",
]  # fmt: skip
# links that are not to pages: files, the health check, data documents (a format suffix, or
# ?format=) and the figures' data files, which always name their language
NOT_PAGES = re.compile(
    r"^/(?:static/|favicon\.ico$|healthz$|sitemap\.xml$|dumps/.|figures/.+\.(?:csv|json|svg)$)"
    r"|\.(?:ttl|jsonld|json|rdf|nt)$"
)
OWN_HOST = "http://localhost"


def page_links(text: str) -> list[str]:
    """The links of a page to pages of this site (``<a href>``, path and query), but for
    the language switcher's (``hreflang``), which name their language."""
    found = []
    for attributes in re.findall(r"<a\b([^>]*)>", text):
        href = re.search(r'\shref="([^"]*)"', attributes)
        if not href or " hreflang=" in attributes:
            continue
        address = html.unescape(href.group(1))
        if address.startswith(OWN_HOST + "/"):
            address = address[len(OWN_HOST) :]
        if not address.startswith("/") or address.startswith("//"):
            continue  # another site, or an anchor on this page
        parts = urlsplit(address)
        if NOT_PAGES.search(parts.path) or "format" in parse_qs(parts.query):
            continue
        found.append(address)
    return found


@pytest.mark.parametrize("lang", ["ja", "ko", "mn"])
@pytest.mark.parametrize("path", LINKED_PAGES)
def test_every_link_to_a_page_keeps_the_chosen_language(real_client, path, lang):
    """One address names one page in one language (README "Languages"): a reader who chose
    a language keeps it on every link; a reader whose browser chose it gets clean links. Both
    are asked in turn, so a figure block kept for one (figure_embed) cannot serve the other."""
    separator = "&" if "?" in path else "?"
    for _ in range(2):
        asked = real_client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
        links = page_links(asked.get_data(as_text=True))
        assert links, path
        assert [a for a in links if "lang" in parse_qs(urlsplit(a).query)] == [], path
        chosen = real_client.get(f"{path}{separator}lang={lang}", headers={"Accept": "text/html"})
        links = page_links(chosen.get_data(as_text=True))
        assert links, path
        lost = [a for a in links if parse_qs(urlsplit(a).query).get("lang") != [lang]]
        assert lost == [], path
