"""The HTML page of a thing: a view model built from its description, in one language."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import pyoxigraph as ox
from babel.dates import format_date

from service.http.formats import RDF_DOCUMENT as RDF_FORMATS
from service.linked_data.entity_description import RDF_TYPE, EntityDescription, Statement
from service.linked_data.entity_index import EntityIndex
from service.linked_data.incoming_links import Incoming
from service.linked_data.labels import chosen_label, fallback_chain, label_of, shown_label
from service.pages.collation import sort_key, sorted_for

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# literals whose datatype says nothing a reader needs (a number is a number, a year a year)
PLAIN_DATATYPES = frozenset(
    {XSD_STRING, RDF_LANG_STRING, XSD + "integer", XSD + "decimal", XSD + "double",
     XSD + "gYear", XSD + "nonNegativeInteger", XSD + "positiveInteger", XSD + "anyURI",
     XSD + "boolean"}
)  # fmt: skip
SKOS_EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
SKOS_EDITORIAL_NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
# where a thing is also described (its skos:exactMatch links): namespace -> name shown
ALSO_ON = {
    "http://www.wikidata.org/entity/": "Wikidata",
    "https://sws.geonames.org/": "GeoNames",
}
PAGE_SIZE = 50
MAX_RECORDS_SHOWN = 30  # beyond this, records are reached through "linked from"

# schema.org types for the embedded JSON-LD, by kind
SCHEMA_TYPES = {
    "country": "Country",
    "region": "AdministrativeArea",
    "government": "GovernmentOrganization",
    "organization": "Organization",
    "conference": "Event",
    "series": "EventSeries",
    "declaration": "CreativeWork",
    "resolution": "CreativeWork",
    "publication": "CreativeWork",
    "source": "CreativeWork",
    "body": "Organization",
    "subcommittee": "Organization",
    "program": "Thing",
}


@dataclass
class Link:
    label: str
    href: str | None  # None: not in our URI space and not a web address
    iri: str
    lang: str | None = None  # the label's language where it is not the page's (a fallback)


@dataclass
class Value:
    text: str
    lang: str | None = None
    datatype: str | None = None
    link: Link | None = None
    sources: list[Link] = field(default_factory=list)


@dataclass
class PropertyGroup:
    predicate: Link
    values: list[Value]
    total: int = 0


@dataclass
class EntityPage:
    iri: str
    title: str
    title_lang: str | None  # the title's language where it is not the page's
    kind: str
    key: str
    types: list[Link]
    breadcrumbs: list[Link]
    properties: list[PropertyGroup]
    incoming: list[PropertyGroup]
    records: list[tuple[Link, list[PropertyGroup]]]
    records_total: int
    alternates: list[tuple[str, str, str]]  # (label, media type, href)
    json_ld: dict
    page: int
    has_more_incoming: bool
    page_sources: list[Link] = field(default_factory=list)  # the Sources box
    # how far the sources support the thing (near:status: planned, inferred, uncertain), with
    # the editorial notes that say why: shown by its name, not only among the statements
    status: list[Link] = field(default_factory=list)
    status_notes: list[str] = field(default_factory=list)
    also_on: list[Link] = field(default_factory=list)  # "Also on: Wikidata, GeoNames"


def build_page(
    description: EntityDescription,
    index: EntityIndex,
    lang: str,
    *,
    local_url,
    doc_url: str,
    page: int = 1,
) -> EntityPage:
    """``local_url(iri)`` maps IRIs in our URI space to their page on this host (with the
    reader's chosen language, page_links.page_url); ``doc_url`` is the generic document
    address (alternates add the suffixes)."""

    made_links: dict[str, Link] = {}  # the same properties and things, linked many times

    def link(iri: str) -> Link:
        made = made_links.get(iri)
        if made is None:
            href = local_url(iri) if iri.startswith(index.base) else iri
            if not href.startswith(("http://", "https://")):
                href = None
            label, shown_lang = shown_label(index, iri, lang)
            made = made_links[iri] = Link(label, href, iri, shown_lang)
        return made

    made_sources: dict[str, list[Link]] = {}  # a page's statements come from a few graphs

    def sources(graph: str | None) -> list[Link]:
        if graph is None:
            return []
        made = made_sources.get(graph)
        if made is None:
            found = index.graph_sources.get(graph, [])
            made = made_sources[graph] = [link(s) for s in found] or [link(graph)]
        return list(made)

    def value(statement: Statement, term) -> Value:
        result = Value(text="", sources=sources(statement.graph))
        if isinstance(term, ox.Literal):
            result.text = term.value
            result.lang = term.language
            datatype = term.datatype.value
            if datatype == XSD + "date":
                result.text = _local_date(term.value, lang)
            elif datatype not in PLAIN_DATATYPES:
                result.datatype = label_of(index, datatype, lang)
        elif isinstance(term, ox.NamedNode):
            result.link = link(term.value)
            result.text = result.link.label
        else:
            result.text = describe_blank(term)
        return result

    def shown_text(term) -> tuple[str | None, str]:
        """(language, text) of the value ``value`` makes of ``term``, without making it."""
        if isinstance(term, ox.NamedNode):
            return None, label_of(index, term.value, lang)
        if isinstance(term, ox.Literal):
            if term.datatype.value == XSD + "date":
                return term.language, _local_date(term.value, lang)
            return term.language, term.value
        return None, describe_blank(term)

    def describe_blank(node) -> str:
        parts = [
            f"{label_of(index, s.predicate.value, lang)}: "
            + (
                s.object.value
                if isinstance(s.object, ox.Literal)
                else label_of(index, s.object.value, lang)
                if isinstance(s.object, ox.NamedNode)
                else "…"
            )
            for s in (*description.own, *description.records)
            if s.subject == node and s.predicate.value != RDF_TYPE
        ]
        return "; ".join(parts) or "(unnamed node)"

    thing = ox.NamedNode(description.iri)
    own = [s for s in description.own if s.subject == thing]
    types = [link(s.object.value) for s in own if s.predicate.value == RDF_TYPE]
    properties = _group(
        [s for s in own if s.predicate.value != RDF_TYPE],
        lambda s: s.object,
        link,
        value,
        lang,
    )
    by_record: dict[str, list[Statement]] = {}
    for statement in description.records:
        if isinstance(statement.subject, ox.NamedNode):  # blank nodes are in the RDF only
            by_record.setdefault(statement.subject.value, []).append(statement)
    shown_records = records_shown(description.record_iris, lang)
    # a record shown below is not listed again among the things that link here
    shown = set(shown_records)
    # a country at 100k triples has thousands of incoming statements: all are counted and
    # ordered (by the label the index keeps), values are made only for the page shown
    start = (page - 1) * PAGE_SIZE
    window = slice(start, start + PAGE_SIZE)
    if description.incoming_kept is not None:
        incoming = _kept_groups(
            description.incoming_kept, index, frozenset(shown), window, link, value, lang
        )
    else:
        incoming = _group(
            [s for s in description.incoming if s.subject.value not in shown],
            lambda s: s.subject,
            link,
            value,
            lang,
            shown_text=shown_text,
            window=window,
        )
    has_more = any(group.total > start + PAGE_SIZE for group in incoming)
    records = []
    for record_iri in shown_records:
        groups = _group(by_record.get(record_iri, []), lambda s: s.object, link, value, lang)
        records.append((link(record_iri), groups))
    page_sources = _mark_sources([*properties, *incoming, *(g for _, gs in records for g in gs)])
    title, title_lang = chosen_label(index, description.iri, lang)
    status = [link(s.object.value) for s in own if s.predicate.value == index.base + "def#status"]
    status_notes = (
        sorted(
            s.object.value
            for s in own
            if s.predicate.value == SKOS_EDITORIAL_NOTE and isinstance(s.object, ox.Literal)
        )
        if status
        else []
    )
    also_on = sorted(
        (
            Link(name, s.object.value, s.object.value)
            for s in own
            if s.predicate.value == SKOS_EXACT_MATCH and isinstance(s.object, ox.NamedNode)
            for namespace, name in ALSO_ON.items()
            if s.object.value.startswith(namespace)
        ),
        key=lambda found: found.label,
    )
    alternates = [
        (str(f.suffix).upper(), f.media_type, f"{doc_url}.{f.suffix}") for f in RDF_FORMATS
    ]
    return EntityPage(
        iri=description.iri,
        title=title,
        title_lang=title_lang if title_lang and title_lang != lang else None,
        kind=description.kind,
        key=description.key,
        types=types,
        breadcrumbs=[link(iri) for iri in index.breadcrumbs(description.iri)],
        properties=properties,
        incoming=incoming,
        records=records,
        records_total=len(description.record_iris),
        alternates=alternates,
        json_ld=_schema_org(description, index, lang, doc_url + ".html"),
        page=page,
        has_more_incoming=has_more,
        page_sources=page_sources,
        status=status,
        status_notes=status_notes,
        also_on=also_on,
    )


def records_shown(record_iris: list[str], lang: str) -> list[str]:
    """The records a page shows in full, in the reader's order of their addresses (2 before
    10); the others are reached through "linked from". Where there are more than shown, the
    choice is kept (a page asks twice, and an organization's 2,000 memberships each need a
    collation key): a pure function of the addresses and the language, bounded in entries."""
    if len(record_iris) <= MAX_RECORDS_SHOWN:
        return sorted_for(record_iris, lang)
    key = (lang, tuple(record_iris))
    shown = _shown_kept.get(key)
    if shown is None:
        shown = sorted_for(record_iris, lang)[:MAX_RECORDS_SHOWN]
        with _shown_lock:
            global _shown_addresses
            if _shown_addresses + len(record_iris) > SHOWN_KEPT_ADDRESSES:
                _shown_kept.clear()
                _shown_addresses = 0
            _shown_kept[key] = shown
            _shown_addresses += len(record_iris)
    return list(shown)


SHOWN_KEPT_ADDRESSES = 200_000  # references to addresses held by the keys (8 bytes each)
_shown_kept: dict[tuple[str, tuple[str, ...]], list[str]] = {}
_shown_addresses = 0
_shown_lock = threading.Lock()


def _mark_sources(groups: list[PropertyGroup]) -> list[Link]:
    """The sources most statements of the page have (shown once, in the Sources box); a
    value keeps its own sources only where they differ from those."""
    counts: dict[tuple[str, ...], int] = {}
    for group in groups:
        for value in group.values:
            key = tuple(link.iri for link in value.sources)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return []
    common = max(counts, key=lambda key: counts[key])
    shown: list[Link] = []
    for group in groups:
        for value in group.values:
            if tuple(link.iri for link in value.sources) == common:
                shown = shown or list(value.sources)
                value.sources = []
    return shown


def _local_date(text: str, lang: str) -> str:
    """An xsd:date as the reader's language writes it (the literal itself if malformed)."""
    try:
        return format_date(dt.date.fromisoformat(text), "long", locale=lang)
    except ValueError:
        return text


