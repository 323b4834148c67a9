"""What the sources say, and only that: statements once missing, statuses, and names (issue 20).

Each check reads the data as the service loads it (every data graph) and, where it can, the
source text itself (data/sources/), so that the data is held to the text, not to a copy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
TURTLE = ROOT / "data" / "turtle"
BASE = "https://w3id.org/near/"
NEAR = Namespace(BASE + "def#")
ID = Namespace(BASE + "id/")
BROCHURE = next((ROOT / "data" / "sources").glob("003_*.txt")).read_text(encoding="utf-8")
SHIMANE = next((ROOT / "data" / "sources").glob("000_*.txt")).read_text(encoding="utf-8")


def flat(text: str) -> str:
    """The brochure's text without the page layout's line breaks and blanks."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def data() -> Dataset:
    ds = Dataset(default_union=True)
    for path in sorted(TURTLE.rglob("*.ttl")):
        name = path.relative_to(TURTLE).with_suffix("").as_posix()
        ds.graph(URIRef(f"{BASE}graph/data/{name}")).parse(path, format="turtle")
    return ds


# ------------------------------------------------------------------ statements once missing


def test_the_brochures_two_context_paragraphs_are_nears_background(data):
    background = [str(t) for t in data.objects(ID["organization/near"], NEAR.background)]
    assert len(background) == 2
    for text in background:
        assert flat(text) in flat(BROCHURE), text
    joined = " ".join(background)
    assert "世界3大経済軸" in joined and "共同窓口" in joined and "国境を超えた交流" in joined


def test_the_1997_working_committee_meeting_is_a_meeting_of_that_body(data):
    meeting = ID["meeting/working-committee-1997"]
    assert (meeting, RDF.type, NEAR.BodyMeeting) in data
    assert (meeting, NEAR.meetingOf, ID["body/working-committee"]) in data
    assert str(data.value(meeting, NEAR.year)) == "1997"
    (printed,) = data.objects(meeting, NEAR.printedName)
    assert flat(printed) in flat(BROCHURE)


def test_the_subcommittees_organisation_is_stated_with_its_limit(data):
    body = ID["body/subcommittees"]
    composition = {str(t) for t in data.objects(body, NEAR.composition)}
    assert "産業別、テーマ別に構成" in composition
    functions = " ".join(str(t) for t in data.objects(body, NEAR.function))
    assert "分野別に分科委員会を設け" in functions
    for text in data.objects(body, NEAR.composition | NEAR.function):
        if text.language == "ja":
            assert flat(text) in flat(BROCHURE), text
    (note,) = data.objects(body, SKOS.editorialNote)
    assert "Group I" in note and "no subcommittee is given a group" in note
    assert not list(data.subjects(NEAR.group, None))


def test_the_secretariats_one_office_two_sections_is_data(data):
    composition = [str(t) for t in data.objects(ID["body/secretariat"], NEAR.composition)]
    assert any("1処2課" in text and flat(text) in flat(BROCHURE) for text in composition)
    # the office is known only by its head's title: no unit is made of it
    assert (ID["unit/secretariat-division"], None, None) not in data


# ------------------------------------------------------------------ planned, inferred, uncertain


def test_no_conference_only_planned_has_a_host_region(data):
    planned = set(data.subjects(NEAR.status, NEAR.Planned))
    assert planned == {ID["conference/1996"]}
    for conference in planned:
        assert not list(data.objects(conference, NEAR.hostRegion))
    assert list(data.objects(ID["conference/1996"], NEAR.plannedHostRegion)) == [ID["region/KR-47"]]


def test_the_1994_ordinal_is_inferred_and_says_so(data):
    conference = ID["conference/1994"]
    assert not list(data.objects(conference, NEAR.ordinal))
    assert str(data.value(conference, NEAR.inferredOrdinal)) == "2"
    assert (conference, NEAR.status, NEAR.Inferred) in data
    labels = {label.language: str(label) for label in data.objects(conference, SKOS.prefLabel)}
    assert "inferred" in labels["en"] and "推定" in labels["ja"]
    # every label that writes the ordinal marks it as inferred
    marks = {"ko": "추정", "zh": "推定", "ru": "предположительно", "mn": "таамагласан"}
    for lang, mark in marks.items():
        assert mark in labels[lang], lang


