"""How fast ``/suggest`` answers as a reader types: at NEAR's size and on a synthetic dataset
of ``--entities`` things (target: a few ms at NEAR's size, under 50 ms at 100k entities).

    python benchmarks/suggest.py                      # the repository's data
    python benchmarks/suggest.py --entities 100000    # synthetic data, names in six scripts

Requests go through the Flask application in this process (no network), so the figures are
the endpoint's own time: the name matcher, the labels, the JSON. The synthetic regions get,
besides synthetic.py's Latin names, the six preferred names of a real NEAR region with a
number ("島根県 17", "시마네현 17", "Префектура Симанэ 17" ...) as alternative names, so that
every script is in the index. The first request builds the index; its time is reported apart.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import synthetic  # noqa: E402
from loaders.settings import Settings  # noqa: E402
from loaders.store import KnowledgeStore  # noqa: E402
from service.app import create_app  # noqa: E402

# what a reader types: prefixes as the letters come, other scripts, typos, a code, a year
QUERIES = {
    "prefix": ["s", "sh", "shim", "shima", "khab", "gyeong", "toya", "conf"],
    "other script": ["島", "島根", "しまね", "시마", "시마네", "Хаба", "Улаан", "黑龙"],
    "romanization": ["Kyongsangbuk", "Ulan Bator", "Simane", "Primorskiy"],
    "typo": ["khabarovks", "Shimame", "Toyma", "Heilongjang"],
    "code or year": ["JP-32", "RU-KHA", "1995"],
}
TRIPLES_PER_ENTITY = 8.2  # synthetic.py, measured: a little over 8 triples per thing


def synthetic_root(entities: int, workdir: Path) -> Path:
    root = workdir / "data"
    triples = int(entities * TRIPLES_PER_ENTITY)
    synthetic.write(root, triples)
    text = (root / synthetic.DATA_FILE).read_text(encoding="utf-8")
    regions = sorted(set(re.findall(r"<(https://w3id.org/near/id/region/[^>]+)>", text)))
    names = _real_region_names()
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for number, region in enumerate(regions):
        labels = names[number % len(names)]
        alts = ", ".join(f'"{label} {number // len(names)}"@{lang}' for lang, label in labels)
        lines.append(f"<{region}> skos:altLabel {alts} .")
    (root / "data/turtle/names-bench.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _real_region_names() -> list[list[tuple[str, str]]]:
    from loaders.names import NameKeys
    from loaders.page_headings import load_table
    from loaders.reconcile import NameIndex

    index = NameIndex.from_data_dir(REPO, NameKeys.from_table(load_table()))
    return [
        sorted(thing.preferred.items()) for thing in index.matcher.things if thing.kind == "region"
    ]


def measure(root: Path, rounds: int) -> dict:
    settings = Settings.from_env({}, data_dir=root)
    started = time.perf_counter()
    store = KnowledgeStore.open(settings, validator=False)
    loaded = time.perf_counter() - started
    app = create_app(settings, store=store)
    client = app.test_client()
    from service.linked_data.things import entity_index

    started = time.perf_counter()
    with app.test_request_context():
        things = len(entity_index().things)  # the site's index, which the matcher reads
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    client.get("/suggest", query_string={"q": "warm"})
    first = time.perf_counter() - started
    figures = {}
    for category, queries in QUERIES.items():
        timings = []
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                response = client.get("/suggest", query_string={"q": query, "limit": 10})
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.get_data(as_text=True)
        timings.sort()
        figures[category] = (
            statistics.median(timings) * 1000,
            timings[int(len(timings) * 0.95) - 1] * 1000,
            timings[-1] * 1000,
        )
    return {
        "things": things,
        "load_s": loaded,
        "index_s": indexed,
        "first_s": first,
        "figures": figures,
    }


def report(result: dict) -> str:
    lines = [
        f"things in the index: {result['things']:,}",
        f"store load: {result['load_s']:.1f} s; the site's entity index: "
        f"{result['index_s']:.1f} s; first /suggest (builds the name index): "
        f"{result['first_s']:.1f} s",
        "",
        "| queries | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for category, (median, p95, worst) in result["figures"].items():
        lines.append(f"| {category} | {median:.1f} | {p95:.1f} | {worst:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=0, help="synthetic data of this size")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not args.entities:
        print(report(measure(REPO, args.rounds)))
        return
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as workdir:
        root = synthetic_root(args.entities, Path(workdir))
        print(report(measure(root, args.rounds)))


if __name__ == "__main__":
    main()
