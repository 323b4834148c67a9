"""Every saved query (sparql/*.rq) returns the expected result (tests/fixtures/queries/*.csv).

The data: every data/turtle/**/*.ttl file, each in its own named graph (docs/model.md), queried
with the union of the named graphs as the default graph. Parameters are bound with pyoxigraph
``substitutions``. Cells are compared as IRIs / literal lexical forms (empty for unbound); row
order matters only when the query has ORDER BY.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from loaders.saved_queries import find, list_queries
from loaders.settings import Settings
from loaders.store import KnowledgeStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "turtle"
SPARQL = ROOT / "sparql"
FIXTURES = ROOT / "tests" / "fixtures" / "queries"
BASE = "https://w3id.org/near/"
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
LANGUAGES = ("en", "ja", "ko", "zh", "ru", "mn")


def graph_of(path: Path) -> str:
    return f"{BASE}graph/data/{path.relative_to(DATA).with_suffix('').as_posix()}"


@pytest.fixture(scope="module")
def store() -> KnowledgeStore:
    """The repository's dataset as the service loads it: default graph = data + ontology."""
    store = KnowledgeStore(Settings.from_env({}, data_dir=DATA.parent.parent))
    store.reload(allow_invalid=False)
    return store


def cell(term) -> str:
    if term is None:
        return ""
    return term.value  # NamedNode: the IRI; Literal: the lexical form; BlankNode: its id


def run(store: KnowledgeStore, name: str, params: dict[str, str] | None = None):
    query = find(SPARQL, name)
    results = store.query(
        query.text,
        substitutions=query.substitutions(params or {}),
    )
    variables = [v.value for v in results.variables]
    rows = [[cell(solution[v]) for v in variables] for solution in results]
    return query, variables, rows