def test_every_stated_ordinal_is_in_a_source(data):
    stated = {str(c): int(o) for c, o in data.subject_objects(NEAR.ordinal) if "conference/" in c}
    assert stated == {f"{BASE}id/conference/1993": 1, f"{BASE}id/conference/1995": 3}


def test_the_1993_organiser_is_the_association_the_page_names(data):
    (organizer,) = data.objects(ID["conference/1993"], NEAR.organizer)
    assert organizer != ID["government/JP-32"]
    (printed,) = data.objects(organizer, NEAR.printedName)
    assert str(printed) in SHIMANE and str(printed).endswith("холбоо")


def test_the_altai_reading_is_uncertain_in_the_rdf(data):
    membership = ID["membership/RU-AL"]
    assert (membership, NEAR.status, NEAR.Uncertain) in data
    (note,) = data.objects(membership, SKOS.editorialNote)
    assert "Altai Krai" in note and "RU-ALT" in note
    assert list(data.objects(ID["region/RU-AL"], SKOS.editorialNote))


def test_every_thing_with_a_status_says_why(data):
    for thing in set(data.subjects(NEAR.status, None)):
        assert list(data.objects(thing, SKOS.editorialNote)), thing


# ------------------------------------------------------------------ beyond the text: removed


def test_no_fact_beyond_the_text_remains(data):
    figure = ID["figure/near-grdp"]
    assert [str(u) for u in data.objects(figure, NEAR.unit)] == ["dollars"]
    assert not list(data.objects(ID["organization/ivran"], NEAR.partnerCategory))
    assert [
        str(t) for t in data.objects(ID["body/secretariat"], URIRef("http://schema.org/telephone"))
    ] == ["+82-54-223-2308, 2324"]
    for partner in ("aer", "r20", "ivran"):
        (address,) = data.objects(ID[f"organization/{partner}"], NEAR.printedWebAddress)
        assert not str(address).startswith("http") and str(address) in BROCHURE
    kamchatka = {str(t) for t in data.objects(ID["participation/1995-RU-KAM"], SKOS.prefLabel)}
    assert not any("Krai" in t or "地方" in t for t in kamchatka)


def test_names_no_source_supports_are_gone(data):
    kr45 = {str(t) for t in data.objects(ID["region/KR-45"], SKOS.prefLabel)}
    assert "Jeollabuk-do" in kr45 and "全羅北道" in kr45
    assert not any("特別自治" in t or "특별자치" in t for t in kr45)


# ------------------------------------------------------------------ names


def test_korean_names_carry_no_chinese_characters(data):
    for thing in {
        *data.subjects(RDF.type, NEAR.Region),
        *data.subjects(RDF.type, NEAR.RegionalGovernment),
    }:
        for label in data.objects(thing, SKOS.prefLabel):
            if label.language == "ko":
                assert not re.search(r"[\u4e00-\u9fff]", label), (thing, label)
    assert Literal("섬서성", lang="ko") in set(data.objects(ID["region/CN-SN"], SKOS.prefLabel))
    assert Literal("산시성", lang="ko") in set(data.objects(ID["region/CN-SX"], SKOS.prefLabel))


@pytest.mark.parametrize(
    "code, printed", [("JP-32", "Шиманэ муж"), ("JP-15", "Нийгата муж"), ("JP-16", "Тояама муж")]
)
def test_mongolian_names_follow_the_mongolian_source(data, code, printed):
    assert printed in SHIMANE
    assert Literal(printed, lang="mn") in set(data.objects(ID[f"region/{code}"], SKOS.prefLabel))


def test_the_brochure_says_that_it_is_undated_and_records_hold_as_of_it(data):
    brochure = ID["source/brochure-ja"]
    (note,) = data.objects(brochure, SKOS.editorialNote)
    assert "undated" in note
    for cls in (NEAR.Membership, NEAR.Coordination):
        for record in data.subjects(RDF.type, cls):
            assert list(data.objects(record, NEAR.holdsAsOf)) == [brochure], record


def test_names_are_credited_to_the_curation_not_iso(data):
    name = Literal("Шиманэ муж", lang="mn")
    graphs = {
        str(g.identifier) for g in data.graphs() if (ID["region/JP-32"], SKOS.prefLabel, name) in g
    }
    assert graphs == {f"{BASE}graph/data/names/regions"}
    sources = set(
        data.objects(
            URIRef(f"{BASE}graph/data/names/regions"),
            URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
        )
    )
    assert sources == {ID["source/near-kg-curation"]}
