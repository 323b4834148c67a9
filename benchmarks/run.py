"""near-kg side by side with Oxigraph server on synthetic NEAR-shaped data.

    python -m benchmarks.run --sizes 10k,100k,1M [--seconds 3] [--repeat 3] [--workers 2]

What users do, side by side with the peers and the Python ceiling (``--users``, see
``benchmarks/side_by_side.py``; ``near`` is NEAR's own data; Trifid needs ``npm ci`` in
benchmarks/trifid first):

    python -m benchmarks.run --sizes near,100k --users --no-http --no-load --seconds 5 --repeat 2

For each size: generate the data (``benchmarks/synthetic.py``, cached under ``--data-root``),
measure the load in memory and on disk (time, peak memory; validation when
``loaders.validation`` exists), in-process query medians, then HTTP throughput and p50/p99
latency with wrk at concurrency 1 and 8 for every workload (``benchmarks/workloads.py``), on
``nearkg serve`` and on ``oxigraph serve`` holding the same data, and the resident memory of
each near-kg worker with the on-disk store. Prints the table and writes
``benchmarks/results/latest.md``, ``latest.json`` and the plots. Everything listens on
127.0.0.1; every loop is bounded (wrk runs for ``--seconds``, ``--repeat`` times).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import report, servers, side_by_side, synthetic, workloads, wrk_runner

RESULTS = Path(__file__).resolve().parent / "results"
CONCURRENCY = (1, 8)
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
NEAR = "near"  # NEAR's own data, the repository's data/ and ontology/
NEAR_REGION = "JP-32"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def versions() -> dict[str, str]:
    from importlib.metadata import version

    import pyoxigraph

    oxigraph = subprocess.run(
        [str(servers.BIN / "oxigraph"), "--version"], capture_output=True, text=True, timeout=10
    ).stdout.strip()
    return {
        "python": sys.version.split()[0],
        "pyoxigraph": pyoxigraph.__version__,
        "oxigraph server": oxigraph.removeprefix("oxigraph "),
        "granian": version("granian"),
        "gunicorn": version("gunicorn"),
        "wrk": wrk_runner.version(),
        **peer_versions(version),
    }


def peer_versions(version) -> dict[str, str]:
    found = {"flask": version("flask")}
    try:
        found["rdflib-endpoint"] = version("rdflib-endpoint")
        found["rdflib"] = version("rdflib")
    except Exception:  # not installed: it is not measured
        pass
    package = servers.TRIFID / "node_modules" / "trifid" / "package.json"
    if package.exists():
        found["trifid"] = json.loads(package.read_text())["version"]
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=10)
        found["node"] = node.stdout.strip()
    return found


def dataset(root: Path, label: str, seed: int) -> tuple[Path, int]:
    """The data directory of one size (generated once per size and seed)."""
    if label == NEAR:
        return servers.REPO, _count_triples(servers.REPO / "data/turtle")
    folder = root / f"{label}-seed{seed}"
    marker = folder / "GENERATED"
    if not marker.exists():
        triples = synthetic.write(folder, SIZES[label], seed)
        marker.write_text(str(triples))
    return folder, int(marker.read_text())


def _count_triples(folder: Path) -> int:
    import pyoxigraph as ox

    return sum(
        sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        for path in folder.rglob("*.ttl")
    )


def first_region(folder: Path) -> str:
    if folder == servers.REPO:
        return NEAR_REGION
    with open(folder / synthetic.DATA_FILE, encoding="utf-8") as text:
        for line in text:
            if line.startswith(f"<{synthetic.ID}region/"):
                return line.split("/region/")[1].split(">")[0]
    raise RuntimeError("no region in the generated data")


def measure_load(folder: Path, store: Path | None, queries: dict | None) -> dict:
    command = [sys.executable, "-m", "benchmarks.measure_load", str(folder)]
    if store is not None:
        shutil.rmtree(store, ignore_errors=True)
        command += ["--store", str(store)]
    if queries:
        spec = folder / "queries.json"
        spec.write_text(json.dumps(queries))
        command += ["--queries", str(spec)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=3600, cwd=servers.REPO, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


WARM_ATTEMPTS = 60  # bounds of the warm-up's retries after 503 Busy
WARM_SECONDS = 300.0


def warm(base: str, request: workloads.Request, times: int = 8) -> None:
    """A few concurrent requests with a long timeout: each worker builds its entity index
    and fills its cache before wrk measures."""

    def one(_):
        asked = urllib.request.Request(base + request.path, headers={"Accept": request.accept})
        deadline = time.monotonic() + WARM_SECONDS
        for _attempt in range(WARM_ATTEMPTS):
            try:
                with urllib.request.urlopen(asked, timeout=600) as answer:
                    answer.read()
                return
            except urllib.error.HTTPError as error:
                # 503 Busy: every query process is taken (eight cold copies of a slow query at
                # once); a client waits the Retry-After it is given and asks again
                if error.code != 503 or time.monotonic() > deadline:
                    raise
                time.sleep(float(error.headers.get("Retry-After") or 1))
        raise RuntimeError(f"{request.path}: still 503 after {WARM_ATTEMPTS} attempts")

    with ThreadPoolExecutor(times) as pool:
        list(pool.map(one, range(times)))


def measure_http(base: str, request: workloads.Request, seconds: float, repeat: int) -> dict:
    warm(base, request)
    found: dict = {}
    for connections in CONCURRENCY:
        wrk_runner.run(base + request.path, request.accept, connections=connections, seconds=1)
        runs = [
            wrk_runner.run(
                base + request.path, request.accept, connections=connections, seconds=seconds
            )
            for _ in range(repeat)
        ]
        middle = sorted(runs, key=lambda r: r.requests_per_second)[len(runs) // 2]
        found[f"c{connections}"] = {
            "rps": middle.requests_per_second,
            "rps_min": min(r.requests_per_second for r in runs),
            "rps_max": max(r.requests_per_second for r in runs),
            "p50_ms": middle.p50_ms,
            "p99_ms": middle.p99_ms,
            "errors": sum(r.errors for r in runs),
        }
    return found


def serve_nearkg(
    folder: Path, log: Path, args, store: Path | None = None, cache_bytes: int | None = None
) -> servers.Server:
    server = servers.nearkg(
        folder, log, workers=args.workers, store=store, server=args.server, cache_bytes=cache_bytes
    )
    server.wait_ready(timeout=1800)
    return server


def serve_oxigraph(folder: Path, log: Path) -> tuple[servers.Server, float]:
    server = servers.oxigraph(log)
    server.wait_ready(timeout=60)
    started = time.perf_counter()
    for path in sorted((folder / "data/turtle").rglob("*.ttl")):
        relative = path.relative_to(folder / "data/turtle").with_suffix("")
        servers.push_turtle(server, path, f"{synthetic.BASE}graph/data/{relative}")
    return server, time.perf_counter() - started


def run_size(label: str, args, logs: Path) -> dict:
    folder, triples = dataset(Path(args.data_root), label, args.seed)
    region = first_region(folder)
    loads = workloads.workloads(region)
    result: dict = {"label": label, "triples": triples, "loadavg_before": loadavg()}
    queries = {w.name: w.query for w in loads if w.query and w.name != "entity-ttl"}
    store = Path(args.data_root) / f"{label}-seed{args.seed}-store"
    if args.load:
        result["memory"] = measure_load(folder, None, queries)
        result["disk"] = measure_load(folder, store, None)
    if args.users:
        result["users"] = side_by_side.run(folder, args, logs, label)
    if args.http:
        server = serve_nearkg(folder, logs / f"nearkg-{label}.log", args)
        try:
            result["nearkg"] = {
                w.name: measure_http(server.url, w.nearkg, args.seconds, args.repeat) for w in loads
            }
        finally:
            server.stop()
        if args.uncached:  # every request rendered or queried: what a new question costs
            log = logs / f"nearkg-uncached-{label}.log"
            server = serve_nearkg(folder, log, args, cache_bytes=0)
            try:
                result["nearkg_uncached"] = {
                    w.name: measure_http(server.url, w.nearkg, args.seconds, args.repeat)
                    for w in loads
                }
            finally:
                server.stop()
        if args.oxigraph:
            server, pushed = serve_oxigraph(folder, logs / f"oxigraph-{label}.log")
            result["oxigraph_push_seconds"] = pushed
            try:
                result["oxigraph"] = {
                    w.name: measure_http(server.url, w.oxigraph, args.seconds, args.repeat)
                    for w in loads
                    if w.oxigraph
                }
            finally:
                server.stop()
    if args.http or args.disk_memory:
        if not store.exists():
            measure_load(folder, store, None)
        if args.users or not args.http:  # after a crawl of every entity (Turtle, HTML)
            measured = side_by_side.disk_memory(folder, store, args, logs / f"disk-{label}.log")
        else:
            measured = worker_memory(folder, store, loads, args, logs / f"disk-{label}.log")
        result["worker_rss_mb"], result["worker_pss_mb"] = measured
    result["loadavg_after"] = loadavg()
    return result


def worker_memory(folder: Path, store: Path, loads, args, log: Path):
    """RSS and PSS (MB) of each worker on the on-disk store, after serving every workload."""
    server = serve_nearkg(folder, log, args, store=store)
    try:
        for load in loads:
            try:
                warm(server.url, load.nearkg, times=2)
            except OSError as error:  # e.g. 503 while query processes open the store
                print(f"warm-up of {load.name} on disk: {error}", file=sys.stderr)
            url = server.url + load.nearkg.path
            wrk_runner.run(url, load.nearkg.accept, connections=8, seconds=1)
        return server.worker_memory_mb()
    finally:
        server.stop()


def startup_seconds(repeat: int, logs: Path) -> list[float]:
    """From starting ``nearkg serve`` on NEAR's own data to its first 200 on /healthz."""
    found = []
    for attempt in range(repeat):
        server = servers.nearkg(servers.REPO, logs / f"startup-{attempt}.log", workers=1)
        try:
            found.append(server.wait_ready(timeout=120))
        finally:
            server.stop()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="of " + ", ".join(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3.0, help="per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per measurement")
    parser.add_argument("--workers", type=int, default=2, help="near-kg's worker processes")
    parser.add_argument(
        "--server", choices=("granian", "gunicorn"), default="granian", help="near-kg's HTTP server"
    )
    parser.add_argument("--data-root", default="/tmp/nearkg-bench")
    parser.add_argument(
        "--out", type=Path, help=f"default {RESULTS}, with --users {RESULTS / 'users'}"
    )
    parser.add_argument("--no-http", dest="http", action="store_false")
    parser.add_argument("--no-oxigraph", dest="oxigraph", action="store_false")
    parser.add_argument("--no-load", dest="load", action="store_false", help="skip the loads")
    parser.add_argument(
        "--users", action="store_true", help="what users do, side by side (side_by_side.py)"
    )
    parser.add_argument(
        "--peers",
        default=",".join(side_by_side.PEERS),
        help="with --users: of " + ", ".join(side_by_side.PEERS),
    )
    parser.add_argument(
        "--once-seconds",
        type=float,
        default=side_by_side.ONCE_SECONDS,
        help="the bound of one crawl-once pass (a 1M set's HTML pass is cut there, and marked)",
    )
    parser.add_argument(
        "--warm-seconds",
        type=float,
        default=30.0,
        help="with --users: the bound of the warm-up pass before each measurement",
    )
    parser.add_argument("--reader-steps", type=int, default=2000, help="pages a reader visits")
    parser.add_argument(
        "--before",
        type=Path,
        help="with --users: also measure this checkout's code first time (before and after a "
        "change in one run), e.g. a `git worktree add --detach` of the commit before",
    )
    parser.add_argument(
        "--disk-memory",
        action="store_true",
        help="measure each worker's memory on the on-disk store (always with HTTP)",
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="also measure near-kg with NEARKG_CACHE_BYTES=0 (no repeated answer from a cache)",
    )
    args = parser.parse_args()
    args.out = args.out or (RESULTS / "users" if args.users else RESULTS)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES and s != NEAR]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {', '.join(SIZES)}")
    logs = Path(args.data_root) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = {
        "command": "python -m benchmarks.run " + shlex.join(sys.argv[1:]),
        "versions": versions(),
        "machine": f"{os.cpu_count()} cores, load average at start {loadavg()}",
        "startup_seconds": startup_seconds(3, logs),
        "users": args.users,
        "sizes": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    start = results["machine"]
    for label in labels:
        print(f"-- {label}: started, load average {loadavg()}", file=sys.stderr, flush=True)
        results["sizes"].append(run_size(label, args, logs))
        results["machine"] = f"{start}, after {label} {loadavg()}"
        table = report.markdown(results)  # saved after every size: a later failure keeps it
        (args.out / "latest.json").write_text(json.dumps(results, indent=1))
        (args.out / "latest.md").write_text(table)
    print(table)
    if args.http or args.users:
        try:
            from . import plot
        except ImportError as error:  # matplotlib is in the optional `bench` extra
            print(f"no plot: {error}", file=sys.stderr)
        else:
            plot.draw(results, args.out)


if __name__ == "__main__":
    main()
