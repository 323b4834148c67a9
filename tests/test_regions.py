"""Countries, regions, governments and memberships (data/turtle/: countries, regions,
governments, members, names/, printed-names/): one graph per source.

The member list is parsed out of the brochure text (data/sources/003_*.txt) here, so the data is
checked against the source rather than against a copy of it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
import pyoxigraph
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

ROOT = Path(__file__).resolve().parents[1]
TURTLE = ROOT / "data" / "turtle"
FILES = (
    "countries",
    "regions",
    "governments",
    "members",
    "names/countries",
    "names/regions",
    "printed-names/brochure-ja",
    "printed-names/khabarovsk-1995-en",
    "printed-names/shimane-1993-mn",
)
# the one source each graph is derived from
GRAPH_SOURCES = {
    "countries": "source/iso-3166",
    "regions": "source/iso-3166",
    "governments": "source/brochure-ja",
    "members": "source/brochure-ja",
    "names/countries": "source/near-kg-curation",
    "names/regions": "source/near-kg-curation",
    "printed-names/brochure-ja": "source/brochure-ja",
    "printed-names/khabarovsk-1995-en": "source/khabarovsk-1995-en",
    "printed-names/shimane-1993-mn": "source/shimane-1993-mn",
}
BASE = "https://w3id.org/near/"
NEAR = Namespace(BASE + "def#")
ID = Namespace(BASE + "id/")
ORG = Namespace("http://www.w3.org/ns/org#")
LANGS = ("en", "ja", "ko", "zh", "ru", "mn")
COUNTRIES = ("CN", "JP", "KR", "KP", "MN", "RU")

# prefix -> namespace, as docs/model.md fixes them
MODEL_PREFIXES = {
    "near": "https://w3id.org/near/def#",
    "nearid": "https://w3id.org/near/id/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}

# the brochure's country headings
HEADINGS = {
    "中国": "CN",
    "日本": "JP",
    "大韓民国": "KR",
    "北朝鮮": "KP",
    "モンゴル": "MN",
    "ロシア": "RU",
}
CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474)) + "".join(
    chr(c) for c in range(0x3251, 0x3260)
)
ITEM = re.compile(rf"^\s*([{CIRCLED}])\s*(.*?)\s*(\*?)\s*$")


def parse_brochure_members() -> list[tuple[str, int, str, bool]]:
    """(country code, list number, name as printed, observer?) for every entry of the list."""
    (path,) = sorted((ROOT / "data" / "sources").glob("003_*.txt"))
    entries = []
    heading = None
    expected_number = 1
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ITEM.match(line)
        if m:
            assert heading is not None, f"list item before any country heading: {line!r}"
            number = CIRCLED.index(m.group(1)) + 1
            assert number == expected_number, f"{heading}: list numbering breaks at {line!r}"
            expected_number += 1
            name = m.group(2).strip()
            assert name, line
            entries.append((heading, number, name, m.group(3) == "*"))
        elif line.strip():
            text = line.strip()
            heading = HEADINGS.get(text)  # None for any other text: items must follow a heading
            expected_number = 1
    return entries


BROCHURE = parse_brochure_members()


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    out = {}
    for name in FILES:
        g = Graph()
        g.parse(TURTLE / f"{name}.ttl", format="turtle")
        out[name] = g
    return out


@pytest.fixture(scope="module")
def g(graphs) -> Graph:
    union = Graph()
    for part in graphs.values():
        for t in part:
            union.add(t)
    return union


def key(iri) -> str:
    return str(iri).rsplit("/", 1)[1]


def regions(g):
    return sorted(g.subjects(RDF.type, NEAR.Region))


def governments(g):
    return sorted(g.subjects(RDF.type, NEAR.RegionalGovernment))


def countries(g):
    return sorted(g.subjects(RDF.type, NEAR.Country))


# ------------------------------------------------------------------ the brochure parse itself


def test_brochure_list_parses_to_76_entries_in_six_countries():
    per_country = Counter(c for c, *_ in BROCHURE)
    assert sum(per_country.values()) == 76
    assert set(per_country) == set(COUNTRIES)


def test_brochure_states_71_members_and_5_observers():
    text = next((ROOT / "data" / "sources").glob("003_*.txt")).read_text(encoding="utf-8")
    assert "71の広域自治体を会員" in text
    assert "5つのオブザーバー自治体" in text
    assert sum(not obs for *_, obs in BROCHURE) == 71
    assert sum(obs for *_, obs in BROCHURE) == 5


# ------------------------------------------------------------------ files


@pytest.mark.parametrize("name", FILES)
def test_file_parses_with_pyoxigraph(name):
    data = (TURTLE / f"{name}.ttl").read_bytes()
    quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    assert quads


@pytest.mark.parametrize("name", FILES)
def test_file_uses_only_declared_model_prefixes(name):
    text = (TURTLE / f"{name}.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", text, flags=re.M))
    for prefix, ns in declared.items():
        assert MODEL_PREFIXES.get(prefix) == ns, f"{name}: prefix {prefix}: <{ns}>"
    # strip comments, strings and IRIs, then every prefixed name must use a declared prefix
    body = re.sub(r'"[^"\n]*"(@[\w-]+)?', " ", text)
    body = re.sub(r"<[^>\s]*>", " ", body)
    body = re.sub(r"#[^\n]*", " ", body)
    used = set(re.findall(r"(?<![\w@])([A-Za-z][\w-]*):[\w/-]", body))
    assert used <= set(declared), f"{name}: undeclared prefixes {used - set(declared)}"
    assert set(declared) <= used | {""}, f"{name}: unused prefixes {set(declared) - used}"


@pytest.mark.parametrize("name, source", sorted(GRAPH_SOURCES.items()))
def test_graph_describes_itself_with_exactly_one_source(graphs, name, source):
    graph_iri = URIRef(f"{BASE}graph/data/{name}")
    part = graphs[name]
    assert list(part.objects(graph_iri, DCTERMS.title))
    assert list(part.objects(graph_iri, PROV.wasDerivedFrom)) == [ID[source]]


def test_every_data_graph_names_exactly_one_source():
    """Provenance per statement: a graph's one source is the source of all it holds."""
    for path in sorted(TURTLE.rglob("*.ttl")):
        name = path.relative_to(TURTLE).with_suffix("").as_posix()
        part = Graph().parse(path, format="turtle")
        sources = list(part.objects(URIRef(f"{BASE}graph/data/{name}"), PROV.wasDerivedFrom))
        assert len(sources) == 1, f"{name}: {sources}"


