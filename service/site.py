"""The browsable site: NEAR at a glance (for the home page), members by country, lists of
each kind of thing, and search over names in the six languages."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import Blueprint, g, json, render_template, request

from . import context
from .collation import sorted_for
from .entity_index import ORG, EntityIndex
from .errors import ApiError
from .kind_names import kind_heading
from .labels import label_of, language_of_label
from .message_catalogue import N_
from .negotiation import negotiate
from .page_links import page_url
from .representation import Variant, represent
from .resources import absolute, entity_index, known_kinds

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


def _item(index: EntityIndex, iri: str, note: str = "") -> Item:
    label_lang = language_of_label(index, iri, g.lang)
    return Item(
        label_of(index, iri, g.lang),
        page_url(context.local_url(iri)),
        iri,
        note,
        label_lang if label_lang and label_lang != g.lang else None,
    )


def name_language(iri: str, name: str) -> str | None:
    """The language of one of the names of ``iri`` (None: not a tagged label of it), so that
    a search result's matched name is marked in its own language."""
    for lang, text in entity_index().labels.get(iri, {}).items():
        if text == name:
            return lang or None
    return None


def _in_order(items: list[Item]) -> list[Item]:
    return sorted_for(items, g.lang, key=lambda item: item.label)


def overview() -> dict:
    """What the home page shows about NEAR: counts and the first things of each section."""
    index = entity_index()
    roles = _roles(index)
    observer_iri = index.base + "def#ObserverRole"
    observers = sum(1 for role in roles.values() if role == observer_iri)
    sections = []
    for kind in SECTIONS:
        things = index.things_of_kind(kind)
        items = [_item(index, iri) for iri in things]
        if kind in NAMED_BY_REGION:
            items = _named_by_region(index, kind, items, with_parent=True)
        items = _in_order(items)
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


def _named_by_region(index: EntityIndex, kind: str, items: list[Item], *, with_parent: bool):
    """Coordination and participation records named by the region they are about (the
    coordinator's, the participant's), with their parent (subcommittee, conference) where no
    heading names it, instead of "Coordinator of ..." or "X at the 3rd NEAR Conference"."""
    rows = context.store().query(
        f"SELECT ?record ?gov WHERE {{ ?record <{index.base}def#{NAMED_BY_REGION[kind]}> ?gov }}",
        snapshot=context.snapshot(),
    )
    government_of = {row["record"].value: row["gov"].value for row in rows}
    for item in items:
        government = government_of.get(item.iri)
        if not government:
            continue
        region = index.parents.get(government, government)
        label = label_of(index, region, g.lang)
        if with_parent and index.parents.get(item.iri):
            label = f"{label_of(index, index.parents[item.iri], g.lang)}: {label}"
        item.label, item.lang = label, None
    return items


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
    text = render_template(template, snapshot=context.snapshot(), **values)
    variant = Variant(variant_name, language=g.lang, vary=["Accept-Language"])
    return represent(text, "text/html; charset=utf-8", variant)


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
        note = N_("Observer") if role == observer else ""
        by_country.setdefault(country, []).append(_item(index, government, note))
    groups = [
        (_item(index, country) if country else None, _in_order(items))
        for country, items in sorted_for(
            by_country.items(), g.lang, key=lambda kv: label_of(index, kv[0], g.lang)
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
    if kind in NAMED_BY_REGION:  # under each subcommittee or conference, the regions
        groups = {
            parent: _named_by_region(index, kind, items, with_parent=False)
            for parent, items in groups.items()
        }
    ordered = [
        (_item(index, parent) if parent else None, _in_order(items))
        for parent, items in sorted_for(
            groups.items(), g.lang, key=lambda kv: label_of(index, kv[0], g.lang)
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
    query = request.args.get("q", "")
    if len(query) > 200:
        raise ApiError(400, "the search text is too long (200 characters at most)")
    results = search_things(entity_index(), query, g.lang)
    chosen = negotiate(
        request.headers.get("Accept"), ["text/html", "application/json"], default="text/html"
    )
    if chosen is None:
        raise ApiError(406, "search results come as text/html or application/json")
    if chosen == "application/json":
        body = json.dumps({"query": query, "results": results}, ensure_ascii=False)
        variant = Variant("search-json", language=g.lang, extra=query, vary=["Accept"])
        return represent(body, "application/json", variant, cors=True)
    text = render_template(
        "ld/search.html", snapshot=context.snapshot(), query=query, results=results
    )
    variant = Variant(
        "search-html", language=g.lang, extra=query, vary=["Accept", "Accept-Language"]
    )
    return represent(text, "text/html; charset=utf-8", variant)
