"""Time SHACL validation of a synthetic NEAR-shaped dataset: pyshacl vs the SPARQL fast path.

    python benchmarks/validation.py                 # 100k triples
    python benchmarks/validation.py --sizes 10000 100000 1000000 --no-pyshacl-above 200000

Prints one table row per dataset size with the versions used. The data is
``benchmarks.synthetic.generate`` (valid against the shapes); both engines also validate
ontology/near.ttl with it.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import generate  # noqa: E402
from loaders.validation import validate_store, validate_with_pyshacl  # noqa: E402

DATA = "https://w3id.org/near/graph/data/synthetic"
ONTOLOGY = "https://w3id.org/near/graph/ontology/near"
SHAPES = "https://w3id.org/near/graph/shapes/near"


def run(size: int, seed: int, with_pyshacl: bool) -> dict:
    nt = "".join(generate(size, seed)).encode()
    store = ox.Store()
    store.load(input=nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DATA))
    store.load(
        path=str(ROOT / "ontology/near.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(ONTOLOGY),
    )
    store.load(
        path=str(ROOT / "shapes/near.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(SHAPES),
    )
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(DATA)))
    start = time.perf_counter()
    fast = validate_store(store, SHAPES, [DATA], [ONTOLOGY], {DATA: "synthetic.nt"})
    fast_seconds = time.perf_counter() - start
    row = {
        "triples": triples,
        "fast": fast_seconds,
        "fast_results": len(fast.results),
        "queries": fast.query_count,
        "pyshacl": None,
        "pyshacl_results": None,
    }
    if with_pyshacl:
        data = Graph().parse(data=nt.decode(), format="nt")
        data.parse(ROOT / "ontology/near.ttl")
        shapes = Graph().parse(ROOT / "shapes/near.ttl")
        start = time.perf_counter()
        ref = validate_with_pyshacl(data, shapes)
        row["pyshacl"] = time.perf_counter() - start
        row["pyshacl_results"] = len(ref.results)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-pyshacl-above", type=int, default=200_000)
    args = parser.parse_args()
    print(f"command: python {' '.join(sys.argv)}")
    print(
        f"python {platform.python_version()}, pyoxigraph {ox.__version__}, "
        f"pyshacl {pyshacl.__version__}, rdflib {rdflib.__version__}, {platform.machine()}"
    )
    print(
        f"{'triples':>10} | {'pyshacl s':>10} | {'fast path s':>11} | {'queries':>7} | "
        "results (pyshacl/fast)"
    )
    for size in args.sizes:
        row = run(size, args.seed, size <= args.no_pyshacl_above)
        ps = f"{row['pyshacl']:.2f}" if row["pyshacl"] is not None else "-"
        print(
            f"{row['triples']:>10} | {ps:>10} | {row['fast']:>11.3f} | {row['queries']:>7} | "
            f"{row['pyshacl_results']}/{row['fast_results']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