def test_references_are_described():
    sources = Graph().parse(TURTLE / "sources.ttl", format="turtle")
    ref = ID["source/iso-3166"]
    assert (ref, RDF.type, NEAR.SourceDocument) in sources
    titles = {str(t) for t in sources.objects(ref, DCTERMS.title)}
    assert titles == {"ISO 3166 (as published in the pycountry package)"}
    curation = ID["source/near-kg-curation"]
    assert (curation, RDF.type, NEAR.SourceDocument) in sources
    assert ID["source/cldr"] in set(sources.objects(curation, DCTERMS.references))


def test_iso_graphs_hold_codes_not_names(graphs):
    for name in ("countries", "regions"):
        predicates = {p for _s, p, _o in graphs[name]}
        assert SKOS.prefLabel not in predicates and NEAR.printedName not in predicates, name


# ------------------------------------------------------------------ codes


def test_six_countries_with_iso_codes(g):
    found = {}
    for c in countries(g):
        (code,) = list(g.objects(c, NEAR.iso3166Alpha2))
        assert c == ID[f"country/{code}"]
        assert pycountry.countries.get(alpha_2=str(code)) is not None
        found[str(code)] = c
    assert sorted(found) == sorted(COUNTRIES)


def test_76_regions_and_76_governments(g):
    assert len(regions(g)) == 76
    assert len(governments(g)) == 76


def test_region_codes_exist_in_pycountry_and_belong_to_the_country(g):
    for r in regions(g):
        (code,) = list(g.objects(r, NEAR.iso3166_2))
        code = str(code)
        assert r == ID[f"region/{code}"]
        sub = pycountry.subdivisions.get(code=code)
        assert sub is not None, f"{code} is not an ISO 3166-2 code in pycountry"
        (country,) = list(g.objects(r, NEAR.country))
        assert country == ID[f"country/{sub.country_code}"], code


