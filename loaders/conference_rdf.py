"""Turning a read and reconciled conference page into RDF in the terms of docs/model.md."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from .conference_page import ConferencePage
from .reconcile import Entity
from .settings import DEFAULT_BASE

NEAR = Namespace(DEFAULT_BASE + "def#")
SCHEMA = Namespace("http://schema.org/")
ID = Namespace(DEFAULT_BASE + "id/")
LABEL_TEMPLATES = Path(__file__).with_name("label_templates.toml")
CHINESE_NUMERALS = "零一二三四五六七八九十"
SERIES = ID["series/near-conference"]
AGENDA_CLASSES = {"topic": NEAR.Topic, "decision": NEAR.Decision, "item": NEAR.AgendaItem}


@dataclass
class Reconciled:
    """What the page's printed names were matched to (None where nothing matched)."""

    participants: list[tuple[Entity | None, str, str]] = field(default_factory=list)
    # (region, printed region name, printed country heading), in page order
    host_region: Entity | None = None
    organizer_region: Entity | None = None
    declaration_city: Entity | None = None


def english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def chinese_numeral(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (
        (CHINESE_NUMERALS[tens] if tens > 1 else "")
        + "十"
        + (CHINESE_NUMERALS[ones] if ones else "")
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


class Labels:
    """Preferred labels from the templates (``label_templates.toml``)."""

    def __init__(self, page: ConferencePage, path: Path = LABEL_TEMPLATES) -> None:
        with open(path, "rb") as handle:
            self.templates: dict[str, dict[str, str]] = tomllib.load(handle)
        n = page.ordinal
        self.common = {"year": page.year}
        if n is not None:
            self.common.update(n=n, ordinal=english_ordinal(n), numeral=chinese_numeral(n))

    def __call__(self, template_name: str, per_language=None, **values) -> list[Literal]:
        found = []
        for language, templates in self.templates.items():
            template = templates.get(template_name)
            extra = per_language(language) if per_language else {}
            if template is None or extra is None:
                continue
            try:
                text = template.format(**self.common, **values, **extra)
            except KeyError:
                continue
            found.append(Literal(text, lang=language))
        return found


@dataclass
class ConferenceKeys:
    year: int
    declaration: str | None
    source: str

    @property
    def conference(self) -> URIRef:
        return ID[f"conference/{self.year}"]

    @property
    def graph(self) -> URIRef:
        return URIRef(f"{DEFAULT_BASE}graph/data/conferences/{self.year}")


def keys_for(page: ConferencePage, city_key: str | None) -> ConferenceKeys:
    declaration = f"{city_key}-{page.year}" if city_key and page.declaration else None
    base = declaration or f"near-conference-{page.year}"
    return ConferenceKeys(page.year, declaration, f"{base}-{page.language}")


def build_graph(
    page: ConferencePage,
    reconciled: Reconciled,
    *,
    city_names: dict[str, str],
    local_copy: str | None = None,
) -> Graph:
    """The conference's graph; ``city_names`` is the declaration's city per language."""
    city_key = slug(city_names["en"]) if city_names.get("en") else None
    keys = keys_for(page, city_key)
    labels = Labels(page)
    graph = Graph()
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace)
    conference = keys.conference
    source = ID[f"source/{keys.source}"]

    declaration_labels = _declaration_labels(page, labels, city_names)
    en_declaration = next((str(x) for x in declaration_labels if x.language == "en"), None)
    title_kind = "graph_title" if en_declaration else "graph_title_without_declaration"
    for title in labels(title_kind, lambda _: {"declaration": en_declaration}):
        graph.add((keys.graph, DCTERMS.title, title))
    graph.add((keys.graph, PROV.wasDerivedFrom, source))

    _describe_source(graph, page, source, keys, local_copy)
    _describe_conference(graph, page, reconciled, conference, labels)
    _add_participations(graph, page, reconciled, conference, labels)
    _add_agenda(graph, page, conference, labels)
    if page.declaration and keys.declaration:
        _add_declaration(graph, page, conference, keys.declaration, declaration_labels)
    return graph


_PREFIXES = {
    "near": NEAR,
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "xsd": XSD,
    "source": ID["source/"],
    "conf": ID["conference/"],
    "series": ID["series/"],
    "part": ID["participation/"],
    "item": ID["agenda-item/"],
    "decl": ID["declaration/"],
    "res": ID["resolution/"],
    "gov": ID["government/"],
    "region": ID["region/"],
}


def _typed(value, datatype) -> Literal:
    return Literal(str(value), datatype=datatype)


def _describe_source(graph, page, source, keys, local_copy) -> None:
    graph.add((source, RDF.type, NEAR.SourceDocument))
    if page.title:
        graph.add((source, DCTERMS.title, Literal(page.title, lang=page.language)))
    graph.add((source, DCTERMS.language, Literal(page.language)))
    graph.add((source, NEAR.documentKind, Literal("conference page")))
    graph.add((source, NEAR.covers, keys.conference))
    if keys.declaration and page.declaration:
        graph.add((source, NEAR.covers, ID[f"declaration/{keys.declaration}"]))
    if local_copy:
        graph.add((source, NEAR.localCopy, Literal(local_copy)))


def _describe_conference(graph, page, reconciled, conference, labels) -> None:
    lang = page.language
    graph.add((conference, RDF.type, NEAR.Conference))
    graph.add((conference, NEAR.inSeries, SERIES))
    for label in labels("conference"):
        graph.add((conference, SKOS.prefLabel, label))
    if page.title:
        graph.add((conference, SKOS.altLabel, Literal(page.title, lang=lang)))
    if page.ordinal is not None:
        graph.add((conference, NEAR.ordinal, _typed(page.ordinal, XSD.positiveInteger)))
    graph.add((conference, NEAR.year, _typed(page.year, XSD.gYear)))
    graph.add((conference, SCHEMA.startDate, _typed(page.start.isoformat(), XSD.date)))
    graph.add((conference, SCHEMA.endDate, _typed(page.end.isoformat(), XSD.date)))
    if page.venue:
        graph.add((conference, NEAR.venueName, Literal(page.venue.printed, lang=lang)))
    if reconciled.host_region:
        graph.add((conference, NEAR.hostRegion, URIRef(reconciled.host_region.iri)))
    if page.organizer:
        graph.add((conference, NEAR.organizerName, Literal(page.organizer.printed, lang=lang)))
    if reconciled.organizer_region and reconciled.organizer_region.government:
        graph.add((conference, NEAR.organizer, URIRef(reconciled.organizer_region.government)))
    stated = page.participation
    if stated and stated.stated_participants is not None:
        count = XSD.nonNegativeInteger
        graph.add(
            (conference, NEAR.statedParticipantCount, _typed(stated.stated_participants, count))
        )
        graph.add((conference, NEAR.statedCountryCount, _typed(stated.stated_countries, count)))


def _add_participations(graph, page, reconciled, conference, labels) -> None:
    lang = page.language
    for region, printed, country in reconciled.participants:
        if region is None or region.government is None:
            continue  # reported by the ingester, never written
        participation = ID[f"participation/{page.year}-{region.code}"]
        graph.add((conference, NEAR.hasParticipation, participation))
        graph.add((participation, RDF.type, NEAR.Participation))
        for label in labels("participation", lambda language, r=region: _region_value(r, language)):
            graph.add((participation, SKOS.prefLabel, label))
        graph.add((participation, NEAR.conference, conference))
        graph.add((participation, NEAR.participant, URIRef(region.government)))
        graph.add((participation, NEAR.printedName, Literal(printed, lang=lang)))
        graph.add((participation, NEAR.printedCountryName, Literal(country, lang=lang)))


def _region_value(region: Entity, language: str) -> dict | None:
    label = region.label(language)
    return {"region": label} if label else None


def _add_agenda(graph, page, conference, labels) -> None:
    for item in page.agenda:
        node = ID[f"agenda-item/{page.year}-{item.position}"]
        graph.add((conference, NEAR.hasAgendaItem, node))
        graph.add((node, RDF.type, AGENDA_CLASSES[item.kind]))
        for label in labels("agenda_item", position=item.position, kind=item.kind):
            graph.add((node, SKOS.prefLabel, label))
        graph.add((node, NEAR.conference, conference))
        graph.add((node, NEAR.position, _typed(item.position, XSD.positiveInteger)))
        graph.add((node, NEAR.text, Literal(item.text, lang=page.language)))
        if item.part_of is not None:
            graph.add((node, DCTERMS.isPartOf, ID[f"agenda-item/{page.year}-{item.part_of}"]))


def _declaration_labels(page, labels, city_names) -> list[Literal]:
    if not page.declaration:
        return []
    found = [
        label
        for label in labels("declaration", lambda language: _city(city_names, language))
        if label.language != page.language
    ]
    if page.declaration.title:
        found.append(Literal(page.declaration.title, lang=page.language))
    return found


def _city(city_names: dict[str, str], language: str) -> dict | None:
    return {"city": city_names[language]} if city_names.get(language) else None


def _add_declaration(graph, page, conference, key, declaration_labels) -> None:
    lang = page.language
    declaration = page.declaration
    node = ID[f"declaration/{key}"]
    graph.add((node, RDF.type, NEAR.Declaration))
    graph.add((node, NEAR.adoptedAt, conference))
    for label in declaration_labels:
        graph.add((node, SKOS.prefLabel, label))
    if declaration.title:
        graph.add((node, DCTERMS.title, Literal(declaration.title, lang=lang)))
    if declaration.preamble:
        graph.add((node, NEAR.text, Literal("\n\n".join(declaration.preamble), lang=lang)))
    by_language = {label.language: str(label) for label in declaration_labels}
    for resolution in declaration.resolutions:
        res = ID[f"resolution/{key}-{resolution.ordinal}"]
        graph.add((node, NEAR.hasResolution, res))
        graph.add((res, RDF.type, NEAR.Resolution))
        for language, name in by_language.items():
            template = _resolution_template(language)
            if template:
                text = template.format(declaration=name, n=resolution.ordinal)
                graph.add((res, SKOS.prefLabel, Literal(text, lang=language)))
        graph.add((res, NEAR.declaration, node))
        graph.add((res, NEAR.ordinal, _typed(resolution.ordinal, XSD.positiveInteger)))
        if resolution.heading:
            graph.add((res, NEAR.heading, Literal(resolution.heading, lang=lang)))
        graph.add((res, NEAR.text, Literal(resolution.text, lang=lang)))


def _resolution_template(language: str) -> str | None:
    with open(LABEL_TEMPLATES, "rb") as handle:
        return tomllib.load(handle).get(language, {}).get("resolution")