def expected(fixture: str) -> tuple[list[str], list[list[str]]]:
    with (FIXTURES / f"{fixture}.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return table[0], table[1:]


def ordered(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", text, re.IGNORECASE) is not None


CASES = [
    ("members-per-country", None, "members-per-country"),
    ("conference-participants", None, "conference-participants"),
    (
        "conference-participants",
        {"conference": f"{BASE}id/conference/1993"},
        "conference-participants-1993",
    ),
    ("regions-in-first-and-third-conference", None, "regions-in-first-and-third-conference"),
    ("subcommittee-coordinators", None, "subcommittee-coordinators"),
    ("coordinators-at-third-conference", None, "coordinators-at-third-conference"),
    ("declaration-resolutions", None, "declaration-resolutions"),
    (
        "declaration-resolutions",
        {"declaration": f"{BASE}id/declaration/shimane-1993"},
        "declaration-resolutions-shimane-1993",
    ),
    ("conferences-in-order", None, "conferences-in-order"),
    ("conferences-count-mismatch", None, "conferences-count-mismatch"),
    ("source-of-fact", None, "source-of-fact"),
    (
        "source-of-fact",
        {
            "subject": f"{BASE}id/conference/1993",
            "predicate": f"{BASE}def#hostRegion",
            "object": f"{BASE}id/region/JP-32",
        },
        "source-of-fact-1993-host",
    ),
    # a literal object (N-Triples syntax): a curated name comes from the curation, not ISO
    (
        "source-of-fact",
        {
            "subject": f"{BASE}id/region/JP-32",
            "predicate": "http://www.w3.org/2004/02/skos/core#prefLabel",
            "object": '"Шиманэ муж"@mn',
        },
        "source-of-fact-name",
    ),
    (
        "source-of-fact",
        {
            "subject": f"{BASE}id/region/JP-32",
            "predicate": f"{BASE}def#iso3166_2",
            "object": '"JP-32"',
        },
        "source-of-fact-code",
    ),
    (
        "source-of-fact",
        {
            "subject": f"{BASE}id/region/JP-32",
            "predicate": f"{BASE}def#printedName",
            "object": '"島根県"@ja',
        },
        "source-of-fact-printed",
    ),
    *[("regions-missing-name", {"lang": lang}, "regions-missing-name") for lang in LANGUAGES],
    # the figures' queries (issue 12): English, and one other language each
    ("figure-conference-timeline", None, "figure-conference-timeline"),
    ("figure-conference-timeline", {"lang": "ja"}, "figure-conference-timeline-ja"),
    ("figure-participation-matrix", None, "figure-participation-matrix"),
    ("figure-participation-matrix", {"lang": "ru"}, "figure-participation-matrix-ru"),
    ("figure-members-by-country", None, "figure-members-by-country"),
    ("figure-members-by-country", {"lang": "mn"}, "figure-members-by-country-mn"),
    ("figure-coordination-network", None, "figure-coordination-network"),
    ("figure-coordination-network", {"lang": "ko"}, "figure-coordination-network-ko"),
]


@pytest.mark.parametrize(
    ("name", "params", "fixture"),
    CASES,
    ids=[
        f"{c[2]}-{c[1]['lang']}" if c[1] and "lang" in c[1] and c[0] == c[2] else c[2]
        for c in CASES
    ],
)
def test_saved_query(store, name, params, fixture):
    query, variables, rows = run(store, name, params)
    header, want = expected(fixture)
    assert variables == header
    if ordered(query.text):
        assert rows == want
    else:
        assert sorted(rows) == sorted(want)


def test_every_saved_query_has_a_fixture_and_a_case():
    names = {q.name for q in list_queries(SPARQL)}
    assert len(names) == 14
    assert names == {case[0] for case in CASES}
    for name in names:
        assert (FIXTURES / f"{name}.csv").is_file(), name


def test_stated_figures_are_tied_to_the_brochure(store):
    rows = list(
        store.query(
            """PREFIX near: <https://w3id.org/near/def#>
            PREFIX schema: <http://schema.org/>
            SELECT ?measure ?value WHERE {
              ?f a near:StatedFigure ; near:about <https://w3id.org/near/id/organization/near> ;
                 near:measure ?measure ; schema:value ?value ;
                 near:statedIn <https://w3id.org/near/id/source/brochure-ja> }""",
        )
    )
    got = {r["measure"].value.split("#")[1]: r["value"].value for r in rows}
    assert got == {
        "MemberCount": "71",
        "CountryCount": "6",
        "GRDP": "2900000000000",
        "Population": "446000000",
        "ObserverCount": "5",
        "PartnerOrganizationCount": "2",
    }


def test_every_graph_describes_itself(store):
    graphs = {graph_of(p) for p in DATA.rglob("*.ttl")}
    for graph in graphs:
        node = ox.NamedNode(graph)
        sources = list(
            store.snapshot.store.quads_for_pattern(
                node, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), None
            )
        )
        titles = list(
            store.snapshot.store.quads_for_pattern(
                node, ox.NamedNode("http://purl.org/dc/terms/title"), None
            )
        )
        assert sources and titles, graph


def test_every_thing_of_this_branch_has_an_english_label(store):
    rows = store.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?s WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/near/id/"))
          FILTER(?g NOT IN (<https://w3id.org/near/graph/data/countries>,
                            <https://w3id.org/near/graph/data/regions>,
                            <https://w3id.org/near/graph/data/members>))
          FILTER NOT EXISTS { ?s skos:prefLabel ?l FILTER(LANG(?l) = "en") }
        }""",
    )
    assert [r["s"].value for r in rows] == []


def test_conferences_and_declarations_are_named_in_six_languages(store):
    rows = store.query(
        """PREFIX near: <https://w3id.org/near/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s (GROUP_CONCAT(DISTINCT LANG(?l)) AS ?langs) WHERE {
          { ?s a near:Conference } UNION { ?s a near:Declaration }
          ?s skos:prefLabel ?l }
        GROUP BY ?s""",
    )
    got = {r["s"].value: set(r["langs"].value.split()) for r in rows}
    assert len(got) == 6
    assert all(langs == set(LANGUAGES) for langs in got.values()), got


def test_at_most_one_pref_label_per_language(store):
    rows = store.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s ?lang WHERE { ?s skos:prefLabel ?l BIND(LANG(?l) AS ?lang) }
        GROUP BY ?s ?lang HAVING (COUNT(?l) > 1)""",
    )
    assert [(r["s"].value, r["lang"].value) for r in rows] == []


def test_no_reference_dangles(store):
    rows = store.query(
        """SELECT DISTINCT ?o WHERE {
          ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/near/id/"))
          FILTER NOT EXISTS { ?o ?x ?y } }""",
    )
    assert [r["o"].value for r in rows] == []
