"""What users do, side by side in one run: near-kg (its cache off: every request a first-time
request; and on: a crawl once, then repeated), the bare Flask+pyoxigraph app under the same
Granian settings (the Python ceiling, ``benchmarks/bare_app.py``), Oxigraph server, Trifid over
that Oxigraph server, and rdflib-endpoint, where each answers the same request
(``workloads.user_workloads``: a crawl of every entity once per format, a reader following
links). Called by ``benchmarks.run --users``; every server on 127.0.0.1, stopped by its PID;
every wrk run bounded by its duration.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from . import servers, synthetic, workloads, wrk_runner

CONNECTIONS = 8
ONCE_SECONDS = 600  # the default bound of one crawl-once pass (run.py --once-seconds)
PEERS = ("bare", "oxigraph", "trifid", "rdflib_endpoint")
MEMORY_CRAWL = 10_000  # entities crawled before the memory of the workers is read
REPEATED = 1_000  # paths asked again for "repeated": what a 32 MB cache per worker holds


def measure(
    url: str,
    paths: list[str],
    accept: str,
    seconds: float,
    repeat: int,
    warm: float = 1.0,
    cpu: Callable[[], float] | None = None,
) -> dict:
    """The median of ``repeat`` wrk runs of ``seconds`` at concurrency 8, after a warm-up:
    one pass over ``paths``, at most ``warm`` seconds (``--warm-seconds``), so that what a
    server makes once per data version and process (near-kg's figures at a million triples:
    0.5-1.5 s each in each worker) is behind it, for every server alike; with ``cpu`` (the
    server processes' CPU seconds so far), also the CPU per request."""
    if warm:
        wrk_runner.run_paths(url, paths, accept, connections=CONNECTIONS, seconds=warm, once=True)
    cpu_before = cpu() if cpu else 0.0
    runs = [
        wrk_runner.run_paths(url, paths, accept, connections=CONNECTIONS, seconds=seconds)
        for _ in range(repeat)
    ]
    summary = _summary(runs)
    if cpu and summary["requests"]:
        summary["cpu_us"] = (cpu() - cpu_before) / summary["requests"] * 1e6
    return summary


def _summary(runs: list[wrk_runner.WrkResult]) -> dict:
    middle = sorted(runs, key=lambda r: r.requests_per_second)[len(runs) // 2]
    return {
        "rps": statistics.median(r.requests_per_second for r in runs),
        "rps_all": [round(r.requests_per_second) for r in runs],
        "p50_ms": middle.p50_ms,
        "p99_ms": middle.p99_ms,
        "requests": sum(r.requests for r in runs),
        "errors": sum(r.errors for r in runs),
    }


@contextmanager
def running(start: Callable[[], servers.Server], timeout: float = 1800):
    server = start()
    try:
        server.wait_ready(timeout=timeout)
        yield server
    finally:
        server.stop()


def push_data(server: servers.Server, folder: Path) -> float:
    started = time.perf_counter()
    for path in sorted((folder / "data/turtle").rglob("*.ttl")):
        relative = path.relative_to(folder / "data/turtle").with_suffix("")
        servers.push_turtle(server, path, f"{synthetic.BASE}graph/data/{relative}")
    return time.perf_counter() - started


def run(folder: Path, args, logs: Path, label: str) -> dict:
    found = workloads.entities(folder)
    loads = workloads.user_workloads(found, args.reader_steps)
    result: dict = {"entities": len(found.keys), "workloads": {}, "servers": {}}
    for load in loads:
        result["workloads"][load.name] = {"what": load.what, "requests": len(load.paths["bare"])}

    def each(name: str, server: servers.Server, *behind: servers.Server) -> None:
        """Every workload on ``server``; the CPU per request counts the ``behind`` servers
        it asks (Trifid's Oxigraph) too."""
        got = result["servers"].setdefault(name, {})
        for load in loads:
            if name in load.paths:
                print(f"   {label} {name} {load.name}", file=sys.stderr, flush=True)
                got[load.name] = measure(
                    server.url, load.paths[name], load.accept, args.seconds, args.repeat,
                    warm=args.warm_seconds,
                    cpu=lambda: sum(s.cpu_seconds() for s in (server, *behind)),
                )  # fmt: skip

    def peer(name: str, body: Callable[[], None]) -> None:
        """A peer that cannot be run is reported (with why), and the others still run."""
        try:
            body()
        except (OSError, RuntimeError, subprocess.SubprocessError) as error:
            print(f"   {label} {name}: {error}", file=sys.stderr, flush=True)
            result.setdefault("failed", {})[name] = str(error)

    def nearkg(cache_bytes=None, tree=None):
        return servers.nearkg(
            folder, logs / f"users-nearkg-{label}-{cache_bytes}-{bool(tree)}.log",
            workers=args.workers, cache_bytes=cache_bytes, server=args.server, tree=tree,
        )  # fmt: skip

    if args.before:  # the same first-time workloads on another checkout's code
        with running(lambda: nearkg(cache_bytes=0, tree=args.before)) as server:
            each("nearkg_before", server)
    with running(lambda: nearkg(cache_bytes=0)) as server:
        each("nearkg_uncached", server)
    with running(nearkg) as server:
        got = result["servers"].setdefault("nearkg", {})
        for load in loads:  # first a crawl once with the cache on, then asked again
            paths = load.paths["nearkg"]
            once = wrk_runner.run_paths(
                server.url, paths, load.accept, connections=CONNECTIONS,
                seconds=args.once_seconds, once=True,
            )  # fmt: skip
            # a pass cut by --once-seconds says how far it got (the report marks it partial)
            got[load.name + " once"] = {**_summary([once]), "of": len(paths)}
            again = paths[:REPEATED]  # a crawl of 100k triples' entities outgrows the cache
            got[load.name] = measure(
                server.url, again, load.accept, args.seconds, args.repeat,
                warm=args.warm_seconds, cpu=server.cpu_seconds,
            )  # fmt: skip
        result["nearkg_worker_rss_mb"] = server.worker_memory_mb()[0]
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    if "bare" in peers:

        def bare() -> None:
            log = logs / f"bare-{label}.log"
            with running(lambda: servers.bare(folder, log, workers=args.workers)) as server:
                each("bare", server)

        peer("bare", bare)
    if "oxigraph" in peers or "trifid" in peers:
        with running(lambda: servers.oxigraph(logs / f"users-oxigraph-{label}.log")) as oxigraph:
            result["oxigraph_push_seconds"] = push_data(oxigraph, folder)
            if "oxigraph" in peers:
                peer("oxigraph", lambda: each("oxigraph", oxigraph))
            if "trifid" in peers:

                def trifid() -> None:
                    endpoint, log = oxigraph.url + "/query", logs / f"trifid-{label}.log"
                    with running(lambda: servers.trifid(log, endpoint), timeout=120) as server:
                        each("trifid", server, oxigraph)

                peer("trifid", trifid)
    if "rdflib_endpoint" in peers:

        def rdflib_endpoint() -> None:
            log = logs / f"rdflib-endpoint-{label}.log"
            with running(lambda: servers.rdflib_endpoint(folder, log)) as server:
                each("rdflib_endpoint", server)

        peer("rdflib_endpoint", rdflib_endpoint)
    return result


def disk_memory(folder: Path, store: Path, args, log: Path) -> tuple[list[float], list[float]]:
    """RSS and PSS (MB) of each near-kg worker on the on-disk store, after a crawl of the
    entities once in Turtle and once in HTML (what a harvester leaves behind): every entity,
    or ``MEMORY_CRAWL`` spread evenly over every kind when there are more."""
    things = workloads.entities(folder).keys
    things = things[:: max(1, len(things) // MEMORY_CRAWL)]
    start = lambda: servers.nearkg(  # noqa: E731
        folder, log, workers=args.workers, store=store, server=args.server
    )
    with running(start) as server:
        for suffix, accept in (("ttl", "text/turtle"), ("html", "text/html")):
            paths = workloads.entity_paths("nearkg", things, suffix) or []
            wrk_runner.run_paths(
                server.url, paths, accept, connections=CONNECTIONS, seconds=args.once_seconds,
                once=True,
            )  # fmt: skip
        return server.worker_memory_mb()
