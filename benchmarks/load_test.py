"""Load benchmark: 8 concurrent clients for 60 s against a real server on loopback, mixing
entity pages, searches and SPARQL queries; zero errors expected. Not a unit test.

    python benchmarks/load_test.py                      # starts `nearkg serve` on a free port
    python benchmarks/load_test.py --url http://127.0.0.1:8080 --seconds 30 --clients 4

Prints a table: the command, versions, and per kind the requests, errors, p50 and p99.
Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
MAX_REQUESTS_PER_CLIENT = 100_000
ENTITIES = ["region/JP-32", "region/KR-47", "country/JP", "conference/1993", "organization/near",
            "region/RU-KHA", "region/MN-049", "region/CN-HL"]  # fmt: skip
SEARCHES = ["shimane", "島根", "gyeongsang", "hokkaido", "Приморский", "mongolia", "tottori"]
QUERIES = [
    "SELECT ?region ?label WHERE { ?region a <https://w3id.org/near/def#Region> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = 'en') } "
    "ORDER BY ?label LIMIT 50",
    "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
    "ASK { <https://w3id.org/near/id/region/JP-32> ?p ?o }",
]


def requests_of(kind: str) -> itertools.cycle:
    if kind == "entity":
        paths = [f"/doc/{e}.html" for e in ENTITIES] + [f"/doc/{e}.ttl" for e in ENTITIES]
    elif kind == "search":
        paths = [f"/search?q={quote(s)}" for s in SEARCHES]
    else:
        paths = [f"/sparql?query={quote(q)}&format=json" for q in QUERIES]
    random.Random(kind).shuffle(paths)
    return itertools.cycle(paths)


class Client(threading.Thread):
    def __init__(self, url: str, kinds: list[str], until: float, results: dict):
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.kinds = itertools.cycle(kinds)
        self.paths = {kind: requests_of(kind) for kind in set(kinds)}
        self.until = until
        self.results = results

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= self.until:
                break
            kind = next(self.kinds)
            path = next(self.paths[kind])
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.results[kind].append((time.perf_counter() - started, ok))
        conn.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server exited before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("the server was not ready within 120 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one on a free port)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes, if it starts the server"
    )
    args = parser.parse_args()
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("this benchmark runs against loopback only")

    server = None
    url = args.url
    if not url:
        port = free_port()
        server = start_server(port, args.workers)
        url = f"http://127.0.0.1:{port}"
    try:
        results: dict[str, list[tuple[float, bool]]] = defaultdict(list)
        mixes = [["entity", "search", "query"], ["entity", "entity", "search"],
                 ["query", "entity", "search"]]  # fmt: skip
        until = time.monotonic() + args.seconds
        clients = [Client(url, mixes[i % len(mixes)], until, results) for i in range(args.clients)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=args.seconds + 120)
        elapsed = time.perf_counter() - started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"versions: near-kg {version('near-kg')}, Python {platform.python_version()}, "
          f"pyoxigraph {version('pyoxigraph')}, Flask {version('flask')}, "
          f"granian {version('granian')}; {os.cpu_count()} CPUs")  # fmt: skip
    print(f"server: {url}, {args.clients} clients, {elapsed:.1f} s")
    print(f"{'kind':<8} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    errors = 0
    for kind in ("entity", "search", "query"):
        rows = results.get(kind, [])
        seconds = [s for s, _ in rows]
        failed = sum(1 for _, ok in rows if not ok)
        errors += failed
        p50, p99 = percentile(seconds, 0.5) * 1000, percentile(seconds, 0.99) * 1000
        rate = len(rows) / elapsed
        print(f"{kind:<8} {len(rows):>9} {failed:>7} {rate:>7.1f} {p50:>8.1f} {p99:>8.1f}")
    total = sum(len(v) for v in results.values())
    print(f"{'all':<8} {total:>9} {errors:>7} {total / elapsed:>7.1f}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
