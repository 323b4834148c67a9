"""Entity pages lead with a summary (service/linked_data/entity_summary.py): the real data's 1995
conference, the Khabarovsk Declaration with its resolutions, a region, and a source document
with its own text (read only from data/sources/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO
from .linked_data_fixture import make_app, make_dataset


@pytest.fixture(scope="module")
def client():
    from loaders.settings import Settings
    from service.app import create_app

    return create_app(Settings.from_env({}, data_dir=Path(REPO))).test_client()


def summary_of(text: str) -> str:
    card = re.search(r'<section class="summary".*?</section>', text, re.S).group(0)
    return re.sub(r"<[^>]+>", " ", card)


def test_the_1995_conference_summary(client):
    text = client.get("/doc/conference/1995.html?lang=en").get_data(as_text=True)
    card = summary_of(text)
    for expected in ("1995", "Khabarovsk City", "Government of Khabarovsk Krai", "21", "18"):
        assert expected in card, expected
    assert "Khabarovsk Declaration" in card
    assert "Participants by country" in text
    # each participation once among the records, not again under "Linked from"
    assert text.count('href="http://localhost/id/participation/1995-JP-32') == 2  # link, record


def test_dates_in_the_readers_language(client):
    card = summary_of(client.get("/doc/conference/1995.html?lang=ja").get_data(as_text=True))
    assert "1995年9月6日" in card
    card = summary_of(client.get("/doc/conference/1995.html?lang=ru").get_data(as_text=True))
    assert "сент" in card


def test_the_declaration_carries_its_resolutions_in_order(client):
    text = client.get("/doc/declaration/khabarovsk-1995.html?lang=en").get_data(as_text=True)
    passages = re.findall(r'<section class="passage">(.*?)</section>', text, re.S)
    assert len(passages) == 4
    headings = [re.sub(r"<[^>]+>", "", p.split("</h3>")[0]) for p in passages[1:]]
    assert [h.strip()[-1] for h in headings] == ["1", "2", "3"]
    assert "Regional Government Representatives Conference" in passages[1]


def test_no_datatype_jargon(client):
    text = client.get("/doc/conference/1995.html?lang=en").get_data(as_text=True)
    assert "g year" not in text and ">integer<" not in text


def test_a_source_page_shows_its_text(client):
    text = client.get("/doc/source/khabarovsk-1995-en.html?lang=ja").get_data(as_text=True)
    assert '<pre class="source-text" lang="en">The 3rd NEAR Conference' in text


def test_a_source_path_outside_the_sources_folder_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not show")
    hostile = (
        "@prefix near: <https://w3id.org/near/def#> .\n"
        "<https://w3id.org/near/id/source/evil> a near:SourceDocument ;\n"
        f'  near:localCopy "../{secret.name}" .\n'
        "<https://w3id.org/near/id/source/evil2> a near:SourceDocument ;\n"
        f'  near:localCopy "{secret}" .\n'
    )
    root = make_dataset(tmp_path / "data-root", {"data/turtle/evil.ttl": hostile})
    client = make_app(root).test_client()
    for key in ("evil", "evil2"):
        response = client.get(f"/doc/source/{key}.html")
        assert response.status_code == 200
        assert "do not show" not in response.get_data(as_text=True)


def test_a_region_names_its_membership_conferences_and_subcommittees(client):
    card = summary_of(client.get("/doc/region/JP-32.html?lang=en").get_data(as_text=True))
    for expected in (
        "Government of Shimane Prefecture",
        "1st NEAR Conference (1993)",  # hosted and attended
        "3rd NEAR Conference (1995)",
        "Education and Cultural Exchange Subcommittee",
    ):
        assert expected in card, expected


def test_a_subcommittee_names_its_coordinator_by_region(client):
    text = client.get("/doc/subcommittee/environment.html?lang=ja").get_data(as_text=True)
    card = summary_of(text)
    assert "富山県" in card and "政府" not in card  # the region, not the post
    assert "青少年環境セミナー" in text


def test_coordinators_are_named_by_the_region_holding_the_post(client):
    text = client.get("/browse/coordination?lang=en").get_data(as_text=True)
    assert ">Toyama Prefecture</a>" in text and "Coordinator of" not in text
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Environment Subcommittee: Toyama Prefecture</a>" in home


def test_who_attended_what_names_the_regions_under_each_conference(client):
    text = client.get("/browse/participation?lang=en").get_data(as_text=True)
    assert ">Shimane Prefecture</a>" in text and " at the 3rd NEAR Conference" not in text


def test_the_conference_page_lists_its_contents_in_order(client):
    text = client.get("/doc/conference/1995.html?lang=en").get_data(as_text=True)
    contents = text.split("Contents of the conference", 1)[1]
    headings = re.findall(r"contents item (\d+)", contents)[:5]
    assert headings == ["1", "2", "3", "4", "5"]
    assert "Gyeongsangbuk-do" in contents  # item 2: the 1996 conference decided


def test_a_conference_without_a_list_says_so(client):
    card = summary_of(client.get("/doc/conference/1994.html?lang=en").get_data(as_text=True))
    assert "no list in the source" in card and "0 listed" not in card
