"""near-kg's isolated ``/sparql`` against the Python ceiling, side by side in one run: a
first-time light query (a one-entity CONSTRUCT, Turtle; near-kg with its answer cache off, so
every request is parsed, run and serialized anew) at concurrency 8, on NEAR's own data.

    python -m benchmarks.python_ceiling [--seconds 5] [--workers 1] [--rounds 2]

The ceiling is ``benchmarks/flask_ceiling.py`` (Flask + pyoxigraph in the web threads, no
limits) under Granian with near-kg's settings (workers, blocking threads). The target of issue 16
is near-kg ≥ 0.6 × the ceiling. Rounds alternate the two servers so that a change in the
machine's load hits both; the load average is printed with the figures (the machine may be
shared). Everything listens on 127.0.0.1, servers are stopped by PID, each wrk run is bounded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import urllib.parse
from pathlib import Path

from service.server import MAX_REQUEST_HEAD, THREADS

from . import servers, wrk_runner
from .workloads import BASE, light_construct

REGION = "JP-32"


def ceiling(log: Path, workers: int) -> servers.Server:
    port = servers.free_port()
    command = [
        str(servers.BIN / "granian"), "--interface", "wsgi", "--workers", str(workers),
        "--blocking-threads", str(THREADS), "--http", "1",
        "--http1-buffer-size", str(MAX_REQUEST_HEAD), "--no-ws",
        "--host", "127.0.0.1", "--port", str(port), "benchmarks.flask_ceiling:app",
    ]  # fmt: skip
    env = {**os.environ, "NEARKG_DATA_DIR": str(servers.REPO)}
    return servers.Server(command, port, "/healthz", log, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "nearkg-python-ceiling"
    logs.mkdir(parents=True, exist_ok=True)
    query = light_construct(f"{BASE}id/region/{REGION}")
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    starts = {
        "near-kg (isolated, uncached)": lambda: servers.nearkg(
            servers.REPO, logs / "nearkg.log", workers=args.workers, cache_bytes=0
        ),
        "Flask + pyoxigraph (ceiling)": lambda: ceiling(logs / "ceiling.log", args.workers),
    }
    figures: dict[str, list[float]] = {name: [] for name in starts}
    print(f"command: python -m benchmarks.python_ceiling {' '.join(sys.argv[1:])}")
    print(f"load average before: {os.getloadavg()}")
    for _ in range(args.rounds):
        for name, start in starts.items():
            server = start()
            try:
                server.wait_ready(timeout=120)
                wrk_runner.run(server.url + path, "text/turtle", connections=8, seconds=1)
                got = wrk_runner.run(
                    server.url + path,
                    "text/turtle",
                    connections=args.connections,
                    seconds=args.seconds,
                )
            finally:
                server.stop()
            if got.errors:
                print(f"{name}: {got.errors} errors")
            figures[name].append(got.requests_per_second)
            print(f"{name}: {got.requests_per_second:,.0f} req/s, p50 {got.p50_ms:.2f} ms, "
                  f"p99 {got.p99_ms:.2f} ms")  # fmt: skip
    ours, ceiling_rps = (statistics.median(v) for v in figures.values())
    print(f"load average after: {os.getloadavg()}")
    print(f"median: near-kg {ours:,.0f} req/s, ceiling {ceiling_rps:,.0f} req/s, "
          f"ratio {ours / ceiling_rps:.2f} (target ≥ 0.6)")  # fmt: skip


if __name__ == "__main__":
    main()
