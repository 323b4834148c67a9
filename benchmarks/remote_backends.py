"""Requests per second of a served near-kg on each backend (bounded: a fixed number of requests).

Usage (stores already running and loaded; the server is started and stopped by this script):

    python benchmarks/remote_backends.py --requests 400 --threads 4 --workers 2 \
        [--env NEARKG_SPARQL_ENDPOINT=http://127.0.0.1:7878/query ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COUNT = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
PATHS = {
    "healthz": ("/healthz", "application/json"),
    "doc-ttl": ("/doc/region/JP-32.ttl", "text/turtle"),
    "doc-html": ("/doc/region/JP-32.html", "text/html"),
    "sparql-count": (f"/sparql?{COUNT}", "application/sparql-results+json"),
}


def fetch(url: str, accept: str) -> float:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--env", action="append", default=[])
    args = parser.parse_args()
    env = {**os.environ, **dict(item.split("=", 1) for item in args.env)}
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(args.port)]
    command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fetch(base + "/healthz", "application/json")
                break
            except OSError:
                time.sleep(0.2)
        for name, (path, accept) in PATHS.items():
            fetch(base + path, accept)  # warm up (entity index, caches)
            started = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                url = base + path
                times = list(pool.map(fetch, [url] * args.requests, [accept] * args.requests))
            elapsed = time.perf_counter() - started
            print(
                f"{name:13} {args.requests / elapsed:8.1f} req/s  "
                f"median {statistics.median(times) * 1000:6.1f} ms  "
                f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:6.1f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
