"""`nearkg ingest`: the seed pages against the curated data, variants of them, new languages."""
# ruff: noqa: E501 (the known differences are quoted verbatim from the curated files)

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from loaders.conference_page import PageError, parse_page
from loaders.ingest import IngestError, ingest_page
from loaders.page_headings import load_table
from service.cli.commands import main

from .conftest import REPO

SOURCES = REPO / "data" / "sources"
MN_PAGE = SOURCES / "000_fd87586da14a5f9b.txt"
EN_PAGE = SOURCES / "001_69d2c7127d6cf458.txt"
PREFIXES = """
@prefix near: <https://w3id.org/near/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix conf: <https://w3id.org/near/id/conference/> . @prefix decl: <https://w3id.org/near/id/declaration/> .
@prefix part: <https://w3id.org/near/id/participation/> . @prefix series: <https://w3id.org/near/id/series/> .
@prefix graph: <https://w3id.org/near/graph/data/conferences/> .
"""

# Known differences between `nearkg ingest` and the curated files, triple by triple. The test
# fails if either side differs in anything else, or if one of these stops being a difference.
#
# Curated only, and right: knowledge that is not in the page's structure (translated names of
# the declaration, the city and altLabels read from the declaration's text, editorial notes, the
# series, and the 1993 facts the 1995 page states); the 1993 organiser, which the page names as
# an association in Shimane Prefecture where the ingester reconciles only the region (it then
# links the region's government); the 1995 Kamchatka participation, labelled with its printed
# name (the ingester labels participations with today's preferred names: Kamchatka Krai).
KNOWN_ONLY_CURATED = {
    1993: """
conf:1993 skos:altLabel "Зүүн Хойд Азийн Бүсийн Бага Хурал ’93"@mn ;
  skos:editorialNote "The page states 11 participating regional authorities from 4 countries (4 улс орноос 11 орон нутгийн эрх баригч) but lists 9: 1 from China, 5 from Japan, 1 from the Republic of Korea and 2 from Russia."@en .
decl:shimane-1993 dcterms:title "Shimane Declaration"@en , "島根宣言"@ja ;
  skos:prefLabel "시마네 선언"@ko , "Декларация Симанэ"@ru , "岛根宣言"@zh .
conf:1993 near:organizer <https://w3id.org/near/id/organization/japan-sea-coast-association-1993> .
<https://w3id.org/near/id/organization/japan-sea-coast-association-1993>
  a <http://www.w3.org/ns/org#FormalOrganization> ;
  skos:prefLabel "Association for promoting the Japan Sea coast (Shimane Prefecture)"@en ,
    "Япон тэнгисийн эргийг дэмжих холбоо"@mn ;
  near:printedName "Япон тэнгисийн эргийг дэмжих холбоо"@mn ;
  skos:editorialNote "Known only from the Mongolian page of the 1st conference, which names it as the organiser in Shimane Prefecture; the English name translates the Mongolian, the association's own (Japanese) name is not in the sources."@en .
""",
    1995: """
conf:1993 near:city "Matsue City"@en , "松江市"@ja ;
  skos:editorialNote "The city of the 1st conference (Matsue) is stated by the Khabarovsk Declaration on the English page of the 3rd conference; the Mongolian page of the 1st conference names only Shimane Prefecture and the venue."@en .
conf:1995 skos:altLabel "Khabarovsk International Conference"@en ;
  near:city "Khabarovsk City"@en , "ハバロフスク市"@ja ;
  skos:editorialNote "The page states 21 participating regional authorities from 4 countries but lists 18: 2 from China, 9 from Japan, 2 from South Korea and 5 from Russia."@en .
decl:khabarovsk-1995 dcterms:title "ハバロフスク宣言"@ja , "Хабаровская декларация"@ru ;
  skos:prefLabel "하바롭스크 선언"@ko , "Хабаровскийн тунхаг"@mn , "Хабаровская декларация"@ru ,
    "哈巴罗夫斯克宣言"@zh .
part:1995-RU-KAM skos:prefLabel "Kamchatka Region at the 3rd NEAR Conference (1995)"@en ,
    "第3回北東アジア地域自治体会議（1995年）へのカムチャツカの参加"@ja ;
  skos:editorialNote "Printed 'Kamchatka Region' in 1995; the participant is linked to the government of today's RU-KAM. The page says nothing more of the region's status at the time, so the label keeps the printed name."@en .
""",
}
# Ingested only: what the curated files decide otherwise (see above).
KNOWN_ONLY_INGESTED = {
    1993: """
conf:1993 near:organizer <https://w3id.org/near/id/government/JP-32> .
""",
    1995: """
part:1995-RU-KAM skos:prefLabel "Kamchatka Krai at the 3rd NEAR Conference (1995)"@en ,
    "第3回北東アジア地域自治体会議（1995年）へのカムチャツカ地方の参加"@ja .
""",
}


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def show(graph: Graph) -> str:
    return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph))


