"""Figures (issue 12): drawn from the live data, in six languages, accessible and escaped,
served as SVG, CSV and JSON with ETags, and changing when the data changes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from loaders.figure_data import FIGURES, figure_table
from loaders.settings import LANGUAGES, Settings
from loaders.store import KnowledgeStore
from service.figures import svg as palette
from service.figures.catalog import CATALOG
from service.figures.svg import text_width

from .conftest import make_app
from .figure_support import FIGURE_NAMES, SVG_NS, contrast, parse_svg, remove_resource, texts

REPO = Path(__file__).resolve().parent.parent
NEAR = "https://w3id.org/near/id/"


def make_client(data_dir: Path):
    return make_app(data_dir, validator=True, allow_invalid=True).test_client()


@pytest.fixture(scope="module")
def client():
    return make_client(REPO)


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# -- what exists ----------------------------------------------------------------------------


def test_every_figure_has_a_drawing_and_a_saved_query():
    assert tuple(CATALOG) == FIGURES == FIGURE_NAMES
    for name in FIGURES:
        assert (REPO / "sparql" / f"figure-{name}.rq").is_file(), name


def test_the_figures_page_lists_all_four_with_caption_query_and_data_links(client):
    page = client.get("/figures?lang=en").get_data(as_text=True)
    for name in FIGURES:
        assert f'id="figure-{name}"' in page  # the inline svg
        assert f'href="/queries/figure-{name}?lang=en"' in page
        assert f'href="/figures/{name}.csv?lang=en"' in page
        assert f'href="/figures/{name}.json?lang=en"' in page
    assert "How many regional governments of each country are NEAR members" in page
    assert page.count("<figcaption>") == 4


# -- the data in the figures ----------------------------------------------------------------


def test_members_chart_agrees_with_the_members_per_country_query(client):
    rows = csv_rows(client.get("/figures/members-by-country.csv"))
    got = {r["countryCode"]: (int(r["members"]), int(r["observers"])) for r in rows}
    assert got == {
        "CN": (6, 4), "JP": (10, 1), "KP": (2, 0), "KR": (16, 0), "MN": (22, 0), "RU": (15, 0),
    }  # fmt: skip
    assert sum(m for m, _ in got.values()) == 71 and sum(o for _, o in got.values()) == 5


def test_participation_matrix_shows_stated_and_listed_counts(client):
    svg = parse_svg(client.get("/figures/participation-matrix.svg").data)
    counts = [t.text for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "count"]
    # stated row then listed row, one cell per conference 1993..1996
    assert counts == ["11", "—", "21", "—", "9", "0", "18", "0"]
    took_part = [c for c in svg.iter(f"{SVG_NS}circle") if c.get("class") == "took-part"]
    assert len(took_part) == 9 + 18


def test_timeline_says_when_a_source_states_no_ordinal(client):
    words = texts(parse_svg(client.get("/figures/conference-timeline.svg?lang=en").data))
    assert [w for w in words if w[:1].isdigit() or w == "ordinal not stated"] == [
        "1993",
        "1st",
        "1994",
        "2nd (inferred)",
        "1995",
        "3rd",
        "1996",
        "ordinal not stated",
    ]
    assert "Host region: Shimane Prefecture · 1993-10-08 – 1993-10-10" in words
    # 1996 was only planned: no host region, the region where it was planned
    assert "Planned host region: Gyeongsangbuk-do" in words
    assert not any(w.startswith("Host region: Gyeongsangbuk-do") for w in words)


def test_network_joins_each_subcommittee_to_its_coordinator(client):
    svg = parse_svg(client.get("/figures/coordination-network.svg?lang=en").data)
    groups = {
        g.get("data-region"): [t.text for t in g.iter(f"{SVG_NS}text")]
        for g in svg.iter(f"{SVG_NS}g")
        if g.get("class") == "coordinator"
    }
    assert len(groups) == 14
    assert groups[NEAR + "region/JP-16"] == ["Environment Subcommittee", "Toyama Prefecture"]


# -- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_is_drawn_in_every_language(client, lang):
    for name in FIGURES:
        response = client.get(f"/figures/{name}.svg?lang={lang}")
        assert response.status_code == 200
        root = parse_svg(response.data)
        assert root.get("lang") == lang


def test_names_are_in_the_page_language(client):
    words = texts(parse_svg(client.get("/figures/members-by-country.svg?lang=ja").data))
    assert "中国" in words and "モンゴル" in words and "会員" in words
    words = texts(parse_svg(client.get("/figures/coordination-network.svg?lang=ru").data))
    assert "Подкомитеты и регионы-координаторы" in words


def test_a_name_missing_in_the_language_falls_back_to_english(real_dataset):
    regions = real_dataset / "data" / "turtle" / "names" / "regions.ttl"
    text = regions.read_text(encoding="utf-8")
    assert 'skos:prefLabel "富山県"@ja ;' in text
    regions.write_text(text.replace('skos:prefLabel "富山県"@ja ;', ""), encoding="utf-8")
    words = texts(
        parse_svg(make_client(real_dataset).get("/figures/coordination-network.svg?lang=ja").data)
    )
    assert "Toyama Prefecture" in words and "島根県" in words


def test_headings_use_the_ontology_label_in_the_page_language(real_dataset):
    ontology = real_dataset / "ontology" / "near.ttl"
    text = ontology.read_text(encoding="utf-8")
    assert '"Subcommittee"@en' in text
    changed = text.replace('"Subcommittee"@en', '"sub-committee"@en', 1)
    ontology.write_text(changed, encoding="utf-8")
    client = make_client(real_dataset)
    english = texts(parse_svg(client.get("/figures/coordination-network.svg?lang=en").data))
    assert "Sub-committee" in english and "Subcommittee" not in english
    japanese = texts(parse_svg(client.get("/figures/coordination-network.svg?lang=ja").data))
    assert "分科委員会" in japanese and "Sub-committee" not in japanese


# -- accessibility and escaping -------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURES)
def test_svg_is_an_accessible_image(client, name):
    root = parse_svg(client.get(f"/figures/{name}.svg?lang=ko").data)
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text and len(desc.text) > 40
    assert float(root.get("width")) > 100 and float(root.get("height")) > 100


def test_text_has_at_least_aa_contrast_and_shapes_three_to_one(client):
    backgrounds = (palette.BACKGROUND, palette.BAND)
    for name in FIGURES:
        root = parse_svg(client.get(f"/figures/{name}.svg").data)
        for element in root.iter():
            needed = 4.5 if element.tag == f"{SVG_NS}text" else 3.0
            for colour in (element.get("fill"), element.get("stroke")):
                if not colour or not colour.startswith("#") or colour in backgrounds:
                    continue
                worst = min(contrast(colour, b) for b in backgrounds)
                assert worst >= needed, (name, element.tag, colour, worst)


def test_labels_from_the_data_are_escaped(real_dataset):
    countries = real_dataset / "data" / "turtle" / "names" / "countries.ttl"
    text = countries.read_text(encoding="utf-8")
    assert '"Mongolia"@en' in text
    hostile = '<script>alert(1)</script> & "Mongolia"'
    countries.write_text(
        text.replace('"Mongolia"@en', '"' + hostile.replace('"', '\\"') + '"@en'),
        encoding="utf-8",
    )
    client = make_client(real_dataset)
    data = client.get("/figures/members-by-country.svg?lang=en").get_data(as_text=True)
    assert "<script>" not in data
    assert hostile in texts(parse_svg(data))
    page = client.get("/figures?lang=en").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page


def test_a_label_with_a_character_xml_cannot_hold_still_draws_an_svg(real_dataset):
    """A control character in a label (the shapes let it through) is drawn as U+FFFD: the
    figure is still XML a parser reads, on its own and embedded in a page."""
    countries = real_dataset / "data" / "turtle" / "names" / "countries.ttl"
    text = countries.read_text(encoding="utf-8")
    assert '"Mongolia"@en' in text
    countries.write_text(text.replace('"Mongolia"@en', '"Mon\\u0001golia"@en'), encoding="utf-8")
    client = make_client(real_dataset)
    data = client.get("/figures/members-by-country.svg?lang=en").get_data(as_text=True)
    assert "\x01" not in data
    assert "Mon\ufffdgolia" in texts(parse_svg(data))


def test_text_width_counts_wide_characters_as_one_em():
    assert text_width("島根県", 10) == pytest.approx(30)
    assert text_width("Shimane", 10) < text_width("島根県島根県島", 10)


# -- HTTP -----------------------------------------------------------------------------------


def test_formats_and_their_media_types(client):
    assert client.get("/figures/members-by-country.svg").mimetype == "image/svg+xml"
    assert client.get("/figures/members-by-country.csv").mimetype == "text/csv"
    body = client.get("/figures/members-by-country.json?lang=zh").get_json()
    assert body["lang"] == "zh" and body["query"].endswith("/queries/figure-members-by-country")
    assert body["columns"][:2] == ["lang", "country"] and len(body["rows"]) == 6
    negotiated = client.get("/figures/timeline", headers={"Accept": "text/csv"})
    assert negotiated.status_code == 404
    negotiated = client.get("/figures/conference-timeline", headers={"Accept": "text/csv"})
    assert negotiated.mimetype == "text/csv" and "Accept" in negotiated.headers["Vary"]


def test_csv_is_the_saved_query_result(client):
    store = KnowledgeStore(Settings.from_env({}, data_dir=REPO))
    store.reload(allow_invalid=True)
    table = figure_table(store, REPO / "sparql", "participation-matrix", "ja")
    rows = csv_rows(client.get("/figures/participation-matrix.csv?lang=ja"))
    assert [tuple(r.values()) for r in rows] == [tuple(r.values()) for r in table.rows]


def test_etag_depends_on_language_and_answers_304(client):
    en = client.get("/figures/conference-timeline.svg?lang=en")
    ja = client.get("/figures/conference-timeline.svg?lang=ja")
    assert en.headers["ETag"] != ja.headers["ETag"]
    again = client.get(
        "/figures/conference-timeline.svg?lang=en", headers={"If-None-Match": en.headers["ETag"]}
    )
    assert again.status_code == 304


def test_vary_accept_language_only_when_the_header_chose_the_language(client):
    chosen_by_header = client.get(
        "/figures/members-by-country.csv", headers={"Accept-Language": "ko"}
    )
    assert "Accept-Language" in chosen_by_header.headers["Vary"]
    assert csv_rows(chosen_by_header)[0]["countryName"] == "중국"
    chosen_by_query = client.get("/figures/members-by-country.csv?lang=ko")
    assert "Accept-Language" not in chosen_by_query.headers["Vary"]


def test_unknown_figures_and_formats_are_404(client):
    assert client.get("/figures/nothing.svg").status_code == 404
    assert client.get("/figures/members-by-country.png").status_code == 404
    problem = client.get("/figures/nothing.csv", headers={"Accept": "application/problem+json"})
    assert problem.get_json()["figures"] == list(FIGURES)


# -- the figures follow the data ------------------------------------------------------------


def test_removing_a_participation_changes_the_matrix(real_dataset):
    before = make_client(real_dataset).get("/figures/participation-matrix.csv").get_data()
    conference = real_dataset / "data" / "turtle" / "conferences" / "1995.ttl"
    assert remove_resource(conference, NEAR + "participation/1995-JP-32") >= 6
    client = make_client(real_dataset)
    response = client.get("/figures/participation-matrix.csv")
    assert response.get_data() != before
    rows = [r for r in csv_rows(response) if r["year"] == "1995"]
    assert {r["listedParticipants"] for r in rows} == {"17"}
    assert NEAR + "region/JP-32" not in {r["region"] for r in rows}
    svg = parse_svg(client.get("/figures/participation-matrix.svg").data)
    counts = [t.text for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "count"]
    assert counts[4:] == ["9", "0", "17", "0"]


NEW_OBSERVER = """@prefix near: <https://w3id.org/near/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/near/graph/data/new-observer> dcterms:title "A test observer"@en ;
    prov:wasDerivedFrom <https://w3id.org/near/id/source/brochure-ja> .
