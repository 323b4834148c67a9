"""Matching printed country and region names to our entities through their labels.

Every skos:prefLabel and skos:altLabel of the countries and regions in the loaded data, in all
six languages, is indexed under a normal form that ignores case, punctuation, diacritics and the
generic words of the heading table ("Province", "-Do", "муж", "хязгаар", "ӨЗО", "県", "道" ...).
A printed name matches when exactly one entity has a label with the same normal form.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .layout import discover
from .loading import parse_into
from .page_headings import HeadingTable
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
  VALUES ?property {{ skos:prefLabel skos:altLabel }}
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
class Match:
    printed: str
    line: int | None
    kind: str
    candidates: list[Entity]

    @property
    def entity(self) -> Entity | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def problem(self) -> str | None:
        if len(self.candidates) == 1:
            return None
        if not self.candidates:
            return f"{self.kind} name {self.printed!r} matches no {self.kind} in the data"
        codes = ", ".join(sorted(c.code for c in self.candidates))
        return f"{self.kind} name {self.printed!r} matches more than one {self.kind}: {codes}"


class NameNormaliser:
    """The normal form names are compared in; the generic words come from the heading table."""

    def __init__(self, table: HeadingTable) -> None:
        self.generic_words = frozenset(_fold(word) for word in table.generic_words)
        self.generic_suffixes = tuple(_fold(suffix) for suffix in table.generic_suffixes)

    def __call__(self, name: str) -> str:
        text = _fold(name)
        text = "".join(ch if ch.isalnum() or ch == "'" else " " for ch in text)
        words = [w.strip("'") for w in text.split()]
        kept = [w for w in words if w and w not in self.generic_words]
        if len(kept) == 1:
            kept = [self._strip_suffix(kept[0])]
        return " ".join(kept) or " ".join(words)

    def _strip_suffix(self, word: str) -> str:
        for suffix in self.generic_suffixes:
            if word.endswith(suffix) and len(word) > len(suffix):
                return word[: -len(suffix)]
        return word

    def without_generic_words(self, name: str) -> str:
        """The name as written, minus its generic words ("Khabarovsk Krai" -> "Khabarovsk")."""
        words = name.replace("-", " ").split()
        kept = [w for w in words if _fold(w.strip(",.")) not in self.generic_words]
        return " ".join(kept) or name


def _fold(text: str) -> str:
    return _strip_marks(unicodedata.normalize("NFKC", text)).casefold()


def _strip_marks(text: str) -> str:
    """Remove the diacritics of Latin, Greek and Cyrillic letters (é -> e, й -> и), nothing else."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn" and out and ord(out[-1]) < 0x0530:
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


class NameIndex:
    """Countries and regions by the normal forms of their labels."""

    def __init__(self, entities: list[Entity], normalise: NameNormaliser) -> None:
        self.entities = {e.iri: e for e in entities}
        self.normalise = normalise
        self._by_key: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        for entity in entities:
            keys = {normalise(text) for text, _language in entity.labels}
            for key in keys:
                self._by_key[(entity.kind, key)].append(entity)

    def match(self, printed: str, kind: str, *, line=None, country: str | None = None) -> Match:
        candidates = list(self._by_key.get((kind, self.normalise(printed)), []))
        if country is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.country == country] or candidates
        elif country is not None:
            candidates = [c for c in candidates if c.country == country]
        return Match(printed, line, kind, candidates)

    def by_code(self, kind: str, code: str) -> Entity | None:
        return next((e for e in self.entities.values() if e.kind == kind and e.code == code), None)

    @classmethod
    def from_store(cls, store: ox.Store, normalise: NameNormaliser) -> NameIndex:
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
        return cls(list(entities.values()), normalise)

    @classmethod
    def from_data_dir(cls, data_dir: Path, normalise: NameNormaliser) -> NameIndex:
        """Read the labels of the data graphs (``data/turtle/``) below ``data_dir``."""
        store = ox.Store()
        files = [f for f in discover(Path(data_dir)) if f.folder == "data"]
        parse_into(store, Path(data_dir), DEFAULT_BASE, files=files)
        return cls.from_store(store, normalise)
