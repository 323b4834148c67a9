"""Deterministic synthetic data shaped like NEAR's, in the ontology's terms (docs/model.md).

``generate(triples, seed)`` yields ``(path, turtle)`` pairs: files below a data directory
(``data/turtle/...``), one named graph each, together about ``triples`` triples. The same
arguments always give the same bytes. What it writes, per the real data's patterns:

- six countries with names in the six languages;
- regions (``id/region/{CC}-{XYZ}``) with their governments and memberships of NEAR, names in
  the six languages;
- conferences (``id/conference/{year}-{n}``: many a year, unlike the real data) with 20-80
  participations each, agenda items, a declaration and its resolutions;
- subcommittees with their coordinations and coordinator governments;
- each graph with its ``dcterms:title`` and ``prov:wasDerivedFrom`` source document.

``write(root, triples, seed)`` writes a whole data directory (the generated files plus the
repository's ``ontology/``, ``shapes/`` and ``sparql/``) and returns the triple count.

    python benchmarks/synthetic.py --triples 100000 --out /tmp/near-100k
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/near/"
ID = BASE + "id/"
LANGUAGES = ("en", "ja", "ko", "zh", "ru", "mn")
COUNTRIES = {
    "CN": ("China", "中国", "중국", "中国", "Китай", "Хятад"),
    "JP": ("Japan", "日本", "일본", "日本", "Япония", "Япон"),
    "KR": ("Republic of Korea", "大韓民国", "대한민국", "大韩民国", "Республика Корея", "БНСУ"),
    "KP": ("DPR Korea", "北朝鮮", "조선", "朝鲜", "КНДР", "БНАСАУ"),
    "MN": ("Mongolia", "モンゴル", "몽골", "蒙古", "Монголия", "Монгол"),
    "RU": ("Russia", "ロシア", "러시아", "俄罗斯", "Россия", "ОХУ"),
}
# The generic word each language writes after a region's name
REGION_WORDS = ("Province", "県", "도", "省", "область", "муж")
THEMES = (
    "environment", "culture", "tourism", "energy", "agriculture", "fisheries", "logistics",
    "health", "education", "disaster-prevention", "science", "sports", "women", "youth",
)  # fmt: skip
SYLLABLES = ("ka", "mi", "to", "ra", "shi", "no", "ha", "yu", "bo", "len", "dan", "gar", "in")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

PREFIXES = """@prefix near: <https://w3id.org/near/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Triples one thing of each kind adds, on average (to size the dataset before writing it).
PER_REGION = 24  # region 10, government 10, membership 4
PER_CONFERENCE = 380  # conference ~70, 50 participations x 5, agenda items, declaration
PER_SUBCOMMITTEE = 14
FIRST_YEAR, YEARS = 1993, 33


class Turtle:
    """A Turtle file being written: counts the triples it holds."""

    def __init__(self, graph: str, title: str, source: str) -> None:
        self.parts: list[str] = [PREFIXES, "\n"]
        self.triples = 0
        self.subject(f"<{BASE}graph/data/{graph}>", [
            ("dcterms:title", literal(title, "en")),
            ("prov:wasDerivedFrom", iri("source", source)),
        ])  # fmt: skip

    def subject(self, subject: str, statements: list[tuple[str, str]]) -> None:
        lines = [f"{p} {o}" for p, o in statements]
        self.parts.append(f"{subject}\n    " + " ;\n    ".join(lines) + " .\n")
        self.triples += len(statements)

    def text(self) -> str:
        return "".join(self.parts)


def iri(kind: str, key: str) -> str:
    return f"<{ID}{kind}/{key}>"


