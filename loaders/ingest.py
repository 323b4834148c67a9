"""``nearkg ingest``: a conference page -> reconciled, validated RDF (the data layer part)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .conference_page import ConferencePage, PageError, read_page
from .conference_rdf import Reconciled, build_graph, keys_for, slug
from .names import NameKeys
from .page_headings import HeadingTable, load_table
from .reconcile import Entity, Match, NameIndex
from .shacl_check import check_against_shapes


class IngestError(Exception):
    """Ingesting failed; nothing was written. ``problems`` lists (line, message)."""

    def __init__(self, message: str, problems: list[tuple[int | None, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  line {line}: {text}" if line else f"  {text}" for line, text in self.problems]
        return "\n".join(lines)


@dataclass
class IngestResult:
    page: ConferencePage
    graph: Graph
    matches: list[Match] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    validation: str | None = None  # the shapes' verdict, or None when there are no shapes

    @property
    def unmatched(self) -> list[Match]:
        return [m for m in self.matches if m.entity is None]

    def summary(self) -> str:
        page = self.page
        stated = page.participation
        listed = len(stated.listed) if stated else 0
        keys = keys_for(page, None)
        lines = [
            f"conference: {keys.conference} ({page.title or 'untitled'}, language {page.language})",
            f"dates: {page.start.isoformat()} to {page.end.isoformat()}",
            f"participants: stated {_stated(stated)}, listed {listed}",
            f"names: {sum(1 for m in self.matches if m.entity)} matched, "
            f"{len(self.unmatched)} unmatched or ambiguous",
        ]
        lines += [f"  line {m.line}: {m.problem}" for m in self.unmatched]
        lines += [f"  line {m.line}: {m.note}" for m in self.matches if m.note]
        declaration = page.declaration
        if declaration:
            lines.append(
                f"declaration: {declaration.title or 'untitled'}, "
                f"{len(declaration.resolutions)} resolution(s)"
            )
        lines += [
            f"note (line {line}): {text}" if line else f"note: {text}" for line, text in page.notes
        ]
        lines.append(f"shapes: {self.validation or 'no shapes to validate against'}")
        return "\n".join(lines)


def _stated(participation) -> str:
    if not participation or participation.stated_participants is None:
        return "none"
    return f"{participation.stated_participants} from {participation.stated_countries} countries"


def ingest_page(
    page_path: Path,
    data_dir: Path,
    *,
    language: str = "auto",
    strict: bool = False,
    table: HeadingTable | None = None,
) -> IngestResult:
    """Read, reconcile, build and validate; raises IngestError (or PageError) on failure."""
    table = table or load_table()
    page = read_page(Path(page_path), language=language, table=table)
    normalise = NameKeys.from_table(table)
    index = NameIndex.from_data_dir(Path(data_dir), normalise)
    reconciled, matches = _reconcile(page, index)
    city_names, city_problem = _city_names(page, reconciled, normalise, table)
    problems = [(m.line, m.problem) for m in matches if m.problem]
    if city_problem:
        problems.append(city_problem)
    if strict and problems:
        raise IngestError("names that match no entity or more than one (--strict)", problems)
    graph = build_graph(
        page, reconciled, city_names=city_names, local_copy=_local_copy(page_path, data_dir)
    )
    verdict = check_against_shapes(graph, Path(data_dir), replaces=keys_for(page, None).graph)
    if verdict is not None and not verdict.conforms:
        raise IngestError("the RDF does not conform to the shapes", [(None, verdict.text)])
    return IngestResult(page, graph, matches, problems, verdict.summary if verdict else None)


def _reconcile(page: ConferencePage, index: NameIndex) -> tuple[Reconciled, list[Match]]:
    reconciled = Reconciled()
    matches: list[Match] = []

    def place(found) -> Entity | None:
        if not found or not found.region:
            return None
        country = index.match(found.country, "country", line=found.line) if found.country else None
        scope = country.entity.iri if country and country.entity else None
        match = index.match(found.region, "region", line=found.line, country=scope)
        matches.append(match)
        return match.entity

    reconciled.host_region = place(page.venue)
    reconciled.organizer_region = place(page.organizer)
    for group in page.participation.countries if page.participation else []:
        country = index.match(group.country.text, "country", line=group.country.line)
        matches.append(country)
        scope = country.entity.iri if country.entity else None
        for printed in group.regions:
            match = index.match(printed.text, "region", line=printed.line, country=scope)
            matches.append(match)
            reconciled.participants.append((match.entity, printed.text, group.country.text))
    if page.declaration and page.declaration.city:
        city = index.match(page.declaration.city, "region", line=page.declaration.line)
        reconciled.declaration_city = city.entity or reconciled.host_region
    return reconciled, matches


def _city_names(page, reconciled, normalise, table) -> tuple[dict[str, str], tuple | None]:
    """The declaration's city per language, from the region it is named after."""
    declaration = page.declaration
    if not declaration or not declaration.city:
        return {}, None
    region = reconciled.declaration_city
    names = {}
    if region is not None and normalise(declaration.city) in {
        normalise(text) for text, _ in region.labels
    }:
        for language, label in region.preferred.items():
            suffixes = table.languages.get(language)
            names[language] = _without_generic(label, normalise, suffixes)
    problem = None
    if "en" not in names:
        if page.language == "en" and slug(declaration.city):
            names["en"] = declaration.city
        else:
            problem = (
                declaration.line,
                f"the declaration's city {declaration.city!r} matches no "
                "region, so its English key is unknown; the declaration is left out",
            )
    return names, problem


def _without_generic(label: str, normalise: NameKeys, rows) -> str:
    for suffix in sorted(rows.generic_suffixes if rows else (), key=len, reverse=True):
        if label.endswith(suffix) and len(label) > len(suffix):
            return label[: -len(suffix)]
    return normalise.without_generic_words(label)


def _local_copy(page_path: Path, data_dir: Path) -> str | None:
    try:
        return Path(page_path).resolve().relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        return None


def write_atomically(graph: Graph, out: Path) -> None:
    """Write Turtle to a temporary file beside ``out``, then rename it over ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            graph.serialize(stream, format="turtle", encoding="utf-8")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["IngestError", "IngestResult", "PageError", "ingest_page", "write_atomically"]
