"""What a person wants first from a page: a summary card of the thing (what, when, where,
who, counts stated and listed) and its relations folded in by whom they are about
(participants by country, a declaration's resolutions with their text).

Built from the thing's description (its own statements and its records) and the entity
index; conferences, declarations and regions have one, other kinds show their statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox
from babel.dates import format_date, format_interval

from loaders.ontology import local_name
from service.linked_data.entity_description import EntityDescription
from service.linked_data.entity_index import EntityIndex
from service.linked_data.labels import (
    LANGUAGE_NAMES,
    fallback_chain,
    label_of,
    shown_label,
)
from service.pages.collation import sorted_for
from service.pages.message_catalogue import gettext as _


@dataclass
class Named:
    label: str
    href: str | None
    lang: str | None = None  # the label's language where it is not the page's


@dataclass
class Fact:
    label: str
    text: str = ""
    links: list[Named] = field(default_factory=list)
    text_lang: str | None = None  # the text's language where it is the data's, not the page's


@dataclass
class Passage:
    heading: Named | None
    text: str
    lang: str | None
    verbatim: bool = False  # a source's own text, with its line breaks


@dataclass
class Summary:
    facts: list[Fact] = field(default_factory=list)
    group_title: str = ""
    groups: list[tuple[Named | None, list[Named]]] = field(default_factory=list)
    passages_title: str = ""
    passages: list[Passage] = field(default_factory=list)

    def add(self, label: str, text: str = "", links: list[Named] | None = None) -> None:
        """A line of the card, where there is something to say."""
        if text or links:
            self.facts.append(Fact(label, text, list(links or [])))


class _Reader:
    """Statements of a description by the local name of their predicate."""

    def __init__(
        self, description: EntityDescription, index: EntityIndex, lang: str, local_url, quads
    ):
        self.description, self.index, self.lang, self.local_url = (
            description,
            index,
            lang,
            local_url,
        )
        # (subject=, obj=) -> the store's quads, for relations a step away (read by pattern:
        # a region's three SPARQL queries through the query processes were most of its page)
        self.quads = quads
        # (subject IRI, local name) -> objects, in the description's order: a conference's
        # card asks for each of its hundreds of participations' statements
        self._objects: dict[tuple[str, str], list] = {}
        for s in (*description.own, *description.records):
            if isinstance(s.subject, ox.NamedNode):
                key = (s.subject.value, local_name(s.predicate.value))
                self._objects.setdefault(key, []).append(s.object)

    def objects(self, subject: str, name: str) -> list:
        return list(self._objects.get((subject, name), ()))

    def subjects(self, name: str) -> list[str]:
        return [
            s.subject.value
            for s in self.description.incoming
            if local_name(s.predicate.value) == name and isinstance(s.subject, ox.NamedNode)
        ]

    def literal(self, subject: str, name: str) -> ox.Literal | None:
        found = [o for o in self.objects(subject, name) if isinstance(o, ox.Literal)]
        order = {code: i for i, code in enumerate(fallback_chain(self.lang))}
        found.sort(key=lambda o: order.get(o.language or "", len(order)))
        return found[0] if found else None

    def named(self, iri: str) -> Named:
        label, shown_lang = shown_label(self.index, iri, self.lang)
        href = self.local_url(iri) if iri.startswith(self.index.base) else None
        return Named(label, href, shown_lang)

    def links(self, subject: str, name: str) -> list[Named]:
        return [
            self.named(o.value) for o in self.objects(subject, name) if isinstance(o, ox.NamedNode)
        ]


def _date(literal: ox.Literal | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(literal.value) if literal is not None else None
    except ValueError:
        return None


def _when(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    if start and end and end != start:
        return format_interval(start, end, "yMMMd", locale=lang)
    day = start or end
    return format_date(day, "long", locale=lang) if day else ""


def summarize(
    description: EntityDescription,
    index: EntityIndex,
    lang: str,
    local_url,
    source_text=lambda path: None,
    quads=lambda subject=None, obj=None: iter(()),
) -> Summary | None:
    """The summary of the thing, or None for a kind that has none. ``source_text(path)`` is
    the text of a source document's local copy (None where it cannot be read);
    ``quads(subject=, obj=)`` the store's quads with that subject and/or object
    (``KnowledgeStore.matching_quads``)."""
    reader = _Reader(description, index, lang, local_url, quads)
    if description.kind == "source":
        return _source(reader, source_text)
    build = _SUMMARIES.get(description.kind)
    return build(reader) if build else None


def _source(r: _Reader, source_text) -> Summary:
    """A source document: what it is, its language, what it covers, and its text."""
    this = r.description.iri
    summary = Summary()
    for label, name in ((_("Title"), "title"), (_("Kind"), "documentKind")):
        _add_literal(summary, r, label, name)
    language = r.literal(this, "language")
    if language is not None:
        name = LANGUAGE_NAMES.get(language.value, language.value)  # the language's own name
        summary.facts.append(Fact(_("Language"), name, text_lang=language.value))
    _add_literal(summary, r, _("Note"), "editorialNote")
    summary.add(_("Draws on"), links=r.links(this, "references"))
    _add_literal(summary, r, _("About"), "description")
    # in the order of their addresses: conferences by year, then declarations...
    covered = [o.value for o in r.objects(this, "covers") if isinstance(o, ox.NamedNode)]
    summary.add(_("Covers"), links=[r.named(iri) for iri in sorted_for(covered, "en")])
    copy = r.literal(this, "localCopy")
    text = source_text(copy.value) if copy is not None else None
    if text:
        summary.passages_title = _("Text of the source")
        code = language.value if language is not None else None
        summary.passages.append(Passage(None, text, code, verbatim=True))
    return summary


def _conference(r: _Reader) -> Summary:
    this = r.description.iri
    summary = Summary()
    when = _when(_date(r.literal(this, "startDate")), _date(r.literal(this, "endDate")), r.lang)
    if when:
        summary.facts.append(Fact(_("When"), when))
    city = r.literal(this, "city")
    where = r.links(this, "hostRegion")
    if where or city:
        summary.facts.append(Fact(_("Where"), city.value if city else "", where))
    summary.add(_("Host"), links=r.links(this, "organizer"))
    participations = [o.value for o in r.objects(this, "hasParticipation")]
    participations += [s for s in r.subjects("conference") if "/participation/" in s]
    participations = list(dict.fromkeys(participations))
    stated = r.literal(this, "statedParticipantCount")
    countries = r.literal(this, "statedCountryCount")
    counts = []
    if stated is not None:
        counts.append(_("%(count)s stated in the source", count=stated.value))
    if participations:
        counts.append(_("%(count)s listed by name", count=len(participations)))
    else:  # the page names nobody: not "0 took part"
        counts.append(_("no list in the source"))
    if countries is not None:
        counts.append(_("%(count)s countries stated", count=countries.value))
    summary.facts.append(Fact(_("Participants"), " · ".join(counts)))
    summary.add(_("Declaration"), links=[r.named(iri) for iri in r.subjects("adoptedAt")])
    # the conference page's contents (agenda items, decisions), in their order, with their text
    items = [s for s in r.subjects("conference") if "/agenda-item/" in s]
    summary.passages += _numbered_passages(r, items, "position")
    if summary.passages:
        summary.passages_title = _("Contents of the conference")
    summary.group_title = _("Participants by country")
    by_country: dict[str, list[str]] = {}
    for participation in participations:
        for government in r.objects(participation, "participant"):
            region = r.index.parents.get(government.value, government.value)
            country = r.index.parents.get(region, "")
            by_country.setdefault(country, []).append(region)
    summary.groups = [
        (
            r.named(country) if country else None,
            sorted_for([r.named(region) for region in regions], r.lang, key=lambda n: n.label),
        )
        for country, regions in sorted_for(
            by_country.items(), r.lang, key=lambda kv: label_of(r.index, kv[0], r.lang)
        )
    ]
    return summary


def _declaration(r: _Reader) -> Summary:
    this = r.description.iri
    summary = Summary()
    summary.add(_("Adopted at"), links=r.links(this, "adoptedAt"))
    resolutions = [o.value for o in r.objects(this, "hasResolution")]
    resolutions += [s for s in r.subjects("declaration") if "/resolution/" in s]
    resolutions = list(dict.fromkeys(resolutions))
    summary.facts.append(Fact(_("Resolutions"), _("%(count)s resolutions", count=len(resolutions))))
    text = r.literal(this, "text")
    summary.passages_title = _("Text")
    if text is not None:
        summary.passages.append(Passage(None, text.value, text.language or "en"))

    summary.passages += _numbered_passages(r, resolutions, "ordinal")
    return summary


def _numbered_passages(r: _Reader, iris: list[str], number: str) -> list[Passage]:
    """The text of each record (resolutions, agenda items), in the order of its ``number``
    (1, 2, 10), headed by its name."""

    def place(iri: str) -> str:
        found = r.literal(iri, number)
        return found.value if found is not None else iri

    passages = []
    for iri in sorted_for(iris, "en", key=place):
        body = r.literal(iri, "text")
        if body is not None:
            passages.append(Passage(r.named(iri), body.value, body.language or "en"))
    return passages


def _region(r: _Reader) -> Summary:
    this = r.description.iri
    summary = Summary()
    summary.add(_("Country"), links=r.links(this, "country"))
    governments = r.subjects("governs")
    summary.add(_("Regional government"), links=[r.named(iri) for iri in governments])
    # what the region's government does (the region itself is a place): a step away from it
    org = "http://www.w3.org/ns/org#"
    near = r.index.base + "def#"
    roles = _two_steps(r, governments, org + "member", org + "role")
    summary.add(_("NEAR membership"), links=roles)
    summary.add(_("Conferences hosted"), links=[r.named(iri) for iri in r.subjects("hostRegion")])
    attended = _two_steps(r, governments, near + "participant", near + "conference")
    summary.add(_("Conferences attended"), links=attended)
    coordinates = _two_steps(r, governments, near + "coordinator", near + "subcommittee")
    summary.add(_("Coordinates"), links=coordinates)
    return summary


def _subcommittee(r: _Reader) -> Summary:
    """A subcommittee: its theme, what it does, and who coordinates it (named by region)."""
    this = r.description.iri
    summary = Summary()
    theme = r.literal(this, "theme")
    if theme is not None:
        summary.facts.append(Fact(_("Theme"), theme.value))
    regions = []
    for coordination in [o.value for o in r.objects(this, "hasCoordination")]:
        for government in r.objects(coordination, "coordinator"):
            regions.append(r.index.parents.get(government.value, government.value))
    if regions:
        summary.facts.append(
            Fact(_("Coordinated by"), links=[r.named(region) for region in dict.fromkeys(regions)])
        )
    body = r.literal(this, "description")
    if body is not None:
        summary.passages_title = _("What it does")
        summary.passages.append(Passage(None, body.value, body.language or None))
    return summary


def _add_literal(summary: Summary, r: _Reader, label: str, name: str) -> None:
    """A card line with the thing's text for ``name`` in its own language (the source
    documents' untagged words are English), where it has one."""
    literal = r.literal(r.description.iri, name)
    if literal is not None:
        summary.facts.append(Fact(label, literal.value, text_lang=literal.language or "en"))


def _two_steps(r: _Reader, starts: list[str], inward: str, onward: str) -> list[Named]:
    """The things ``?x`` with ``?link <inward> ?start ; <onward> ?x`` for a start among
    ``starts`` (SPARQL's ``SELECT DISTINCT ?x``), named, in the reader's order."""
    found: dict[str, None] = {}
    for start in starts:
        for link in r.quads(obj=ox.NamedNode(start)):
            if link.predicate.value != inward or not isinstance(link.subject, ox.NamedNode):
                continue
            for step in r.quads(subject=link.subject):
                if step.predicate.value == onward and isinstance(step.object, ox.NamedNode):
                    found[step.object.value] = None
    return sorted_for([r.named(iri) for iri in found], r.lang, key=lambda n: n.label)


_SUMMARIES = {
    "conference": _conference,
    "declaration": _declaration,
    "region": _region,
    "subcommittee": _subcommittee,
}
# the kinds with a summary card: it may read every linked record (participants by country)
KINDS_WITH_SUMMARY = frozenset({"source", *_SUMMARIES})