def without_source_documents(graph: Graph) -> tuple[Graph, Graph]:
    """(the graph without the page's source-document description, that description)."""
    rest, sources = Graph(), Graph()
    for triple in graph:
        is_source = str(triple[0]).startswith("https://w3id.org/near/id/source/")
        (sources if is_source else rest).add(triple)
    return rest, sources


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """The repository's data and shapes, copied, with the seed pages under data/sources."""
    root = tmp_path_factory.mktemp("ingest-data")
    for folder in ("ontology", "data", "shapes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.mark.parametrize(("year", "page"), [(1993, MN_PAGE), (1995, EN_PAGE)])
def test_seed_page_matches_curated_data_but_for_the_known_differences(dataset, year, page):
    curated_file = REPO / "data" / "turtle" / "conferences" / f"{year}.ttl"
    assert curated_file.exists(), "the curated conference data (branch neardata) is missing"
    result = ingest_page(dataset / "data" / "sources" / page.name, dataset, strict=True)
    ingested, source_description = without_source_documents(result.graph)
    curated = Graph().parse(curated_file)

    _, only_ingested, only_curated = graph_diff(to_isomorphic(ingested), to_isomorphic(curated))
    expected_ingested = turtle(KNOWN_ONLY_INGESTED[year])
    expected_curated = turtle(KNOWN_ONLY_CURATED[year])
    message = (
        f"\nonly in the ingested graph:\n{show(only_ingested)}"
        f"\nonly in the curated {curated_file.name}:\n{show(only_curated)}"
    )
    assert to_isomorphic(only_ingested) == to_isomorphic(expected_ingested), message
    assert to_isomorphic(only_curated) == to_isomorphic(expected_curated), message

    sources = Graph().parse(REPO / "data" / "turtle" / "sources.ttl")
    missing = Graph()
    for triple in source_description:
        if triple not in sources:
            missing.add(triple)
    assert len(missing) == 0, f"source description not in sources.ttl:\n{show(missing)}"


def test_isomorphic_when_the_known_differences_are_applied(dataset):
    result = ingest_page(dataset / "data" / "sources" / EN_PAGE.name, dataset)
    ingested, _ = without_source_documents(result.graph)
    patched = ingested - turtle(KNOWN_ONLY_INGESTED[1995]) + turtle(KNOWN_ONLY_CURATED[1995])
    curated = Graph().parse(REPO / "data" / "turtle" / "conferences" / "1995.ttl")
    assert to_isomorphic(patched) == to_isomorphic(curated)


def write_variant(dataset: Path, page: Path, name: str, change) -> Path:
    text = change(page.read_text(encoding="utf-8"))
    path = dataset / name
    path.write_bytes(text.encode("utf-8"))
    return path


def triples_of(dataset: Path, path: Path, **options) -> set:
    return set(ingest_page(path, dataset, **options).graph) - set(
        without_source_documents(ingest_page(path, dataset, **options).graph)[1]
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\n".join(f" \t{line}  \t" for line in text.split("\n")).replace(
            "\n", "\n\n\n", 3
        ),
    ],
    ids=["crlf", "extra-whitespace"],
)
@pytest.mark.parametrize("page", [MN_PAGE, EN_PAGE], ids=["mn", "en"])
def test_crlf_and_stray_whitespace_change_nothing(dataset, page, change):
    original = ingest_page(page, dataset).graph
    variant = write_variant(dataset, page, "variant.txt", change)
    assert to_isomorphic(without_source_documents(ingest_page(variant, dataset).graph)[0]) == (
        to_isomorphic(without_source_documents(original)[0])
    )