def _group(
    statements, term_of, link, value, lang, *, shown_text=None, window: slice | None = None
) -> list[PropertyGroup]:
    """Statements grouped by predicate, each group's values in the reader's order (language
    first, then text). With a ``window``, each group is ordered by ``shown_text(term)`` ->
    (language, text) and only the values inside the window are made; ``total`` counts all."""
    order = {code: i for i, code in enumerate(fallback_chain(lang))}
    text_key = sort_key(lang)

    def rank(text_lang: str | None, text: str):
        return order.get(text_lang or "", len(order)), text_key(text)

    groups = []
    if window is None:
        grouped: dict[str, list[Value]] = {}
        for statement in statements:
            grouped.setdefault(statement.predicate.value, []).append(
                value(statement, term_of(statement))
            )
        for predicate, values in grouped.items():
            if len(values) > 1:  # most groups hold one value: no collation key to make
                values.sort(key=lambda v: rank(v.lang, v.text))
            groups.append(PropertyGroup(link(predicate), values, len(values)))
    else:
        by_predicate: dict[str, list] = {}
        for statement in statements:
            by_predicate.setdefault(statement.predicate.value, []).append(statement)
        for predicate, members in by_predicate.items():
            if len(members) > 1:
                members.sort(key=lambda s: rank(*shown_text(term_of(s))))
            values = [value(s, term_of(s)) for s in members[window]]
            groups.append(PropertyGroup(link(predicate), values, len(members)))
    if len(groups) > 1:
        groups.sort(key=lambda g: text_key(g.predicate.label))
    return groups


