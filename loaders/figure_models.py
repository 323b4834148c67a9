"""What each figure shows, built from its table (``figure_data.FigureTable``) and nothing else.

These are plain structures (no SVG, no HTTP): the timeline's entries, the participation
matrix's rows, columns and cells, the bars per country, the coordination groups per country.
A name the data lacks in both the page's language and English is shown as the IRI's key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .figure_data import FigureTable


def _key(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _name(row: dict[str, str], name_column: str, iri_column: str) -> str:
    return row.get(name_column) or _key(row.get(iri_column, "")) or "?"


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


# -- timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    conference: str
    year: int
    ordinal: int | None
    name: str
    start: str
    end: str
    host_region: str
    host_name: str
    inferred_ordinal: int | None = None  # no source states it (near:inferredOrdinal)
    planned_host_name: str = ""  # only planned there (near:plannedHostRegion)


def timeline(table: FigureTable) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            conference=row["conference"],
            year=_int(row["year"][:4]) or 0,
            ordinal=_int(row["ordinal"]),
            name=_name(row, "conferenceName", "conference"),
            start=row["startDate"],
            end=row["endDate"],
            host_region=row["hostRegion"],
            host_name=row["hostRegionName"]
            or (_key(row["hostRegion"]) if row["hostRegion"] else ""),
            inferred_ordinal=_int(row.get("inferredOrdinal", "")),
            planned_host_name=row.get("plannedHostRegionName", "")
            or (_key(row["plannedHostRegion"]) if row.get("plannedHostRegion") else ""),
        )
        for row in table.rows
    ]
    return sorted(entries, key=lambda e: (e.year, e.conference))


def timeline_window(
    entries: list[TimelineEntry], highlight: str | None, limit: int
) -> list[TimelineEntry]:
    """At most ``limit`` entries in a row: those around the highlighted conference, or the
    latest when none is highlighted (or it is not on the timeline)."""
    if len(entries) <= limit:
        return entries
    positions = [i for i, e in enumerate(entries) if e.conference == highlight]
    if positions:
        start = min(max(positions[0] - limit // 2, 0), len(entries) - limit)
    else:
        start = len(entries) - limit
    return entries[start : start + limit]


# -- participation matrix -------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixColumn:
    conference: str
    year: int
    ordinal: int | None
    stated: int | None
    listed: int


@dataclass(frozen=True)
class MatrixRow:
    region: str
    name: str
    country_code: str
    country_name: str


@dataclass
class ParticipationMatrix:
    columns: list[MatrixColumn] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    cells: set[tuple[str, str]] = field(default_factory=set)  # (region, conference)

    def took_part(self, region: str, conference: str) -> bool:
        return (region, conference) in self.cells

    def regions_at(self, conference: str) -> list[MatrixRow]:
        return [r for r in self.rows if self.took_part(r.region, conference)]


def participation_matrix(table: FigureTable) -> ParticipationMatrix:
    matrix = ParticipationMatrix()
    columns: dict[str, MatrixColumn] = {}
    rows: dict[str, MatrixRow] = {}
    for row in table.rows:
        conference = row["conference"]
        columns.setdefault(
            conference,
            MatrixColumn(
                conference=conference,
                year=_int(row["year"][:4]) or 0,
                ordinal=_int(row["ordinal"]),
                stated=_int(row["statedParticipants"]),
                listed=_int(row["listedParticipants"]) or 0,
            ),
        )
        region = row["region"]
        if not region:
            continue  # a conference whose page lists nobody
        rows.setdefault(
            region,
            MatrixRow(
                region=region,
                name=_name(row, "regionName", "region"),
                country_code=row["countryCode"],
                country_name=row["countryName"] or row["countryCode"],
            ),
        )
        matrix.cells.add((region, conference))
    matrix.columns = sorted(columns.values(), key=lambda c: (c.year, c.conference))
    matrix.rows = sorted(rows.values(), key=lambda r: (r.country_code, r.name, r.region))
    return matrix


# -- members by country ---------------------------------------------------------------------


@dataclass(frozen=True)
class CountryBar:
    country: str
    code: str
    name: str
    members: int
    observers: int

    @property
    def total(self) -> int:
        return self.members + self.observers


def country_bars(table: FigureTable) -> list[CountryBar]:
    bars = [
        CountryBar(
            country=row["country"],
            code=row["countryCode"],
            name=_name(row, "countryName", "country"),
            members=_int(row["members"]) or 0,
            observers=_int(row["observers"]) or 0,
        )
        for row in table.rows
    ]
    return sorted(bars, key=lambda b: b.code)


# -- coordination network -------------------------------------------------------------------


@dataclass(frozen=True)
class Subcommittee:
    iri: str
    name: str


@dataclass
class CoordinatorRegion:
    region: str
    name: str
    subcommittees: list[Subcommittee] = field(default_factory=list)


@dataclass
class CountryGroup:
    code: str
    name: str
    regions: list[CoordinatorRegion] = field(default_factory=list)

    @property
    def subcommittee_count(self) -> int:
        return sum(len(r.subcommittees) for r in self.regions)


def coordination_groups(table: FigureTable) -> list[CountryGroup]:
    groups: dict[str, CountryGroup] = {}
    regions: dict[str, CoordinatorRegion] = {}
    for row in table.rows:
        code = row["countryCode"]
        group = groups.setdefault(code, CountryGroup(code, row["countryName"] or code or "?"))
        region = regions.get(row["region"])
        if region is None:
            region = CoordinatorRegion(row["region"], _name(row, "regionName", "region"))
            regions[row["region"]] = region
            group.regions.append(region)
        region.subcommittees.append(
            Subcommittee(row["subcommittee"], _name(row, "subcommitteeName", "subcommittee"))
        )
    for group in groups.values():
        group.regions.sort(key=lambda r: (r.name, r.region))
        for region in group.regions:
            region.subcommittees.sort(key=lambda s: (s.name, s.iri))
    return [groups[code] for code in sorted(groups)]


def coordination_count(groups: list[CountryGroup]) -> int:
    """How many (region, subcommittee) rows the network draws."""
    return sum(group.subcommittee_count for group in groups)


def coordination_window(
    groups: list[CountryGroup], highlight: str | None, limit: int
) -> list[CountryGroup]:
    """At most ``limit`` rows: the coordinator regions of the highlighted subcommittee (or
    the highlighted region) with the subcommittees each coordinates, the highlighted one kept
    and the others in their order; without a highlight in the network, its first rows."""
    if coordination_count(groups) <= limit:
        return groups
    # the highlighted region, or the coordinators of the highlighted subcommittee; none: all
    concerned = {
        region.region
        for group in groups
        for region in group.regions
        if region.region == highlight or any(s.iri == highlight for s in region.subcommittees)
    }
    kept: list[CountryGroup] = []
    room = limit
    for group in groups:
        regions = []
        for region in group.regions:
            if room <= 0 or (concerned and region.region not in concerned):
                continue
            marked = [s for s in region.subcommittees if s.iri == highlight]
            others = [s for s in region.subcommittees if s.iri != highlight]
            chosen = {s.iri for s in marked + others[: max(room - len(marked), 0)]}
            subcommittees = [s for s in region.subcommittees if s.iri in chosen]
            room -= len(subcommittees)
            regions.append(CoordinatorRegion(region.region, region.name, subcommittees))
        if regions:
            kept.append(CountryGroup(group.code, group.name, regions))
    return kept