def test_a_page_without_contents_has_no_agenda_items(dataset):
    def drop_contents(text):
        start = text.index("· Contents")
        return text[:start] + text[text.index("· Khabarovsk Declaration") :]

    variant = write_variant(dataset, EN_PAGE, "no-contents.txt", drop_contents)
    result = ingest_page(variant, dataset)
    assert result.page.agenda == []
    near = "https://w3id.org/near/def#"
    assert not list(result.graph.triples((None, URIRef(near + "hasAgendaItem"), None)))
    assert len(result.page.declaration.resolutions) == 3


def test_a_page_without_declaration(dataset):
    variant = write_variant(
        dataset, EN_PAGE, "no-declaration.txt", lambda t: t[: t.index("· Khabarovsk Declaration")]
    )
    result = ingest_page(variant, dataset)
    assert result.page.declaration is None
    assert "declaration" not in result.summary()


def test_an_unknown_region_is_reported_with_its_line_and_strict_fails(dataset):
    variant = write_variant(
        dataset, EN_PAGE, "unknown.txt", lambda t: t.replace("Amur Region", "Atlantis Region")
    )
    result = ingest_page(variant, dataset)
    assert [(m.line, m.printed) for m in result.unmatched] == [(29, "Atlantis Region")]
    assert "line 29: region name 'Atlantis Region' matches no region" in result.summary()
    assert len(result.page.participation.listed) == 18
    with pytest.raises(IngestError, match="--strict") as raised:
        ingest_page(variant, dataset, strict=True)
    assert (29, "region name 'Atlantis Region' matches no region in the data") in (
        raised.value.problems
    )


def test_a_broken_date_is_an_error_naming_the_line(dataset):
    variant = write_variant(
        dataset, EN_PAGE, "bad-date.txt", lambda t: t.replace("September 07, 1995", "Septober 7")
    )
    with pytest.raises(PageError) as raised:
        ingest_page(variant, dataset)
    assert raised.value.line == 4
    assert "bad-date.txt:4:" in str(raised.value)


def test_cli_writes_nothing_when_the_page_fails(dataset, tmp_path):
    variant = write_variant(
        dataset, EN_PAGE, "bad-date2.txt", lambda t: t.replace("1995 ~ September", "1995 ~ 31/31")
    )
    out = tmp_path / "out.ttl"
    runner = CliRunner()
    result = runner.invoke(
        main, ["ingest", str(variant), "--out", str(out), "--data-dir", str(dataset)]
    )
    assert result.exit_code == 2
    # the error names the file and line of the bad date, and what is wrong with it
    assert f"{variant}:4: unreadable date '31/31" in result.output
    assert not out.exists()
    unknown = write_variant(dataset, EN_PAGE, "u.txt", lambda t: t.replace("Amur", "Atlantis"))
    args = ["ingest", str(unknown), "--strict", "--out", str(out), "--data-dir", str(dataset)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and not out.exists()
    assert "Atlantis Region" in result.output


def test_cli_writes_turtle_and_a_summary(dataset, tmp_path):
    out = tmp_path / "1995.ttl"
    args = ["ingest", str(EN_PAGE), "--out", str(out), "--data-dir", str(dataset), "--lang", "en"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "stated 21 from 4 countries, listed 18" in result.output
    assert "24 matched, 0 unmatched" in result.output
    assert "3 resolution(s)" in result.output
    assert len(Graph().parse(out)) > 200


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1995.09.06 ~ 1995.09.07", "1995-09-06", "1995-09-07"),
        ("6 September 1995 ~ 7 September 1995", "1995-09-06", "1995-09-07"),
        ("1995年9月6日 〜 1995年9月7日", "1995-09-06", "1995-09-07"),
        ("1993-10-08", "1993-10-08", "1993-10-08"),
    ],
)
def test_unambiguous_date_forms(text, start, end):
    page = EN_PAGE.read_text(encoding="utf-8").replace(
        "September 06, 1995 ~ September 07, 1995", text
    )
    parsed = parse_page(page)
    assert (parsed.start.isoformat(), parsed.end.isoformat()) == (start, end)