def test_regions_and_governments_point_at_each_other(g):
    for r in regions(g):
        code = key(r)
        (gov,) = list(g.objects(r, NEAR.hasGovernment))
        assert gov == ID[f"government/{code}"]
        assert (gov, RDF.type, NEAR.RegionalGovernment) in g
        assert list(g.objects(gov, NEAR.governs)) == [r]
        assert list(g.objects(gov, NEAR.country)) == list(g.objects(r, NEAR.country))


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("kind", ["country", "region", "government"])
def test_exactly_one_pref_label_per_language(g, kind):
    cls = {"country": NEAR.Country, "region": NEAR.Region, "government": NEAR.RegionalGovernment}
    for thing in g.subjects(RDF.type, cls[kind]):
        labels = list(g.objects(thing, SKOS.prefLabel))
        langs = Counter(lab.language for lab in labels)
        assert sorted(langs) == sorted(LANGS), f"{thing}: {langs}"
        assert set(langs.values()) == {1}, f"{thing}: {langs}"
        for lab in labels:
            assert str(lab) == str(lab).strip() and str(lab), f"{thing}: {lab!r}"


@pytest.mark.parametrize("kind", ["country", "region", "government"])
def test_pref_labels_are_unique_per_language(g, kind):
    cls = {"country": NEAR.Country, "region": NEAR.Region, "government": NEAR.RegionalGovernment}
    seen: dict[tuple[str, str], URIRef] = {}
    for thing in g.subjects(RDF.type, cls[kind]):
        for lab in g.objects(thing, SKOS.prefLabel):
            k = (lab.language, str(lab))
            assert k not in seen, f"{kind}s {seen[k]} and {thing} share the name {lab!r}"
            seen[k] = thing


def test_pref_labels_are_in_the_expected_script(g):
    cyrillic = re.compile(r"^[\u0400-\u04FF0-9 ()«»—–.-]+$")
    hangul = re.compile(r"[\uAC00-\uD7A3]")
    for thing in {*regions(g), *governments(g), *countries(g)}:
        for lab in g.objects(thing, SKOS.prefLabel):
            text = str(lab)
            if lab.language in ("ru", "mn"):
                assert cyrillic.match(text), f"{thing}: {lab!r}"
            if lab.language == "ko":
                assert hangul.search(text), f"{thing}: {lab!r}"
            if lab.language in ("ja", "zh"):
                assert not re.search(r"[A-Za-z\u0400-\u04FF\uAC00-\uD7A3]", text), (
                    f"{thing}: {lab!r}"
                )


def test_mongolian_names_use_mongolian_letters_for_aimags(g):
    # the aimag names that need Ө/Ү must have them (a Russian-style spelling is wrong in mn)
    expected = {
        "MN-071": "Баян-Өлгий аймаг",
        "MN-064": "Говьсүмбэр аймаг",
        "MN-055": "Өвөрхангай аймаг",
        "MN-053": "Өмнөговь аймаг",
        "MN-051": "Сүхбаатар аймаг",
        "MN-047": "Төв аймаг",
        "MN-041": "Хөвсгөл аймаг",
        "MN-1": "Улаанбаатар хот",
    }
    for code, name in expected.items():
        assert Literal(name, lang="mn") in set(g.objects(ID[f"region/{code}"], SKOS.prefLabel))


# ------------------------------------------------------------------ memberships


def roles(g):
    out = {}
    for m in g.subjects(RDF.type, NEAR.Membership):
        (member,) = list(g.objects(m, ORG.member))
        (org,) = list(g.objects(m, ORG.organization))
        (role,) = list(g.objects(m, ORG.role))
        assert org == ID["organization/near"]
        assert m == ID[f"membership/{key(member)}"]
        assert (member, ORG.hasMembership, m) in g
        assert not list(g.objects(m, ORG.memberDuring)), "the brochure gives no period"
        # ... so it holds as of the brochure, which says that it is undated
        assert list(g.objects(m, NEAR.holdsAsOf)) == [ID["source/brochure-ja"]]
        out[member] = role
    return out


def test_71_members_and_5_observers(g):
    r = roles(g)
    assert set(r) == set(governments(g))
    counts = Counter(r.values())
    assert counts == {NEAR.MemberRole: 71, NEAR.ObserverRole: 5}