def _kept_groups(
    incoming: Incoming, index: EntityIndex, left_out, window: slice, link, value, lang: str
) -> list[PropertyGroup]:
    """``_group`` with a window, of the statements pointing to a much-linked thing as kept
    once per data version (``incoming_links``): ordered as ``_group`` orders named subjects
    (by label in the reader's language, ties in the store's order), values made for the
    window only."""
    text_key = sort_key(lang)
    ordered = incoming.ordered(
        lang, left_out, lambda subject: text_key(label_of(index, subject, lang))
    )
    thing = ox.NamedNode(incoming.iri)
    groups = []
    for group in ordered:
        predicate = ox.NamedNode(group.predicate)
        values = []
        for subject, graph in incoming.window(group, window):
            named = ox.NamedNode(subject)
            values.append(value(Statement(named, predicate, thing, graph), named))
        groups.append(PropertyGroup(link(group.predicate), values, len(group.subjects)))
    groups.sort(key=lambda g: text_key(g.predicate.label))
    return groups


SCHEMA_CONTEXT = {"@vocab": "http://schema.org/", "url": {"@type": "@id"}}


def _schema_org(description: EntityDescription, index: EntityIndex, lang: str, url: str) -> dict:
    data = {
        # inline, not "https://schema.org": a client given the page must not fetch a context
        "@context": SCHEMA_CONTEXT,
        "@type": SCHEMA_TYPES.get(description.kind, "Thing"),
        "@id": description.iri,
        "name": label_of(index, description.iri, lang),
        "url": url,
    }
    names = index.labels.get(description.iri, {})
    every_name = [*names.values(), *index.alt_labels.get(description.iri, [])]
    alternates = sorted({text for text in every_name if text != data["name"]})
    if alternates:
        data["alternateName"] = alternates
    same_as = sorted(
        s.object.value
        for s in description.own
        if s.predicate.value == SKOS_EXACT_MATCH and s.subject.value == description.iri
    )
    if same_as:
        data["sameAs"] = same_as
    return data
