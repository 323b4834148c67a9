"""The browsable site: NEAR at a glance (for the home page), members by country and lists of
each kind of thing (search is ``search.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template

from service.http import context
from service.http.errors import ApiError
from service.http.representation import Variant, represent
from service.http.request_view import current
from service.linked_data.entity_index import ORG, EntityIndex
from service.linked_data.labels import label_of
from service.linked_data.things import entity_index, known_kinds

blueprint = Blueprint("site", __name__)

# home page sections: (heading, kind)
SECTIONS = (
    ("Conferences", "conference"),
    ("Declarations", "declaration"),
    ("Bodies", "body"),
    ("Subcommittees", "subcommittee"),
    ("Coordinators", "coordination"),
    ("Programs", "program"),
    ("Partners and NEAR", "organization"),
    ("Publications", "publication"),
    ("Countries", "country"),
    ("Sources", "source"),
)


@dataclass
class Item:
    label: str
    href: str
    iri: str
    note: str = ""


def _item(index: EntityIndex, iri: str, note: str = "") -> Item:
    return Item(label_of(index, iri, current().language), context.local_url(iri), iri, note)


def overview() -> dict:
    """What the home page shows about NEAR: counts and the first things of each section."""
    index = entity_index()
    roles = _roles(index)
    observer_iri = index.base + "def#ObserverRole"
    observers = sum(1 for role in roles.values() if role == observer_iri)
    sections = []
    for heading, kind in SECTIONS:
        things = index.things_of_kind(kind)
        items = sorted((_item(index, iri) for iri in things), key=lambda i: i.label)
        sections.append(
            {"heading": heading, "kind": kind, "count": len(things), "items": items[:12]}
        )
    return {
        "members": len(roles) - observers,
        "observers": observers,
        "countries": len(index.things_of_kind("country")),
        "entities": len(index.things),
        "sections": sections,
    }


def _roles(index: EntityIndex) -> dict[str, str]:
    """membership IRI -> role IRI."""
    store, snapshot = context.store(), context.snapshot()
    rows = store.query(f"SELECT ?m ?r WHERE {{ ?m <{ORG}role> ?r }}", snapshot=snapshot)
    return {
        row["m"].value: row["r"].value
        for row in rows
        if row["m"].value.startswith(index.thing_prefix + "membership/")
    }


def _html(template: str, variant_name: str, **values):
    view = current()
    text = render_template(template, snapshot=context.snapshot(), **values)
    variant = Variant(variant_name, language=current().language, vary=["Accept-Language"])
    return represent(view, text, "text/html; charset=utf-8", variant)


@blueprint.get("/members")
def members():
    index = entity_index()
    roles = _roles(index)
    observer = index.base + "def#ObserverRole"
    by_country: dict[str, list[Item]] = {}
    for membership, role in roles.items():
        trail = index.breadcrumbs(membership)
        country = trail[0] if trail else ""
        government = trail[-1] if trail else membership
        note = "Observer" if role == observer else ""
        by_country.setdefault(country, []).append(_item(index, government, note))
    groups = [
        (_item(index, country) if country else None, sorted(items, key=lambda i: i.label))
        for country, items in sorted(
            by_country.items(), key=lambda kv: label_of(index, kv[0], current().language)
        )
    ]
    return _html("ld/members.html", "members", groups=groups, total=len(roles))


@blueprint.get("/browse/<kind>")
def browse(kind: str):
    if kind not in known_kinds():
        raise ApiError(404, "there is no such kind of thing here", kinds=sorted(known_kinds()))
    index = entity_index()
    groups: dict[str, list[Item]] = {}
    for iri in index.things_of_kind(kind):
        parent = index.parents.get(iri, "")
        groups.setdefault(parent, []).append(_item(index, iri))
    ordered = [
        (_item(index, parent) if parent else None, sorted(items, key=lambda i: i.label))
        for parent, items in sorted(
            groups.items(), key=lambda kv: label_of(index, kv[0], current().language)
        )
    ]
    return _html("ld/browse.html", f"browse-{kind}", kind=kind, groups=ordered)


@blueprint.get("/conferences")
def conferences():
    return browse("conference")
