"""``Snapshot``: one loaded, checked version of the dataset, whatever store holds it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .layout import UNION_FOLDERS
from .loading import GraphInfo

# the folder of the graph holding the dataset's VoID description (``dataset_description``):
# made by the loader, not read from a file; part of the default graph, not of the data
DESCRIPTION_FOLDER = "description"


@dataclass
class Snapshot:
    store: ox.Store | None  # the embedded pyoxigraph store; None on a remote SPARQL store
    graphs: tuple[GraphInfo, ...]
    version: str
    loaded_at: datetime
    base: str
    generation: Path | None = None
    validation: object | None = None
    allow_invalid: bool = False
    load_seconds: float = 0.0
    backend: str = "embedded"
    # when the data last changed, as far as the service can see: the newest modification time
    # of the files it was loaded from, then the time of each SPARQL update (None: unknown).
    # HTTP's Last-Modified never goes below it, even if the data's own dcterms:modified was
    # not moved on with an edit (a client would otherwise be told its old copy is current)
    changed_at: datetime | None = None
    # a shared lock on the generation (``backends.generations.Lease``): kept while in use
    lease: object | None = field(default=None, repr=False, compare=False)
    _union: list[ox.NamedNode] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._union = [ox.NamedNode(g.iri) for g in self.graphs if g.folder in UNION_FOLDERS]

    @property
    def union_graphs(self) -> list[ox.NamedNode]:
        """The data and ontology graphs: what is described, counted and dumped."""
        return list(self._union)

    @property
    def default_graphs(self) -> list[ox.NamedNode]:
        """The default graph of a query: the data and ontology graphs, and the dataset's
        description (so ``/sparql`` can query the VoID)."""
        described = [ox.NamedNode(g.iri) for g in self.graphs if g.folder == DESCRIPTION_FOLDER]
        return [*self._union, *described]

    @property
    def triples(self) -> int:
        """Triples in the data and ontology graphs (what queries see by default)."""
        return sum(g.triples for g in self.graphs if g.folder in UNION_FOLDERS)

    @property
    def default_graph_triples(self) -> int:
        """Triples in the default graph: the data, the ontology and the description."""
        return self.triples + sum(g.triples for g in self.graphs_of(DESCRIPTION_FOLDER))

    def record_update(self, text: str) -> None:
        """A SPARQL update changed this data in place: the version moves on (a digest of the
        previous version and the update), so ETags, cached responses and the entity index made
        from the data before the update stop matching."""
        self.version = hashlib.sha256(f"{self.version}\n{text}".encode()).hexdigest()
        self.changed_at = datetime.now(UTC)

    def graphs_of(self, folder: str) -> list[GraphInfo]:
        return [g for g in self.graphs if g.folder == folder]

    def file_of_graph(self) -> dict[str, str]:
        return {g.iri: g.file for g in self.graphs}

    def metadata(self) -> dict:
        return {
            "version": self.version,
            "loaded_at": self.loaded_at.isoformat(),
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "base": self.base,
            "allow_invalid": self.allow_invalid,
            "graphs": [g.__dict__ for g in self.graphs],
            "validation": self.validation.to_metadata() if self.validation is not None else None,
        }

    @classmethod
    def from_metadata(cls, meta: dict, **extra) -> Snapshot:
        if meta.get("validation") and "validation" not in extra:
            from .validation import ValidationReport

            extra["validation"] = ValidationReport.from_metadata(meta["validation"])
        return cls(
            graphs=tuple(GraphInfo(**g) for g in meta["graphs"]),
            version=meta["version"],
            loaded_at=datetime.fromisoformat(meta["loaded_at"]),
            changed_at=_date_or_none(meta.get("changed_at")),
            base=meta["base"],
            allow_invalid=meta.get("allow_invalid", False),
            **extra,
        )


def _date_or_none(text: str | None) -> datetime | None:
    # a generation written before ``changed_at`` was kept has none
    return datetime.fromisoformat(text) if text else None
