"""Running wrk (Debian package ``wrk``) against a URL and reading its report.

Each run is bounded by its duration (``-d``) and wrk's own timeout; the client uses one thread
(``-t1``) so that it takes as little of the two cores as possible from the server it measures.
Headers are set by a small Lua script.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors


def version() -> str:
    run = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
    return (run.stdout or run.stderr).split("\n")[0].split(" Copyright")[0].strip()


def run(url: str, accept: str, *, connections: int, seconds: float) -> WrkResult:
    script = f'wrk.method = "GET"\nwrk.headers["Accept"] = "{accept}"\n'
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
            "--latency", "-s", handle.name, url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    finally:
        Path(handle.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    return parse(done.stdout)


def parse(report: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", report))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return WrkResult(rps, _percentile(report, "50"), _percentile(report, "99"), requests, errors)


def _percentile(report: str, which: str) -> float:
    match = re.search(rf"^\s+{which}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.MULTILINE)
    if not match:
        return float("nan")
    return float(match.group(1)) * UNITS[match.group(2)]
