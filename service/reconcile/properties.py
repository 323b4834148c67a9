"""What /reconcile knows about a thing beyond its names: the types it offers, and the
properties used as query constraints and for data extension (ISO code, names in the six
languages, country, membership role, Wikidata and GeoNames links), read from the store once
per data version."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from loaders.settings import LANGUAGES
from loaders.store import KnowledgeStore, Snapshot
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


@dataclass
class Facts:
    """iri -> property id -> values (IRIs of things, or strings)."""

    values: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def of(self, iri: str, prop: str) -> list[str]:
        return self.values.get(iri, {}).get(prop, [])


def _read_facts(store: KnowledgeStore, snapshot: Snapshot, index: EntityIndex) -> Facts:
    near = index.base + "def#"
    found = Facts()

    def rows(sparql: str):
        return store.query(sparql, snapshot=snapshot, in_process=True)  # as the entity index

    for row in rows(
        f"SELECT ?s ?code WHERE {{ {{ ?s <{near}iso3166_2> ?code }} "
        f"UNION {{ ?s <{near}iso3166Alpha2> ?code }} }}"
    ):
        found.values[row["s"].value]["iso"].append(row["code"].value)
    for row in rows(f"SELECT ?s ?c WHERE {{ ?s <{near}country> ?c FILTER(isIRI(?c)) }}"):
        found.values[row["s"].value]["country"].append(row["c"].value)
    for row in rows(
        f"SELECT ?g ?r ?role WHERE {{ ?m <{ORG}member> ?g ; <{ORG}role> ?role . "
        f"OPTIONAL {{ ?g <{near}governs> ?r }} }}"
    ):
        role = row["role"].value
        for thing in (row["g"], row["r"]):
            if thing is not None:
                found.values[thing.value]["role"].append(role)
    starts = " || ".join(f'STRSTARTS(STR(?o), "{p}")' for ps in LINKS.values() for p in ps)
    for row in rows(f"SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && ({starts})) }}"):
        target = row["o"].value
        for prop, prefixes in LINKS.items():
            if target.startswith(prefixes):
                found.values[row["s"].value][prop].append(target)
    for iri, labels in index.labels.items():
        if iri in index.thing_set:
            for language in LANGUAGES:
                if language in labels:
                    found.values[iri][f"name_{language}"].append(labels[language])
    return found


facts = PerVersion(_read_facts)  # facts(): the facts of the current data version
