"""The most a WSGI server can give: a trivial app (a fixed 2 KB body) under Granian and under
gunicorn (gthread, as ``nearkg serve --server gunicorn`` runs it), and ``oxigraph serve``
answering ``ASK {}``, each measured with wrk at concurrency 8.

    python -m benchmarks.servers_ceiling [--seconds 5] [--workers 2]

This is the ceiling of a cached answer: whatever near-kg does per request comes on top.
Everything listens on 127.0.0.1; servers are stopped by their PID; each wrk run is bounded by
``--seconds``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from . import servers, wrk_runner

APP = """BODY = b"x" * 2000
HEADERS = [("Content-Type", "text/turtle"), ("Content-Length", "2000"), ("Vary", "Accept")]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nearkg-ceiling-"))
    (folder / "trivial.py").write_text(APP)
    commands = {
        "granian": lambda port: [
            str(servers.BIN / "granian"), "--interface", "wsgi", "--workers", str(args.workers),
            "--host", "127.0.0.1", "--port", str(port), "--working-dir", str(folder),
            "trivial:app",
        ],
        "gunicorn gthread": lambda port: [
            str(servers.BIN / "gunicorn"), "-w", str(args.workers), "-k", "gthread",
            "--threads", "8", "-b", f"127.0.0.1:{port}", "--chdir", str(folder), "trivial:app",
        ],
        "oxigraph serve": lambda port: [
            str(servers.BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}",
        ],
    }  # fmt: skip
    print(f"command: python -m benchmarks.servers_ceiling {' '.join(sys.argv[1:])}")
    print(
        f"versions: granian {version('granian')}, gunicorn {version('gunicorn')}, "
        f"oxigraph {version('oxigraph')}, {wrk_runner.version()}"
    )
    print("| server | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    for name, command in commands.items():
        port = servers.free_port()
        path = "/query?query=ASK%7B%7D" if name.startswith("oxigraph") else "/"
        server = servers.Server(command(port), port, path, folder / f"{port}.log")
        try:
            server.wait_ready(timeout=60)
            wrk_runner.run(server.url + path, "*/*", connections=8, seconds=1)  # warm-up
            got = wrk_runner.run(server.url + path, "*/*", connections=8, seconds=args.seconds)
        finally:
            server.stop()
        print(f"| {name} | {got.requests_per_second:,.0f} | {got.p50_ms:.2f} | {got.p99_ms:.2f} |")


if __name__ == "__main__":
    main()