def test_members_and_observers_per_country(g):
    expected = {
        "CN": (6, 4),
        "JP": (10, 1),
        "KR": (16, 0),
        "KP": (2, 0),
        "MN": (22, 0),
        "RU": (15, 0),
    }
    found = defaultdict(lambda: [0, 0])
    for gov, role in roles(g).items():
        (country,) = list(g.objects(gov, NEAR.country))
        found[key(country)][role == NEAR.ObserverRole] += 1
    assert {c: tuple(v) for c, v in found.items()} == expected
    parsed = defaultdict(lambda: [0, 0])
    for country, _n, _name, obs in BROCHURE:
        parsed[country][obs] += 1
    assert {c: tuple(v) for c, v in parsed.items()} == expected


@pytest.mark.parametrize("country, number, name, observer", BROCHURE)
def test_brochure_name_is_printed_name_of_exactly_one_region(g, country, number, name, observer):
    holders = list(g.subjects(NEAR.printedName, Literal(name, lang="ja")))
    assert len(holders) == 1, f"{name!r} is the printed name of {holders}"
    (region,) = holders
    assert (region, RDF.type, NEAR.Region) in g
    assert list(g.objects(region, NEAR.country)) == [ID[f"country/{country}"]], name
    (gov,) = list(g.objects(region, NEAR.hasGovernment))
    expected_role = NEAR.ObserverRole if observer else NEAR.MemberRole
    assert roles(g)[gov] == expected_role, name


def test_every_region_has_a_brochure_name(g, graphs):
    printed = {Literal(name, lang="ja") for _c, _n, name, _o in BROCHURE}
    for r in regions(g):
        assert printed & set(graphs["members"].objects(r, NEAR.printedName)), r


def test_printed_names_of_regions_live_in_the_brochure_graph(graphs):
    assert not list(graphs["regions"].triples((None, NEAR.printedName, None)))
    assert not list(graphs["regions"].triples((None, SKOS.altLabel, None)))


def test_alternative_labels_never_repeat_a_preferred_label(g):
    """SKOS S13: prefLabel and altLabel are disjoint; printed forms differing from it are alt."""
    for s, label in g.subject_objects(SKOS.altLabel):
        assert (s, SKOS.prefLabel, label) not in g, (s, label)
    for s, label in g.subject_objects(NEAR.printedName):
        if (s, SKOS.prefLabel, label) not in g:
            assert (s, SKOS.altLabel, label) in g, (s, label)


def test_ambiguous_readings(g):
    def region_of(name):
        (r,) = list(g.subjects(NEAR.printedName, Literal(name, lang="ja")))
        return key(r)

    assert region_of("アルタイ") == "RU-AL"
    assert region_of("中央") == "MN-047"
    assert region_of("ゴビ・アルタイ") == "MN-065"
    assert region_of("沿海") == "RU-PRI"
    assert region_of("ザバイカリエ") == "RU-ZAB"
    assert region_of("寧夏") == "CN-NX"


def test_country_alt_labels_as_printed(g):
    def alts(code):
        return set(g.objects(ID[f"country/{code}"], NEAR.printedName))

    assert Literal("北朝鮮", lang="ja") in alts("KP")
    assert Literal("大韓民国", lang="ja") in alts("KR")
    assert Literal("South Korea", lang="en") in alts("KR")
    assert Literal("Бүгд Найрамдах Хятад Ард Улс", lang="mn") in alts("CN")
    assert Literal("Оросын Холбооны Улс", lang="mn") in alts("RU")
    for code in COUNTRIES:
        for alt in alts(code):
            assert alt.language in ("ja", "en", "mn")


def test_country_alt_labels_occur_in_a_source_of_their_language(g):
    sources = {}
    for path in (ROOT / "data" / "sources").glob("*.txt"):
        sources[path.name] = path.read_text(encoding="utf-8")
    lang_of = {"000_": "mn", "001_": "en", "003_": "ja"}
    for c in countries(g):
        for alt in {*g.objects(c, SKOS.altLabel), *g.objects(c, NEAR.printedName)}:
            texts = [t for n, t in sources.items() if lang_of.get(n[:4]) == alt.language]
            assert any(str(alt) in t for t in texts), f"{c}: {alt!r} is not printed in a source"
