"""The browsable site: NEAR at a glance (for the home page), members by country, lists of
each kind of thing, and search over names in the six languages."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import Blueprint, json, render_template

from service.http import context
from service.http.context import absolute
from service.http.errors import ApiError
from service.http.negotiation import negotiate
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
MAX_RESULTS = 200


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


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form for matching (NFKD, marks dropped, casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).casefold()


def search_things(index: EntityIndex, query: str, lang: str) -> list[dict]:
    needle = fold(query.strip())
    if not needle:
        return []
    results = []
    for iri in index.things:
        names = [*index.labels.get(iri, {}).values(), *index.alt_labels.get(iri, [])]
        kind, key = index.kind_and_key(iri) or ("", "")
        matched = next((n for n in names if needle in fold(n)), None)
        if matched is None and needle in fold(key):
            matched = key
        if matched is not None:
            results.append(
                {
                    "iri": iri,
                    "label": label_of(index, iri, lang),
                    "kind": kind,
                    "matched": matched,
                    "url": absolute(f"/doc/{kind}/{key}"),
                }
            )
    results.sort(key=lambda r: (fold(r["label"]) != needle, r["kind"], r["label"]))
    return results[:MAX_RESULTS]


@blueprint.get("/search")
def search():
    view = current()
    query = current().args.get("q", "")
    if len(query) > 200:
        raise ApiError(400, "the search text is too long (200 characters at most)")
    results = search_things(entity_index(), query, current().language)
    chosen = negotiate(current().accept, ["text/html", "application/json"], default="text/html")
    if chosen is None:
        raise ApiError(406, "search results come as text/html or application/json")
    if chosen == "application/json":
        body = json.dumps({"query": query, "results": results}, ensure_ascii=False)
        variant = Variant("search-json", language=current().language, extra=query, vary=["Accept"])
        return represent(view, body, "application/json", variant)
    text = render_template(
        "ld/search.html", snapshot=context.snapshot(), query=query, results=results
    )
    variant = Variant(
        "search-html", language=current().language, extra=query, vary=["Accept", "Accept-Language"]
    )
    return represent(view, text, "text/html; charset=utf-8", variant)
