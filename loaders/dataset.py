"""Which graphs a query reads: the one place for the dataset rules, whatever runs the query.

- The request names graphs (``default-graph-uri``/``named-graph-uri``, or a caller's
  ``default_graph``): exactly those.
- Else the query names its own (``FROM``/``FROM NAMED``) and the caller lets it
  (``query_dataset``): no protocol dataset; the engine applies the query's.
- Else the default graph is the union of the data and ontology graphs and the dataset's
  description (``{base}graph/void``, see ``dataset_description``), plus the store's own
  default graph on the embedded store (where SPARQL updates write, empty after a load); every
  named graph may be reached with ``GRAPH``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .snapshot import Snapshot


@dataclass(frozen=True)
class Dataset:
    default_graphs: tuple[str, ...] | None  # None: the query's own FROM applies
    named_graphs: tuple[str, ...] | None  # None: every graph (or the query's FROM NAMED)
    with_store_default: bool = False  # the embedded store's own default graph is in it too

    @property
    def from_query(self) -> bool:
        return self.default_graphs is None


def dataset_for(
    snapshot: Snapshot,
    *,
    default_graph: Iterable[str] | None = None,
    named_graphs: Iterable[str] | None = None,
    query_dataset: bool = False,
) -> Dataset:
    if query_dataset and default_graph is None and named_graphs is None:
        return Dataset(None, None)
    if default_graph is not None or named_graphs is not None:
        return Dataset(
            tuple(default_graph or ()),
            tuple(named_graphs) if named_graphs is not None else None,
        )
    union = tuple(g.value for g in snapshot.default_graphs)
    return Dataset(union, None, with_store_default=True)


def engine_dataset(dataset: Dataset) -> dict:
    """The dataset as pyoxigraph's ``Store.query`` keyword arguments."""
    import pyoxigraph as ox

    kwargs: dict = {}
    if dataset.default_graphs is not None:
        graphs: list = [ox.NamedNode(iri) for iri in dataset.default_graphs]
        if dataset.with_store_default or not graphs:
            graphs.append(ox.DefaultGraph())
        kwargs["default_graph"] = graphs
    if dataset.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in dataset.named_graphs]
    return kwargs
