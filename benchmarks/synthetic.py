"""A synthetic NEAR-shaped dataset for timing validation (deterministic for a seed).

``generate(triples, seed)`` yields N-Triples lines until at least ``triples`` triples: countries,
regions with six-language names and ISO 3166-2 style codes, their governments and memberships
(member or observer), conferences with 20-80 participation records (and a stated count that
matches), agenda items, declarations with resolutions, subcommittees with coordinators that are
members. The data is valid against shapes/near.ttl (with ontology/near.ttl), so a timing measures
a full pass with no results. Usable from 10k to 10M triples: it streams.

    python benchmarks/synthetic.py 100000 --seed 1 > /tmp/synthetic.nt

``write(root, triples, seed)`` makes a complete data directory for ``nearkg`` (the repository's
ontology, shapes and saved queries, and the generated data as ``data/turtle/synthetic.ttl``):
``benchmarks/run.py`` loads and serves it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/near/"
DATA_FILE = "data/turtle/synthetic.ttl"

ID = "https://w3id.org/near/id/"
NEAR = "https://w3id.org/near/def#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LANGS = ("en", "ja", "ko", "zh", "ru", "mn")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
NEAR_ORG = f"<{ID}organization/near>"
SERIES = f"<{ID}series/near-conference>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _names(subject: str, name: str) -> Iterator[str]:
    for lang in LANGS:
        yield _t(subject, f"<{SKOS}prefLabel>", _lit(f"{name} ({lang})", lang))


class _World:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.countries: list[str] = []
        self.members: list[str] = []  # governments with the member role
        self.governments: list[str] = []
        self.codes: set[str] = set()
        self.regions: list[str] = []
        self.conferences = 0
        self.subcommittees = 0

    def fixed(self) -> Iterator[str]:
        yield _t(NEAR_ORG, RDF_TYPE, f"<{NEAR}Association>")
        yield from _names(NEAR_ORG, "NEAR")
        yield _t(NEAR_ORG, f"<{SCHEMA}foundingDate>", _lit("1996", datatype="gYear"))
        yield _t(SERIES, RDF_TYPE, f"<{NEAR}ConferenceSeries>")
        yield from _names(SERIES, "NEAR Conference")
        yield _t(f"<{ID}body/working-committee>", RDF_TYPE, f"<{NEAR}WorkingCommittee>")
        yield from _names(f"<{ID}body/working-committee>", "Working Committee")
        yield _t(f"<{ID}body/working-committee>", f"<{ORG}unitOf>", NEAR_ORG)
        yield _t(f"<{ID}body/working-committee>", f"<{NEAR}power>", _lit("power", "en"))

    def country(self) -> Iterator[str]:
        n = len(self.countries)
        code = ALNUM[n // 26 % 26] + ALNUM[n % 26]
        iri = f"<{ID}country/{code}>"
        self.countries.append(code)
        yield _t(iri, RDF_TYPE, f"<{NEAR}Country>")
        yield from _names(iri, f"Country {code}")
        yield _t(iri, f"<{NEAR}iso3166Alpha2>", _lit(code))

    def region(self) -> Iterator[str]:
        rng = self.rng
        if not self.countries or len(self.regions) >= 2000 * len(self.countries):
            yield from self.country()
        country = rng.choice(self.countries)
        while True:
            code = f"{country}-" + "".join(rng.choice(ALNUM) for _ in range(rng.randint(1, 3)))
            if code not in self.codes:
                break
        self.codes.add(code)
        region, gov, mem = (f"<{ID}{k}/{code}>" for k in ("region", "government", "membership"))
        c = f"<{ID}country/{country}>"
        yield _t(region, RDF_TYPE, f"<{NEAR}Region>")
        yield from _names(region, f"Region {code}")
        yield _t(region, f"<{NEAR}iso3166_2>", _lit(code))
        yield _t(region, f"<{NEAR}country>", c)
        yield _t(region, f"<{NEAR}hasGovernment>", gov)
        yield _t(region, f"<{NEAR}printedName>", _lit(f"Region {code} as printed", "ja"))
        yield _t(gov, RDF_TYPE, f"<{NEAR}RegionalGovernment>")
        yield from _names(gov, f"Government of {code}")
        yield _t(gov, f"<{NEAR}governs>", region)
        yield _t(gov, f"<{NEAR}country>", c)
        yield _t(gov, f"<{ORG}hasMembership>", mem)
        member = rng.random() < 0.93
        yield _t(mem, RDF_TYPE, f"<{NEAR}Membership>")
        yield _t(mem, f"<{ORG}member>", gov)
        yield _t(mem, f"<{ORG}organization>", NEAR_ORG)
        yield _t(mem, f"<{ORG}role>", f"<{NEAR}{'MemberRole' if member else 'ObserverRole'}>")
        self.regions.append(region)
        self.governments.append(gov)
        if member:
            self.members.append(gov)

    def conference(self) -> Iterator[str]:
        rng = self.rng
        self.conferences += 1
        key = str(1000 + self.conferences)
        conf = f"<{ID}conference/{key}>"
        yield _t(conf, RDF_TYPE, f"<{NEAR}Conference>")
        yield from _names(conf, f"Conference {key}")
        yield _t(conf, f"<{NEAR}inSeries>", SERIES)
        yield _t(conf, f"<{NEAR}ordinal>", _lit(str(self.conferences), datatype="positiveInteger"))
        yield _t(conf, f"<{NEAR}year>", _lit(key, datatype="gYear"))
        day = rng.randint(1, 20)
        yield _t(conf, f"<{SCHEMA}startDate>", _lit(f"{key}-09-{day:02d}", datatype="date"))
        yield _t(
            conf,
            f"<{SCHEMA}endDate>",
            _lit(f"{key}-09-{day + rng.randint(0, 3):02d}", datatype="date"),
        )
        yield _t(conf, f"<{NEAR}city>", _lit(f"City {key}", "en"))
        host = rng.randrange(len(self.regions))
        yield _t(conf, f"<{NEAR}hostRegion>", self.regions[host])
        yield _t(conf, f"<{NEAR}organizer>", self.governments[host])
        participants = rng.sample(self.governments, min(len(self.governments), rng.randint(20, 80)))
        yield _t(
            conf,
            f"<{NEAR}statedParticipantCount>",
            _lit(str(len(participants)), datatype="nonNegativeInteger"),
        )
        for gov in participants:
            code = gov.rsplit("/", 1)[1].rstrip(">")
            part = f"<{ID}participation/{key}-{code}>"
            yield _t(conf, f"<{NEAR}hasParticipation>", part)
            yield _t(part, RDF_TYPE, f"<{NEAR}Participation>")
            yield _t(part, f"<{SKOS}prefLabel>", _lit(f"{code} at {key}", "en"))
            yield _t(part, f"<{SKOS}prefLabel>", _lit(f"{code} at {key} (ja)", "ja"))
            yield _t(part, f"<{NEAR}conference>", conf)
            yield _t(part, f"<{NEAR}participant>", gov)
            yield _t(part, f"<{NEAR}printedName>", _lit(f"{code} as printed", "en"))
            yield _t(part, f"<{NEAR}printedCountryName>", _lit(code[:2], "en"))
        for n in range(1, rng.randint(3, 8)):
            item = f"<{ID}agenda-item/{key}-{n}>"
            yield _t(conf, f"<{NEAR}hasAgendaItem>", item)
            yield _t(item, RDF_TYPE, f"<{NEAR}{'Topic' if n % 2 else 'Decision'}>")
            yield _t(item, f"<{SKOS}prefLabel>", _lit(f"Item {n} of {key}", "en"))
            yield _t(item, f"<{NEAR}conference>", conf)
            yield _t(item, f"<{NEAR}position>", _lit(str(n), datatype="positiveInteger"))
            yield _t(item, f"<{NEAR}text>", _lit(f"Agenda item {n}", "en"))
        decl = f"<{ID}declaration/city-{key}>"
        yield _t(decl, RDF_TYPE, f"<{NEAR}Declaration>")
        yield from _names(decl, f"Declaration {key}")
        yield _t(decl, f"<{NEAR}adoptedAt>", conf)
        yield _t(decl, "<http://purl.org/dc/terms/title>", _lit(f"Declaration of {key}", "en"))
        yield _t(decl, f"<{NEAR}text>", _lit("Preamble", "en"))
        for n in range(1, rng.randint(3, 8)):
            res = f"<{ID}resolution/city-{key}-{n}>"
            yield _t(decl, f"<{NEAR}hasResolution>", res)
            yield _t(res, RDF_TYPE, f"<{NEAR}Resolution>")
            yield _t(res, f"<{SKOS}prefLabel>", _lit(f"Resolution {n} of {key}", "en"))
            yield _t(res, f"<{NEAR}declaration>", decl)
            yield _t(res, f"<{NEAR}ordinal>", _lit(str(n), datatype="positiveInteger"))
            yield _t(res, f"<{NEAR}text>", _lit(f"Resolution text {n}", "en"))

    def subcommittee(self) -> Iterator[str]:
        self.subcommittees += 1
        key = f"theme-{self.subcommittees}"
        sub, coord = f"<{ID}subcommittee/{key}>", f"<{ID}coordination/{key}>"
        yield _t(sub, RDF_TYPE, f"<{NEAR}Subcommittee>")
        yield from _names(sub, f"Subcommittee {key}")
        yield _t(sub, f"<{ORG}unitOf>", NEAR_ORG)
        yield _t(sub, f"<{NEAR}theme>", _lit(f"Theme {key}", "en"))
        yield _t(sub, f"<{NEAR}auxiliaryTo>", f"<{ID}body/working-committee>")
        yield _t(sub, f"<{NEAR}hasCoordination>", coord)
        yield _t(coord, RDF_TYPE, f"<{NEAR}Coordination>")
        yield _t(coord, f"<{SKOS}prefLabel>", _lit(f"Coordination of {key}", "en"))
        yield _t(coord, f"<{NEAR}subcommittee>", sub)
        yield _t(coord, f"<{NEAR}coordinator>", self.rng.choice(self.members))


def generate(triples: int, seed: int = 1) -> Iterator[str]:
    """N-Triples lines, at least ``triples`` of them (the last block is finished)."""
    world = _World(seed)
    count = 0
    for line in world.fixed():
        count += 1
        yield line
    while count < triples:
        blocks = [world.region() for _ in range(20)]
        blocks += [world.conference(), world.subcommittee()]
        for block in blocks:
            for line in block:
                count += 1
                yield line


def write(root: Path, triples: int, seed: int = 1) -> int:
    """A complete data directory at ``root`` (replaced); returns the triples generated."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("ontology", "shapes", "sparql"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    path = root / DATA_FILE
    path.parent.mkdir(parents=True)
    count = 0
    with open(path, "w", encoding="utf-8") as out:  # N-Triples is Turtle
        for line in generate(triples, seed):
            out.write(line)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.stdout.writelines(generate(args.triples, args.seed))


if __name__ == "__main__":
    main()
