"""The browsable site: NEAR at a glance (for the home page), members by country and lists of
each kind of thing (search is ``search.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from service.http import context
from service.http.errors import ApiError
from service.http.representation import Variant, represent
from service.http.request_view import RequestView, current
from service.linked_data.entity_index import ORG, EntityIndex
from service.linked_data.labels import label_of, shown_label
from service.linked_data.things import entity_index, known_kinds
from service.pages.collation import sorted_for
from service.pages.kind_names import kind_heading
from service.pages.message_catalogue import N_
from service.pages.page_links import page_url

blueprint = Blueprint("site", __name__)

# home page sections, by kind (headed with the kind's name, kind_names.kind_heading)
SECTIONS = (
    "conference", "declaration", "body", "subcommittee", "coordination", "program",
    "organization", "publication", "country", "source",
)  # fmt: skip
MAX_RESULTS = 200


@dataclass
class Item:
    label: str
    href: str
    iri: str
    note: str = ""
    lang: str | None = None  # the label's language where it is not the page's (a fallback)
    # a label of two names in different languages ("Environment: 시마네현"), shown as these
    # parts, each (text, its language where it is not the page's)
    parts: tuple[tuple[str, str | None], ...] = ()


def _name(view: RequestView, index: EntityIndex, iri: str) -> tuple[str, str | None]:
    """The label of ``iri`` in the reader's language, and its language if it is another."""
    return shown_label(index, iri, view.language)


def _item(view: RequestView, index: EntityIndex, iri: str, note: str = "") -> Item:
    label, label_lang = _name(view, index, iri)
    return Item(label, page_url(view.local_url(iri)), iri, note, label_lang)


def name_language(iri: str, name: str) -> str | None:
    """The language of one of the names of ``iri`` (None: not a tagged label of it), so that
    a search result's matched name is marked in its own language."""
    for lang, text in entity_index().labels.get(iri, {}).items():
        if text == name:
            return lang or None
    return None


def _in_order(view: RequestView, items: list[Item]) -> list[Item]:
    return sorted_for(items, view.language, key=lambda item: item.label)


def _by_label(view: RequestView, index: EntityIndex, groups: dict[str, list[Item]]):
    """Groups keyed by a thing's IRI, in the order of its label in the reader's language."""
    return sorted_for(
        groups.items(), view.language, key=lambda kv: label_of(index, kv[0], view.language)
    )


def overview(view: RequestView) -> dict:
    """What the home page shows about NEAR: counts and the first things of each section."""
    index = entity_index()
    roles = _roles(view, index)
    observer_iri = index.base + "def#ObserverRole"
    observers = sum(1 for role in roles.values() if role == observer_iri)
    sections = []
    for kind in SECTIONS:
        things = index.things_of_kind(kind)
        items = [_item(view, index, iri) for iri in things]
        if kind in NAMED_BY_REGION:
            items = _named_by_region(view, index, kind, items, with_parent=True)
        items = _in_order(view, items)
        sections.append(
            {"heading": kind_heading(kind), "kind": kind, "count": len(things), "items": items[:12]}
        )
    return {
        "members": len(roles) - observers,
        "observers": observers,
        "countries": len(index.things_of_kind("country")),
        "entities": len(index.things),
        "sections": sections,
    }


# records named by the region they are about: kind -> the predicate naming its government
NAMED_BY_REGION = {"coordination": "coordinator", "participation": "participant"}


def _named_by_region(
    view: RequestView, index: EntityIndex, kind: str, items: list[Item], *, with_parent: bool
):
    """Coordination and participation records named by the region they are about (the
    coordinator's, the participant's), with their parent (subcommittee, conference) where no
    heading names it, instead of "Coordinator of ..." or "X at the 3rd NEAR Conference"."""
    rows = context.store().query(
        f"SELECT ?record ?gov WHERE {{ ?record <{index.base}def#{NAMED_BY_REGION[kind]}> ?gov }}",
        snapshot=view.snapshot,
    )
    government_of = {row["record"].value: row["gov"].value for row in rows}
    for item in items:
        government = government_of.get(item.iri)
        if not government:
            continue
        name = _name(view, index, index.parents.get(government, government))
        item.label, item.lang = name
        if with_parent and index.parents.get(item.iri):
            parent = _name(view, index, index.parents[item.iri])
            item.label = f"{parent[0]}: {name[0]}"
            if parent[1] != name[1]:
                item.lang, item.parts = None, (parent, name)
    return items


def _roles(view: RequestView, index: EntityIndex) -> dict[str, str]:
    """membership IRI -> role IRI."""
    query = f"SELECT ?m ?r WHERE {{ ?m <{ORG}role> ?r }}"
    rows = context.store().query(query, snapshot=view.snapshot)
    return {
        row["m"].value: row["r"].value
        for row in rows
        if row["m"].value.startswith(index.thing_prefix + "membership/")
    }


def _html(view: RequestView, template: str, variant_name: str, **values):
    text = render_template(template, snapshot=view.snapshot, **values)
    variant = Variant(variant_name, language=view.language, vary=["Accept-Language"])
    return represent(view, text, "text/html; charset=utf-8", variant)


@blueprint.get("/members")
def members():
    view = current()
    index = entity_index()
    roles = _roles(view, index)
    observer = index.base + "def#ObserverRole"
    by_country: dict[str, list[Item]] = {}
    for membership, role in roles.items():
        trail = index.breadcrumbs(membership)
        country = trail[0] if trail else ""
        government = trail[-1] if trail else membership
        note = N_("Observer") if role == observer else ""
        by_country.setdefault(country, []).append(_item(view, index, government, note))
    groups = [
        (_item(view, index, country) if country else None, _in_order(view, items))
        for country, items in _by_label(view, index, by_country)
    ]
    return _html(view, "ld/members.html", "members", groups=groups, total=len(roles))


@blueprint.get("/browse/<kind>")
def browse(kind: str):
    if kind not in known_kinds():
        raise ApiError(404, "there is no such kind of thing here", kinds=sorted(known_kinds()))
    view = current()
    index = entity_index()
    groups: dict[str, list[Item]] = {}
    for iri in index.things_of_kind(kind):
        parent = index.parents.get(iri, "")
        groups.setdefault(parent, []).append(_item(view, index, iri))
    if kind in NAMED_BY_REGION:  # under each subcommittee or conference, the regions
        groups = {
            parent: _named_by_region(view, index, kind, items, with_parent=False)
            for parent, items in groups.items()
        }
    ordered = [
        (_item(view, index, parent) if parent else None, _in_order(view, items))
        for parent, items in _by_label(view, index, groups)
    ]
    return _html(view, "ld/browse.html", f"browse-{kind}", kind=kind, groups=ordered)


@blueprint.get("/conferences")
def conferences():
    return browse("conference")