def literal(text: str, language: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if language:
        return f'"{escaped}"@{language}'
    if datatype:
        return f'"{escaped}"^^{datatype}'
    return f'"{escaped}"'


def names(base: list[str], words: tuple[str, ...] = ("",) * 6) -> list[tuple[str, str]]:
    """A preferred label in each of the six languages."""
    return [("skos:prefLabel", literal(f"{b} {w}".strip(), lang)) for b, w, lang in zip(
        base, words, LANGUAGES, strict=True)]  # fmt: skip


def plan(triples: int) -> tuple[int, int, int]:
    """(regions, conferences, subcommittees) for about ``triples`` triples."""
    regions = max(30, round(triples * 0.12 / PER_REGION))
    subcommittees = max(len(THEMES), round(triples * 0.02 / PER_SUBCOMMITTEE))
    rest = triples - regions * PER_REGION - subcommittees * PER_SUBCOMMITTEE - 200
    conferences = max(1, round(rest / PER_CONFERENCE))
    return regions, conferences, subcommittees


def generate(triples: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(path below the data directory, Turtle text)`` for about ``triples`` triples."""
    for relative, turtle in _files(triples, seed):
        yield relative, turtle.text()


def _files(triples: int, seed: int) -> Iterator[tuple[str, Turtle]]:
    rng = random.Random(seed)
    regions, conferences, subcommittees = plan(triples)
    yield "data/turtle/sources.ttl", _sources()
    yield "data/turtle/countries.ttl", _countries()
    codes = _region_codes(rng, regions)
    yield "data/turtle/regions.ttl", _regions(rng, codes)
    yield "data/turtle/members.ttl", _members(codes)
    yield "data/turtle/subcommittees.ttl", _subcommittees(rng, codes, subcommittees)
    per_year = -(-conferences // YEARS)
    for offset in range(YEARS):
        first = offset * per_year
        count = min(per_year, conferences - first)
        if count <= 0:
            break
        year = FIRST_YEAR + offset
        yield f"data/turtle/conferences/{year}.ttl", _conferences(rng, codes, year, count)


def _sources() -> Turtle:
    out = Turtle("sources", "Synthetic source documents", "synthetic")
    out.subject(iri("source", "synthetic"), [
        ("a", "near:SourceDocument"),
        ("dcterms:title", literal("Synthetic benchmark data (benchmarks/synthetic.py)", "en")),
        ("dcterms:language", literal("en")),
        ("near:documentKind", literal("synthetic")),
    ])  # fmt: skip
    return out


def _countries() -> Turtle:
    out = Turtle("countries", "Countries (synthetic)", "synthetic")
    for code, labels in COUNTRIES.items():
        out.subject(iri("country", code), [
            ("a", "near:Country"), ("near:iso3166Alpha2", literal(code)), *names(list(labels)),
        ])  # fmt: skip
    return out


def _region_codes(rng: random.Random, count: int) -> list[str]:
    countries = list(COUNTRIES)
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < count:
        code = f"{rng.choice(countries)}-" + "".join(rng.choice(ALNUM) for _ in range(3))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


def _place_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _regions(rng: random.Random, codes: list[str]) -> Turtle:
    out = Turtle("regions", "Regions and regional governments (synthetic)", "synthetic")
    for code in codes:
        name = _place_name(rng)
        country = iri("country", code[:2])
        out.subject(iri("region", code), [
            ("a", "near:Region"), ("near:iso3166_2", literal(code)), ("near:country", country),
            ("near:hasGovernment", iri("government", code)),
            *names([name] * 6, REGION_WORDS),
        ])  # fmt: skip
        out.subject(iri("government", code), [
            ("a", "near:RegionalGovernment"), ("near:governs", iri("region", code)),
            ("near:country", country), ("org:hasMembership", iri("membership", code)),
            *names([f"Government of {name}", name, name, name, name, name],
                   ("", "政府", "정부", "政府", "правительство", "Засаг захиргаа")),
        ])  # fmt: skip
    return out


def _members(codes: list[str]) -> Turtle:
    out = Turtle("members", "Members and observers of NEAR (synthetic)", "synthetic")
    for number, code in enumerate(codes):
        role = "near:ObserverRole" if number % 15 == 14 else "near:MemberRole"
        out.subject(iri("membership", code), [
            ("a", "near:Membership"), ("org:member", iri("government", code)),
            ("org:organization", iri("organization", "near")), ("org:role", role),
        ])  # fmt: skip
    return out


def _subcommittees(rng: random.Random, codes: list[str], count: int) -> Turtle:
    out = Turtle("subcommittees", "Subcommittees and coordinators (synthetic)", "synthetic")
    for number in range(count):
        theme = THEMES[number % len(THEMES)]
        key = theme if number < len(THEMES) else f"{theme}-{number // len(THEMES)}"
        title = theme.replace("-", " ").capitalize()
        out.subject(iri("subcommittee", key), [
            ("a", "near:Subcommittee"), ("org:unitOf", iri("organization", "near")),
            ("near:auxiliaryTo", iri("body", "working-committee")),
            *names([f"{title} Subcommittee {number}"] * 6),
            ("near:hasCoordination", iri("coordination", key)),
        ])  # fmt: skip
        out.subject(iri("coordination", key), [
            ("a", "near:Coordination"),
            ("skos:prefLabel", literal(f"Coordinator of the {title} Subcommittee {number}", "en")),
            ("near:subcommittee", iri("subcommittee", key)),
            ("near:coordinator", iri("government", rng.choice(codes))),
        ])  # fmt: skip
    return out


def _conferences(rng: random.Random, codes: list[str], year: int, count: int) -> Turtle:
    out = Turtle(f"conferences/{year}", f"NEAR conferences of {year} (synthetic)", "synthetic")
    gyear = literal(str(year), datatype="xsd:gYear")
    for n in range(1, count + 1):
        key = f"{year}-{n}"
        host = rng.choice(codes)
        title = f"NEAR Conference {key}"
        participants = rng.sample(codes, min(len(codes), rng.randint(20, 80)))
        items = rng.randint(3, 6)
        city = _place_name(rng)
        declaration = f"{city.lower()}-{key}"
        month, day = rng.randint(1, 12), rng.randint(1, 27)
        out.subject(iri("conference", key), [
            ("a", "near:Conference"), ("near:inSeries", iri("series", "near-conference")),
            *names([title] * 6), ("near:year", gyear),
            ("schema:startDate", literal(f"{year}-{month:02d}-{day:02d}", datatype="xsd:date")),
            ("schema:endDate", literal(f"{year}-{month:02d}-{day + 1:02d}", datatype="xsd:date")),
            ("near:city", literal(f"{city} City", "en")), ("near:hostRegion", iri("region", host)),
            ("near:organizer", iri("government", host)),
            ("near:statedParticipantCount",
             literal(str(len(participants)), datatype="xsd:nonNegativeInteger")),
            *[("near:hasParticipation", iri("participation", f"{key}-{c}")) for c in participants],
            *[("near:hasAgendaItem", iri("agenda-item", f"{key}-{i}"))
              for i in range(1, items + 1)],
        ])  # fmt: skip
        for code in participants:
            out.subject(iri("participation", f"{key}-{code}"), [
                ("a", "near:Participation"),
                ("skos:prefLabel", literal(f"{code} at the {title}", "en")),
                ("near:conference", iri("conference", key)),
                ("near:participant", iri("government", code)),
                ("near:printedName", literal(f"Region {code}", "en")),
            ])  # fmt: skip
        for i in range(1, items + 1):
            kind = "near:Decision" if i % 2 else "near:Topic"
            out.subject(iri("agenda-item", f"{key}-{i}"), [
                ("a", kind), ("near:conference", iri("conference", key)),
                ("near:position", literal(str(i), datatype="xsd:positiveInteger")),
                ("near:text", literal(f"Agenda item {i} of the {title}", "en")),
            ])  # fmt: skip
        resolutions = rng.randint(3, 8)
        out.subject(iri("declaration", declaration), [
            ("a", "near:Declaration"), ("near:adoptedAt", iri("conference", key)),
            *names([f"{city} Declaration {key}"] * 6),
            ("near:text", literal(f"The participants of the {title} declared ...", "en")),
            *[("near:hasResolution", iri("resolution", f"{declaration}-{r}"))
              for r in range(1, resolutions + 1)],
        ])  # fmt: skip
        for r in range(1, resolutions + 1):
            out.subject(iri("resolution", f"{declaration}-{r}"), [
                ("a", "near:Resolution"),
                ("skos:prefLabel", literal(f"{city} Declaration {key}, resolution {r}", "en")),
                ("near:declaration", iri("declaration", declaration)),
                ("near:ordinal", literal(str(r), datatype="xsd:positiveInteger")),
                ("near:text", literal(f"Resolution {r}: to cooperate on {rng.choice(THEMES)}.",
                                      "en")),
            ])  # fmt: skip
    return out


def write(root: Path, triples: int, seed: int = 0) -> int:
    """A complete data directory at ``root`` (replaced); returns the triples generated."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("ontology", "shapes", "sparql"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    total = 0
    for relative, turtle in _files(triples, seed):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(turtle.text(), encoding="utf-8")
        total += turtle.triples
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"{write(args.out, args.triples, args.seed)} triples in {args.out}")


if __name__ == "__main__":
    main()
