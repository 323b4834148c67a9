"""Clients that keep asking while something else happens, recording each answer's latency."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float


@dataclass
class LatencyProbe:
    base_url: str
    paths: dict[str, str]  # kind -> path
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self, *, max_requests_each: int = 2000) -> None:
        for kind, path in self.paths.items():
            thread = threading.Thread(target=self._run, args=(kind, path, max_requests_each))
            thread.start()
            self._threads.append(thread)

    def _run(self, kind: str, path: str, max_requests: int) -> None:
        for _ in range(max_requests):
            if self._stop.is_set():
                return
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.samples.append(Sample(kind, status, time.perf_counter() - started))
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def worst(self) -> float:
        return max((s.seconds for s in self.samples), default=0.0)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(s.seconds for s in self.samples)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
