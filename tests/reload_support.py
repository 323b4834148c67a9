"""Helpers for the reload tests: datasets whose graphs change together, the nearkg command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO, TINY_ONTOLOGY, write_dataset

PAIRED_GRAPHS = ("https://w3id.org/near/graph/data/left", "https://w3id.org/near/graph/data/right")
COUNT_BOTH = (
    "SELECT ?left ?right WHERE {"
    f" {{ SELECT (COUNT(*) AS ?left) WHERE {{ GRAPH <{PAIRED_GRAPHS[0]}> {{ ?s ?p ?o }} }} }}"
    f" {{ SELECT (COUNT(*) AS ?right) WHERE {{ GRAPH <{PAIRED_GRAPHS[1]}> {{ ?s ?p ?o }} }} }}"
    " }"
)


def paired_files(size: int) -> dict[str, str]:
    """Two data graphs with ``size`` triples each: a reload changes both together."""

    def graph(side: str) -> str:
        return "".join(
            f'<https://w3id.org/near/id/{side}/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "{side} {i}" .\n'  # noqa: E501
            for i in range(size)
        )

    return {"data/turtle/left.ttl": graph("left"), "data/turtle/right.ttl": graph("right")}


def write_paired_dataset(root: Path, size: int) -> Path:
    return write_dataset(root, {"ontology/near.ttl": TINY_ONTOLOGY, **paired_files(size)})


def write_big_file(path: Path, triples: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(triples):
            handle.write(
                f'<https://w3id.org/near/id/big/{i}> <http://www.w3.org/2000/01/rdf-schema#label> "big {i}" .\n'  # noqa: E501
            )


def start_nearkg(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
