"""One load, measured in a process of its own (so its peak memory is the load's).

    python -m benchmarks.measure_load DATA_DIR [--store PATH] [--queries FILE.json]

Prints one JSON object: ``load_seconds`` (parse into the store, one named graph per file, as
``nearkg load`` does, without SHACL), ``triples``, ``peak_rss_mb``, ``validation_seconds``
(when ``loaders.validation`` exists), and with ``--queries`` the median milliseconds of each
query run in this process (results read to the end), ``repeat`` times.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from loaders.settings import Settings
from loaders.store import KnowledgeStore, default_validator


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def drain(results) -> int:
    return sum(1 for _ in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    settings = Settings.from_env({}, data_dir=args.data_dir, store_path=args.store)
    started = time.perf_counter()
    store = KnowledgeStore(settings, validator=False)
    snapshot = store.reload()
    report = {
        "load_seconds": time.perf_counter() - started,
        "triples": snapshot.triples,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    validator = default_validator()
    if validator is not None and snapshot.graphs_of("shapes"):
        started = time.perf_counter()
        validator(snapshot)
        report["validation_seconds"] = time.perf_counter() - started
    if args.queries:
        queries = json.loads(args.queries.read_text())
        report["query_ms"] = {
            name: median_ms(lambda q=text: drain(store.query(q, snapshot=snapshot)), args.repeat)
            for name, text in queries.items()
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