def test_ambiguous_numeric_date_is_refused():
    page = EN_PAGE.read_text(encoding="utf-8").replace(
        "September 06, 1995 ~ September 07, 1995", "06/09/1995"
    )
    with pytest.raises(PageError, match="ambiguous"):
        parse_page(page)


JAPANESE_ROWS = {
    "title": [r"^第(?P<ordinal>\d+)回北東アジア地域自治体会議$"],
    "overview": ["概要"],
    "period": ["期間"],
    "venue": ["開催地"],
    "organizer": ["主催"],
    "participation": ["参加"],
    "contents": ["内容"],
    "declaration": ["宣言"],
    "declaration_title": [r"^(?P<city>.+)宣言$"],
    "stated_counts": [r"^(?P<countries>\d+)か国(?P<participants>\d+)自治体$"],
    "decision_cues": ["決定"],
    "generic_suffixes": ["県", "道", "州", "地方", "省"],
}


def test_a_language_is_added_by_adding_rows_to_the_heading_table(dataset):
    text = EN_PAGE.read_text(encoding="utf-8")
    for english, japanese in [
        ("The 3rd NEAR Conference", "第3回北東アジア地域自治体会議"),
        ("Overview", "概要"),
        ("Periods", "期間"),
        ("September 06, 1995 ~ September 07, 1995", "1995年9月6日 ~ 1995年9月7日"),
        ("Venue (Place", "開催地"),
        ("Organized by", "主催"),
        ("\tParticipation", "\t参加"),
        ("21 regional authorities from 4 countries", "4か国21自治体"),
        ("Contents", "内容"),
        ("Khabarovsk Declaration", "ハバロフスク宣言"),
    ]:
        text = text.replace(english, japanese)
    with pytest.raises(PageError, match="language"):
        parse_page(text, language="ja")
    table = load_table().with_language("ja", JAPANESE_ROWS)
    page = parse_page(text, table=table)
    assert page.language == "ja" and page.ordinal == 3
    assert (page.participation.stated_participants, page.participation.stated_countries) == (21, 4)
    assert page.declaration.city == "ハバロフスク"
    assert len(page.agenda) == 5 and len(page.declaration.resolutions) == 3

    path = dataset / "ja.txt"
    path.write_text(text, encoding="utf-8")
    result = ingest_page(path, dataset, table=table, strict=True)
    assert "https://w3id.org/near/id/declaration/khabarovsk-1995" in {
        str(s) for s in result.graph.subjects()
    }


def test_ingest_help_has_an_example():
    result = CliRunner().invoke(main, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "nearkg ingest" in result.output


def test_a_near_spelling_is_reported_with_its_best_candidate_and_strict_refuses(dataset):
    """The Mongolian name of the Amur river (Амар мөрөн) written for Amur Oblast (Амур муж)."""
    variant = write_variant(
        dataset,
        MN_PAGE,
        "amar.txt",
        lambda t: t.replace(
            "Приморийн хязгаар, Хабаровск хязгаар", "Приморийн хязгаар, Хабаровск хязгаар, Амар муж"
        ),
    )
    result = ingest_page(variant, dataset)
    (unmatched,) = result.unmatched
    assert (unmatched.line, unmatched.printed) == (29, "Амар муж")
    assert unmatched.candidates[0].entity.code == "RU-AMU"
    assert (
        "line 29: region name 'Амар муж' matches no region exactly: did you mean 'Амур муж' (RU-AMU), score 0."
        in result.summary()
    )
    with pytest.raises(IngestError, match="--strict"):
        ingest_page(variant, dataset, strict=True)


def test_a_name_in_another_romanization_is_taken_and_reported(dataset):
    variant = write_variant(
        dataset, EN_PAGE, "mr.txt", lambda t: t.replace("Gyeongsangbuk-Do,", "Kyongsangbuk,")
    )
    result = ingest_page(variant, dataset, strict=True)
    assert not result.unmatched
    assert "region name 'Kyongsangbuk' taken as 'Gyeongsangbuk-do' (KR-47)" in result.summary()
