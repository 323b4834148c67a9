"""What /reconcile knows about a thing beyond its names: the types it offers, and the
properties used as query constraints and for data extension (ISO code, names in the six
languages, country, membership role, Wikidata and GeoNames links), read from the store once
per data version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from loaders.store import KnowledgeStore, Snapshot
from loaders.string_table import StringMap
from service.linked_data.entity_index import ORG, EntityIndex
from service.linked_data.name_finder import PerVersion
from service.pages.message_catalogue import N_

# type id (the kind of thing, as in /id/{kind}/...) -> name
TYPES = {
    "region": "Region",
    "government": "Regional government",
    "country": "Country",
    "conference": "Conference",
    "declaration": "Declaration",
    "subcommittee": "Subcommittee",
    "body": "Body of NEAR",
    "program": "Program",
    "organization": "Organization",
    "series": "Conference series",
}
DEFAULT_TYPES = ("region", "government", "country")

LANGUAGE_NAMES = {  # the six languages, in LANGUAGES order
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
    "ru": "Russian",
    "mn": "Mongolian",
}
# property id -> (name, the types that have it)
PLACES = ("region", "government", "country")
PROPERTIES = {  # the names are English in the API; N_ puts them in the catalogue for /docs
    "iso": (N_("ISO 3166 code"), ("region", "country", "government")),
    "country": (N_("Country"), ("region", "government")),
    "role": (N_("Membership role in NEAR"), ("region", "government")),
    "wikidata": (N_("Wikidata item"), PLACES),
    "geonames": (N_("GeoNames feature"), PLACES),
    **{f"name_{x}": (f"Name in {n}", tuple(TYPES)) for x, n in LANGUAGE_NAMES.items()},
}
LINKS = {
    "wikidata": ("http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/"),
    "geonames": ("https://sws.geonames.org/", "http://sws.geonames.org/"),
}


# the properties read from the store, in the order of their tags in ``Facts.values``
STORED = ("iso", "country", "role", "wikidata", "geonames")


def _by_property(pairs: list[tuple[int, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag, value in pairs:
        found.setdefault(STORED[tag], []).append(value)
    return found


@dataclass
class Facts:
    """iri -> property id -> values (IRIs of things, or strings). The names in the six
    languages are read from the entity index when asked for, not copied."""

    values: Mapping[str, dict[str, list[str]]]
    index: EntityIndex

    def of(self, iri: str, prop: str) -> list[str]:
        if prop.startswith("name_"):
            if iri not in self.index.thing_set:
                return []
            label = self.index.labels.get(iri, {}).get(prop.removeprefix("name_"))
            return [label] if label is not None else []
        return self.values.get(iri, {}).get(prop, [])


def _read_facts(store: KnowledgeStore, snapshot: Snapshot, index: EntityIndex) -> Facts:
    near = index.base + "def#"
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)  # iri -> [(property, value)]
    iso, country, role = (STORED.index(p) for p in ("iso", "country", "role"))

    def rows(sparql: str):
        return store.query(sparql, snapshot=snapshot, in_process=True)  # as the entity index

    for row in rows(
        f"SELECT ?s ?code WHERE {{ {{ ?s <{near}iso3166_2> ?code }} "
        f"UNION {{ ?s <{near}iso3166Alpha2> ?code }} }}"
    ):
        found[row["s"].value].append((iso, row["code"].value))
    for row in rows(f"SELECT ?s ?c WHERE {{ ?s <{near}country> ?c FILTER(isIRI(?c)) }}"):
        found[row["s"].value].append((country, row["c"].value))
    for row in rows(
        f"SELECT ?g ?r ?role WHERE {{ ?m <{ORG}member> ?g ; <{ORG}role> ?role . "
        f"OPTIONAL {{ ?g <{near}governs> ?r }} }}"
    ):
        value = row["role"].value
        for thing in (row["g"], row["r"]):
            if thing is not None:
                found[thing.value].append((role, value))
    starts = " || ".join(f'STRSTARTS(STR(?o), "{p}")' for ps in LINKS.values() for p in ps)
    for row in rows(f"SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && ({starts})) }}"):
        target = row["o"].value
        for prop, prefixes in LINKS.items():
            if target.startswith(prefixes):
                found[row["s"].value].append((STORED.index(prop), target))
    return Facts(StringMap(found, _by_property), index)


facts = PerVersion(_read_facts)  # facts(): the facts of the current data version