<https://w3id.org/near/id/region/KP-99> a near:Region ; near:iso3166_2 "KP-99" ;
    near:country <https://w3id.org/near/id/country/KP> ;
    near:hasGovernment <https://w3id.org/near/id/government/KP-99> ;
    skos:prefLabel "Test Province"@en .
<https://w3id.org/near/id/government/KP-99> a near:RegionalGovernment ;
    near:governs <https://w3id.org/near/id/region/KP-99> ;
    near:country <https://w3id.org/near/id/country/KP> ;
    skos:prefLabel "Government of Test Province"@en ;
    org:hasMembership <https://w3id.org/near/id/membership/KP-99> .
<https://w3id.org/near/id/membership/KP-99> a near:Membership ;
    org:member <https://w3id.org/near/id/government/KP-99> ;
    org:organization <https://w3id.org/near/id/organization/near> ;
    org:role near:ObserverRole .
"""


def test_adding_an_observer_changes_the_bar_chart(real_dataset):
    (real_dataset / "data" / "turtle" / "new-observer.ttl").write_text(NEW_OBSERVER)
    client = make_client(real_dataset)
    rows = {r["countryCode"]: r for r in csv_rows(client.get("/figures/members-by-country.csv"))}
    assert (rows["KP"]["members"], rows["KP"]["observers"]) == ("2", "1")
    words = texts(parse_svg(client.get("/figures/members-by-country.svg").data))
    assert "2 + 1" in words
    observer_bars = [
        b
        for b in parse_svg(client.get("/figures/members-by-country.svg").data).iter(f"{SVG_NS}rect")
        if b.get("class") == "observers" and float(b.get("width")) > 0
    ]
    assert len(observer_bars) == 3  # China, Japan and now the DPRK


def test_matrix_tells_no_list_from_not_listed(client):
    """1994's page lists nobody: its column has rings ("no list in the source"), never the
    small dots of a region a list leaves out, so Hyogo (the host) is not drawn as absent."""
    svg = parse_svg(client.get("/figures/participation-matrix.svg").data)
    hyogo = next(g for g in svg.iter(f"{SVG_NS}g") if g.get("data-region", "").endswith("JP-28"))
    marks = [c.get("class") for c in hyogo.iter(f"{SVG_NS}circle")]
    assert marks == ["took-part", "no-list", "took-part", "no-list"]  # 1993..1996
    legend = [c.get("class") for c in svg.iter(f"{SVG_NS}circle") if "legend" in c.get("class")]
    assert legend == ["legend-took-part", "legend-not-listed", "legend-no-list"]


def test_inline_figures_link_their_marks_in_the_chosen_language(client):
    text = client.get("/figures?lang=ja").get_data(as_text=True)
    assert 'href="http://localhost/id/region/JP-28?lang=ja"' in text  # a matrix row
    assert 'href="http://localhost/id/conference/1995?lang=ja"' in text  # a year, a dot
    assert 'href="http://localhost/id/country/MN?lang=ja"' in text  # a bar
    assert 'role="group"' in text
    # the SVG file on its own has no links and stays an image
    alone = client.get("/figures/participation-matrix.svg").get_data(as_text=True)
    assert "<a " not in alone and 'role="img"' in alone
