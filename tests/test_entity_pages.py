"""HTML pages of things and the site: languages, labels, provenance, escaping, search."""

from __future__ import annotations

import json
import re

import pytest

from .linked_data_fixture import HOSTILE, make_app, make_dataset

REGION_NAMES = {
    "en": "Shimane Prefecture",
    "ja": "島根県",
    "ko": "시마네현",
    "zh": "岛根县",
    "ru": "Префектура Симанэ",
    "mn": "Шимане муж",
}
COUNTRY_PROPERTY = {
    "en": "country",
    "ja": "国",
    "ko": "국가",
    "zh": "国家",
    "ru": "страна",
    "mn": "улс",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = make_dataset(tmp_path_factory.mktemp("pages"))
    return make_app(root).test_client()


@pytest.mark.parametrize("lang", sorted(REGION_NAMES))
def test_title_and_property_labels_in_the_readers_language(client, lang):
    by_header = client.get("/doc/region/JP-32.html", headers={"Accept-Language": lang})
    by_query = client.get(f"/doc/region/JP-32.html?lang={lang}", headers={"Accept-Language": "en"})
    for response in (by_header, by_query):
        text = response.get_data(as_text=True)
        assert f"<title>{REGION_NAMES[lang]} ·" in text
        assert f'<html lang="{lang}">' in text
        assert f">{COUNTRY_PROPERTY[lang]}</a>" in text


def test_missing_language_falls_back_to_english(client):
    text = client.get("/doc/region/JP-31.html?lang=ko").get_data(as_text=True)
    assert "<title>Tottori Prefecture ·" in text


def test_language_choice_varies_and_changes_the_etag(client):
    ja = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "ja"})
    en = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "en"})
    assert "Accept-Language" in ja.headers["Vary"]
    assert ja.headers["ETag"] != en.headers["ETag"]


def test_page_shows_types_linked_labels_sources_breadcrumbs_and_alternates(client):
    text = client.get("/doc/government/JP-32.html?lang=ja").get_data(as_text=True)
    assert ">地方政府</a>" in text  # type label from the ontology
    assert 'href="http://localhost/id/country/JP?lang=ja"><bdi>日本</bdi>' in text
    assert "NEARパンフレット" in text  # source of the membership statement
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', text, re.S).group(0)
    assert "日本" in crumbs and "島根県" in crumbs
    for media_type in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        assert f'<link rel="alternate" type="{media_type}"' in text
    assert '<link rel="describedby" type="text/turtle" href="/.well-known/void">' in text


def test_embedded_schema_org_json_ld_is_valid_and_escaped(client):
    text = client.get("/doc/region/JP-31.html").get_data(as_text=True)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    assert "</" not in script and "<script" not in script
    data = json.loads(script)
    assert data["@id"] == "https://w3id.org/near/id/region/JP-31"
    assert data["name"] == "Tottori Prefecture"
    assert HOSTILE in data["alternateName"]  # the hostile name is there, escaped for JSON


def test_hostile_labels_are_escaped(client):
    text = client.get("/doc/region/JP-31.html").get_data(as_text=True)
    assert HOSTILE not in text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
    assert "\u202eevil\u202c" in text  # kept, but isolated:
    assert re.search(r"<bdi[^>]*>[^<]*\u202eevil", text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shimane", "region/JP-32"),
        ("SHIMANE", "region/JP-32"),
        ("島根", "region/JP-32"),
        ("시마네", "region/JP-32"),
        ("симанэ", "region/JP-32"),
        ("шимане", "region/JP-32"),
        ("tottori-ken", "region/JP-31"),  # ō matches o
        ("TŌTTORI", "region/JP-31"),
        ("jp-31", "region/JP-31"),
    ],
)
def test_search_matches_names_in_any_language_ignoring_case_and_diacritics(client, query, expected):
    response = client.get(
        "/search", query_string={"q": query}, headers={"Accept": "application/json"}
    )
    assert response.mimetype == "application/json"
    iris = [r["iri"] for r in response.get_json()["results"]]
    assert f"https://w3id.org/near/id/{expected}" in iris
    html = client.get("/search", query_string={"q": query}, headers={"Accept": "text/html"})
    assert html.mimetype == "text/html"
    assert f"/doc/{expected}" in html.get_data(as_text=True)


def test_search_escapes_the_query(client):
    text = client.get("/search", query_string={"q": '<script>"'}).get_data(as_text=True)
    assert '<script>"' not in text


