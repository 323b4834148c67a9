"""Matching printed country and region names to our entities through their labels.

Every skos:prefLabel and skos:altLabel of the countries and regions in the loaded data, in all
six languages, goes into the name matcher (``loaders.names``): a printed name is compared with
them ignoring case, punctuation, diacritics and the generic words of the heading table
("Province", "-Do", "муж", "хязгаар", "ӨЗО", "県", "道" ...), across scripts and romanizations,
and with fuzzy scores for near spellings. A printed name is taken when exactly one entity has a
label with the same key, or one match stands out (``NameMatcher.preferred_hit``); otherwise
it is reported with its best candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .layout import discover
from .loading import parse_into
from .names import EXACT, FUZZY, NameKeys, NameMatcher, Thing
from .settings import DEFAULT_BASE

NEAR = "https://w3id.org/near/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

ENTITY_QUERY = f"""
PREFIX near: <{NEAR}>
PREFIX skos: <{SKOS}>
SELECT ?thing ?kind ?code ?country ?government ?property ?label WHERE {{
  {{ ?thing a near:Region ; near:iso3166_2 ?code .
     OPTIONAL {{ ?thing near:country ?country }}
     OPTIONAL {{ ?thing near:hasGovernment ?government }}
     BIND("region" AS ?kind) }}
  UNION
  {{ ?thing a near:Country ; near:iso3166Alpha2 ?code . BIND("country" AS ?kind) }}
  ?thing ?property ?label .
  VALUES ?property {{ skos:prefLabel skos:altLabel skos:hiddenLabel }}
}}"""


@dataclass
class Entity:
    iri: str
    kind: str  # "region" or "country"
    code: str  # ISO 3166-2 or 3166-1 alpha-2
    country: str | None = None
    government: str | None = None
    preferred: dict[str, str] = field(default_factory=dict)  # language -> prefLabel
    labels: set[tuple[str, str]] = field(default_factory=set)  # (text, language)

    def label(self, language: str) -> str | None:
        return self.preferred.get(language)


@dataclass
class Candidate:
    entity: Entity
    name: str  # the label that matched
    score: float

    def __str__(self) -> str:
        return f"{self.name!r} ({self.entity.code}), score {self.score:.2f}"


@dataclass
class Match:
    """What a printed name matched: the candidates, best first, and the one taken, if any."""

    printed: str
    line: int | None
    kind: str
    candidates: list[Candidate]
    taken: Entity | None = None
    how: str = ""  # "exact", "bridged" (another script or romanization) or "fuzzy"
    ambiguous: bool = False  # more than one entity has a label with the same key

    @property
    def entity(self) -> Entity | None:
        return self.taken

    @property
    def problem(self) -> str | None:
        if self.taken is not None:
            return None
        name = f"{self.kind} name {self.printed!r}"
        if self.ambiguous:
            codes = ", ".join(sorted(c.entity.code for c in self.candidates))
            return f"{name} matches more than one {self.kind}: {codes}"
        if not self.candidates:
            return f"{name} matches no {self.kind} in the data"
        offers = "; or ".join(str(c) for c in self.candidates[:3])
        return f"{name} matches no {self.kind} exactly: did you mean {offers}?"

    @property
    def note(self) -> str | None:
        """How a name not written as in the data was taken (the summary reports it)."""
        if self.taken is None or self.how == "exact":
            return None
        why = "another script or romanization" if self.how == "bridged" else "a near spelling"
        return f"{self.kind} name {self.printed!r} taken as {self.candidates[0]} ({why})"


class NameIndex:
    """Countries and regions, found by any of their names."""

    def __init__(self, entities: list[Entity], keys: NameKeys) -> None:
        things = [
            Thing(e.iri, e.kind, sorted(e.labels), dict(e.preferred), extra={"entity": e})
            for e in entities
        ]
        self.matcher = NameMatcher(things, keys)

    def match(self, printed: str, kind: str, *, line=None, country: str | None = None) -> Match:
        def in_scope(thing: Thing) -> bool:
            entity = thing.extra["entity"]
            return entity.kind == kind and (country is None or entity.country == country)

        hits = self.matcher.find(printed, 5, accept=in_scope)
        widened = not hits and country is not None
        if widened:  # listed under another country, perhaps: offered, never taken
            hits = self.matcher.find(printed, 5, accept=lambda t: t.kind == kind)
        candidates = [Candidate(h.thing.extra["entity"], h.name, round(h.score, 2)) for h in hits]
        exact = [h for h in hits if h.tier == EXACT]
        taken = None if widened else self.matcher.preferred_hit(hits)
        how = {EXACT: "exact", FUZZY: "fuzzy"}.get(taken.tier, "bridged") if taken else ""
        return Match(
            printed,
            line,
            kind,
            candidates,
            taken.thing.extra["entity"] if taken else None,
            how,
            ambiguous=len(exact) > 1,
        )

    @classmethod
    def from_store(cls, store: ox.Store, keys: NameKeys) -> NameIndex:
        entities: dict[str, Entity] = {}
        for row in store.query(ENTITY_QUERY, use_default_graph_as_union=True):
            iri = row["thing"].value
            entity = entities.get(iri)
            if entity is None:
                entity = entities[iri] = Entity(
                    iri,
                    row["kind"].value,
                    row["code"].value,
                    row["country"].value if row["country"] else None,
                    row["government"].value if row["government"] else None,
                )
            label = row["label"]
            language = label.language or ""
            entity.labels.add((label.value, language))
            if row["property"].value == SKOS + "prefLabel":
                entity.preferred[language] = label.value
        return cls(list(entities.values()), keys)

    @classmethod
    def from_data_dir(cls, data_dir: Path, keys: NameKeys) -> NameIndex:
        """Read the labels of the data graphs (``data/turtle/``) below ``data_dir``."""
        store = ox.Store()
        files = [f for f in discover(Path(data_dir)) if f.folder == "data"]
        parse_into(store, Path(data_dir), DEFAULT_BASE, files=files)
        return cls.from_store(store, keys)
