"""Running wrk (Debian package ``wrk``) against a URL and reading its report.

Each run is bounded by its duration (``-d``) and wrk's own timeout; the client uses one thread
(``-t1``) so that it takes as little of the two cores as possible from the server it measures.
Headers are set by a small Lua script.
"""

from __future__ import annotations

import re
import signal
import subprocess
import tempfile
import time
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


PATHS_SCRIPT = """
local paths = {}
for line in io.lines("%(file)s") do paths[#paths + 1] = line end
local headers = { Accept = "%(accept)s" }
local next_path, answered, once = 0, 0, %(once)s
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path], headers)
end
response = function(status, headers, body)
  answered = answered + 1
  if once and answered == #paths then
    local marker = io.open("%(marker)s", "w")
    marker:write("done")
    marker:close()
    wrk.thread:stop()
  end
end
"""


def run_paths(
    base: str, paths: list[str], accept: str, *, connections: int, seconds: float, once=False
) -> WrkResult:
    """wrk asking for ``paths`` in turn (from the first again after the last), for ``seconds``;
    ``once``: until as many answers as paths have come (a crawl: every path asked once but for
    the at most ``connections - 1`` requests in flight then), at most ``seconds``. wrk keeps
    its clock running after its thread stops, so the script leaves a marker and wrk is then
    interrupted (SIGINT: it prints its report with the time actually taken)."""
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script, marker = Path(folder) / "paths.lua", Path(folder) / "done"
        script.write_text(
            PATHS_SCRIPT
            % {"file": listing, "accept": accept, "once": str(once).lower(), "marker": marker}
        )
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
            "--latency", "-s", str(script), base,
        ]  # fmt: skip
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as wrk:
            deadline = time.monotonic() + seconds + 30
            while once and wrk.poll() is None and time.monotonic() < deadline:
                if marker.exists():
                    wrk.send_signal(signal.SIGINT)
                    break
                time.sleep(0.01)
            out, err = wrk.communicate(timeout=max(1.0, deadline - time.monotonic()))
    if wrk.returncode != 0:
        raise RuntimeError(f"wrk failed ({wrk.returncode}): {err.decode() or out.decode()}")
    return parse(out.decode())