@pytest.mark.parametrize(
    "path", ["/", "/members", "/conferences", "/browse/region", "/browse/source", "/search"]
)
def test_site_pages_render(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_home_keeps_the_graph_table_and_shows_near_at_a_glance(client):
    text = client.get("/").get_data(as_text=True)
    assert "<h2>Graphs</h2>" in text
    assert "1 member and 0 observer regional governments" in text
    assert 'href="/browse/conference"' in text


def test_members_are_grouped_by_country(client):
    text = client.get("/members?lang=ja").get_data(as_text=True)
    assert "日本" in text and "島根県政府" in text


def test_incoming_links_are_paged(tmp_path):
    lines = ["@prefix near: <https://w3id.org/near/def#> ."]
    for n in range(120):
        lines.append(
            f"<https://w3id.org/near/id/participation/1993-X{n}> "
            "near:conference <https://w3id.org/near/id/conference/1993> ."
        )
    root = make_dataset(tmp_path, {"data/turtle/many.ttl": "\n".join(lines)})
    client = make_app(root).test_client()
    first = client.get("/doc/conference/1993.html").get_data(as_text=True)
    assert 'rel="next" href="/doc/conference/1993.html?page=2"' in first
    third = client.get("/doc/conference/1993.html?page=3").get_data(as_text=True)
    assert 'rel="next"' not in third and 'rel="prev"' in third
    assert client.get("/doc/conference/1993.html?page=x").status_code == 400


def test_an_english_fallback_is_marked_as_english(client):
    text = client.get("/doc/region/JP-31.html?lang=ko").get_data(as_text=True)
    assert '<h1 lang="en">Tottori Prefecture</h1>' in text
    assert '<html lang="ko">' in text


# Tottori's government (named in English only) at the 1993 conference, beside the fixture
TOTTORI_AT_1993 = """@prefix near: <https://w3id.org/near/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/near/id/government/JP-31> a near:RegionalGovernment ;
    near:governs <https://w3id.org/near/id/region/JP-31> ;
    near:country <https://w3id.org/near/id/country/JP> ; skos:prefLabel "Government of Tottori"@en .
<https://w3id.org/near/id/participation/1993-JP-31> a near:Participation ;
    near:conference <https://w3id.org/near/id/conference/1993> ;
    near:participant <https://w3id.org/near/id/government/JP-31> .
"""


@pytest.fixture(scope="module")
def fallback_client(tmp_path_factory):
    extra = {"data/turtle/tottori-1993.ttl": TOTTORI_AT_1993}
    return make_app(make_dataset(tmp_path_factory.mktemp("fallbacks"), extra)).test_client()


# a name shown in a language other than the page's (a fallback) carries its own lang, wherever
# it is shown: (address, the page's language, the name as the page shows it)
FALLBACK_NAMES = [
    ("/search?q=tottori", "ko", '/doc/region/JP-31?lang=ko" lang="en">Tottori Prefecture</a>'),
    ("/search?q=tottori", "ja", '/doc/region/JP-31?lang=ja">鳥取県</a>'),
    ("/search?q=resolution", "mn", '?lang=mn" lang="en">Resolution 1</a>'),
    # "did you mean" (the query finds nothing)
    ("/search?q=tottor+prefectur+x", "ja", 'lang="en">Government of Tottori</a>?</p>'),
    ("/browse/participation", "ko", '/1993-JP-31?lang=ko" lang="en">Tottori Prefecture</a>'),
    ("/browse/participation", "ru", '/1993-JP-31?lang=ru">Тотторі</a>'),
    ("/browse/participation", "zh", '/1993-JP-32?lang=zh">岛根县</a>'),
    # the home page names a coordinator by its subcommittee and region, each in its language
    ("/", "ko", '/environment?lang=ko"><span lang="en">Environment</span>: 시마네현</a>'),
    ("/", "ja", '/environment?lang=ja">環境: 島根県</a>'),
    ("/", "ru", '?lang=ru"><span lang="en">Environment</span>: Префектура Симанэ</a>'),
    # a statement's source, in a thing's tables (the Sources box marked it already)
    ("/doc/government/JP-32", "ko", '<td class="src"><a class="source" href="http://localhost'
     '/id/source/shimane-1993-mn?lang=ko" lang="mn">Shimane 1993 (mn)</a>'),
    ("/doc/government/JP-32", "ja", '<td class="src"><a class="source" href="http://localhost'
     '/id/source/brochure-ja?lang=ja">NEARパンフレット</a>'),
    # the reconciliation service's preview of a thing, and the thing it belongs to
    ("/reconcile/preview?id=region/JP-31", "ko", 'rel="noopener" lang="en">Tottori Prefecture</a>'),
    ("/reconcile/preview?id=region/JP-31", "ja", 'rel="noopener">鳥取県</a>'),
    ("/reconcile/preview?id=coordination/environment", "ko", '<p lang="en">Environment</p>'),
]  # fmt: skip


@pytest.mark.parametrize(("path", "lang", "shown"), FALLBACK_NAMES)
def test_a_name_in_a_fallback_language_is_marked(fallback_client, path, lang, shown):
    separator = "&" if "?" in path else "?"
    text = fallback_client.get(f"{path}{separator}lang={lang}", headers={"Accept": "text/html"})
    assert shown in text.get_data(as_text=True)


def test_search_answers_name_the_language_of_their_names(fallback_client):
    """/suggest's list (suggest.js) marks names as the page does, from these."""
    for address in ("/suggest?q=tottori&lang=ko", "/search?q=tottori&lang=ko"):
        answer = fallback_client.get(address, headers={"Accept": "application/json"}).get_json()
        region = next(r for r in answer["results"] if r["iri"].endswith("/region/JP-31"))
        assert (region["label"], region["label_lang"]) == ("Tottori Prefecture", "en")
    answer = fallback_client.get("/suggest?q=tottori+prefecture&lang=ja").get_json()
    region = next(r for r in answer["results"] if r["iri"].endswith("/region/JP-31"))
    assert (region["label"], region["label_lang"]) == ("鳥取県", "ja")
    assert (region["matched"], region["matched_lang"]) == ("Tottori Prefecture", "en")


# -- the real data: statuses, links and the source of each statement (issue 20) ---------------


@pytest.fixture(scope="module")
def real_client():
    from loaders.settings import Settings
    from loaders.store import KnowledgeStore
    from service.app import create_app

    from .conftest import REPO

    settings = Settings.from_env({}, data_dir=REPO)
    return create_app(settings, store=KnowledgeStore.open(settings)).test_client()


def _row(page: str, value: str) -> str:
    """The first table row of the page that shows ``value`` (the statements come first)."""
    return next(r for r in re.findall(r"<tr>.*?</tr>", page, flags=re.S) if f">{value}</bdi>" in r)


def _source_of(page: str, row: str) -> str:
    """The source a statement's row credits: its own marker, else the page's Sources box
    (issue 19: one box per page, a marker only where a statement's source differs)."""
    own = re.search(r'<td class="src">(.*?)</td>', row, flags=re.S)
    if own and own.group(1).strip():
        return own.group(1).strip()
    return re.search(r'<section class="sources-box".*?</section>', page, flags=re.S).group(0)


def test_a_region_page_credits_each_statement_to_its_own_source(real_client):
    page = real_client.get("/doc/region/JP-32.html?lang=en").get_data(as_text=True)
    assert "near-kg curation" in _source_of(page, _row(page, "Шиманэ муж"))
    assert "ISO 3166" not in _source_of(page, _row(page, "Шиманэ муж"))
    assert "ISO 3166" in _source_of(page, _row(page, "JP-32"))
    # the same text is a curated preferred name and, as printed, the brochure's
    rows = [r for r in re.findall(r"<tr>.*?</tr>", page, flags=re.S) if ">島根県</bdi>" in r]
    printed = [r for r in rows if "def#printedName" in r]
    assert len(printed) == 1 and "NEAR brochure" in _source_of(page, printed[0])
    assert any("near-kg curation" in _source_of(page, r) for r in rows if r not in printed)


def test_a_region_page_says_where_else_it_is_described(real_client):
    page = real_client.get("/doc/region/JP-32.html?lang=ja").get_data(as_text=True)
    (line,) = re.findall(r'<p class="also-on">.*?</p>', page)
    assert "外部のページ" in line
    assert 'href="http://www.wikidata.org/entity/Q132751"' in line and ">Wikidata<" in line
    assert 'href="https://sws.geonames.org/1852442/"' in line and ">GeoNames<" in line
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert "http://www.wikidata.org/entity/Q132751" in data["sameAs"]


@pytest.mark.parametrize(
    "path, status, note",
    [
        ("/doc/conference/1996.html", "planned", "no source here states its dates"),
        ("/doc/conference/1994.html", "inferred", "implied by the declaration"),
        ("/doc/membership/RU-AL.html", "uncertain", "Altai Krai"),
    ],
)
def test_a_thing_the_sources_do_not_settle_shows_its_status_by_its_name(
    real_client, path, status, note
):
    page = real_client.get(path + "?lang=en").get_data(as_text=True)
    (line,) = re.findall(r'<p class="status">.*?</p>', page, flags=re.S)
    assert f">{status}</a>" in line and note in line
    assert page.index('class="status"') < page.index("<table")


def test_a_planned_conference_page_shows_no_host_region(real_client):
    page = real_client.get("/doc/conference/1996.html?lang=en").get_data(as_text=True)
    assert ">planned host region</a>" in page and ">host region</a>" not in page


def test_linked_from_is_ordered_by_name_across_pages(tmp_path):
    # names in the reverse order of the addresses: the pages follow the names
    lines = ["@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for n in range(1, 121):
        lines.append(
            f'<https://w3id.org/near/id/publication/P{n:03d}> rdfs:label "Report {121 - n}"@en ;'
            " <https://w3id.org/near/def#about> <https://w3id.org/near/id/country/JP> ."
        )
    root = make_dataset(tmp_path, {"data/turtle/reports.ttl": "\n".join(lines)})
    client = make_app(root).test_client()
    shown = []
    for page in (1, 2, 3):
        text = client.get(f"/doc/country/JP.html?page={page}&lang=en").get_data(as_text=True)
        names = [int(n) for n in re.findall(r"<bdi>Report (\d+)</bdi>", text)]
        assert "<small>(120)</small>" in text  # every statement counted on every page
        shown.append(names)
    assert shown[0] == list(range(1, 51))  # numbers in the reader's order: 2 before 10
    assert shown[1] == list(range(51, 101))
    assert shown[2] == list(range(101, 121))


def test_records_past_those_shown_are_counted_and_all_in_the_rdf(tmp_path):
    lines = ["@prefix org: <http://www.w3.org/ns/org#> ."]
    for n in range(40):
        lines.append(
            f"<https://w3id.org/near/id/membership/M{n:02d}> org:organization"
            f' <https://w3id.org/near/id/organization/near> ; org:memberDuring "{1990 + n}" .'
        )
    root = make_dataset(tmp_path, {"data/turtle/memberships.ttl": "\n".join(lines)})
    client = make_app(root).test_client()
    text = client.get("/doc/organization/near.html").get_data(as_text=True)
    assert "30 / 41 " in text  # the fixture's own membership and these 40
    assert text.count("<h3><a href=") == 30
    turtle = client.get("/doc/organization/near.ttl").get_data(as_text=True)
    assert all(f'"{1990 + n}"' in turtle for n in range(40))


def test_the_site_menu_follows_the_readers_language(client):
    chosen = client.get("/doc/region/JP-32.html?lang=ja").get_data(as_text=True)
    assert '<a href="/members?lang=ja">会員</a>' in chosen
    asked = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "ja"})
    assert '<a href="/members">会員</a>' in asked.get_data(as_text=True)
    english = client.get("/doc/region/JP-32.html", headers={"Accept-Language": "en"})
    assert '<a href="/members">Members</a>' in english.get_data(as_text=True)


# the longest name DNS allows (253 characters, labels of at most 63) and a port: the longest
# Host a request may name (request_view.MAX_HOST_CHARS)
LONGEST_HOST = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61]) + ":65535"


def test_the_longest_host_a_name_can_be_is_linked_and_one_character_more_is_refused(client):
    from service.http.request_view import MAX_HOST_CHARS
    from service.linked_data import things

    assert len(LONGEST_HOST) == MAX_HOST_CHARS
    response = client.get("/doc/region/JP-32.html", headers={"Host": LONGEST_HOST})
    assert response.status_code == 200
    assert f'href="http://{LONGEST_HOST}/def' in response.get_data(as_text=True)
    assert f"http://{LONGEST_HOST}" in {key[1] for key in things._PAGE_URLS}
    longer = client.get("/doc/region/JP-32.html", headers={"Host": "e" + LONGEST_HOST})
    assert longer.status_code == 400
    assert "Host header" in longer.get_data(as_text=True)
