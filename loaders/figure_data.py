"""The data behind each figure: one saved query per figure, run against the live store.

A figure's *table* is exactly what its saved query (``sparql/figure-{name}.rq``) returns for a
language: the same rows feed the SVG, the CSV and the JSON, so the picture and the download
always agree. The language is bound with pyoxigraph substitutions, never pasted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import saved_queries
from .store import KnowledgeStore, Snapshot

FIGURES = (
    "conference-timeline",
    "participation-matrix",
    "members-by-country",
    "coordination-network",
)
QUERY_PREFIX = "figure-"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class UnknownFigure(KeyError):
    """There is no figure of that name."""


def query_name(figure: str) -> str:
    """The saved query that draws ``figure`` (``members-by-country`` ->
    ``figure-members-by-country``)."""
    if figure not in FIGURES:
        raise UnknownFigure(figure)
    return QUERY_PREFIX + figure


@dataclass(frozen=True)
class FigureTable:
    """The rows of a figure's saved query: cells as IRIs or lexical forms, "" when unbound."""

    figure: str
    query: str
    lang: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def figure_table(
    store: KnowledgeStore,
    sparql_folder: Path | str,
    figure: str,
    lang: str,
    *,
    snapshot: Snapshot | None = None,
) -> FigureTable:
    """Run the figure's saved query with ``lang`` bound; ``UnknownFigure`` for a bad name."""
    name = query_name(figure)
    query = saved_queries.find(sparql_folder, name)
    results = store.query(
        query.text, substitutions=query.substitutions({"lang": lang}), snapshot=snapshot
    )
    columns = tuple(v.value for v in results.variables)
    rows = tuple({column: _cell(solution[column]) for column in columns} for solution in results)
    return FigureTable(figure, name, lang, columns, rows)


def _cell(term) -> str:
    return "" if term is None else term.value


def term_labels(
    store: KnowledgeStore, namespace: str, lang: str, *, snapshot: Snapshot | None = None
) -> dict[str, str]:
    """``{local name: rdfs:label}`` of the ontology terms in ``namespace`` in exactly ``lang``;
    terms without one are left out (the caller has its own words for them in every language)."""
    rows = store.query(
        f"SELECT ?namespace ?term ?label WHERE {{ ?term <{RDFS_LABEL}> ?label "
        "FILTER(isIRI(?term) && STRSTARTS(STR(?term), ?namespace)) }",
        substitutions={"namespace": ox.Literal(namespace)},
        snapshot=snapshot,
    )
    labels: dict[str, str] = {}
    for row in rows:
        label = row["label"]
        local = row["term"].value[len(namespace) :]
        if isinstance(label, ox.Literal) and local and label.language == lang:
            labels[local] = label.value
    return labels
