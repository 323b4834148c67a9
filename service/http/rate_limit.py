"""An optional per-client rate limit (``NEARKG_RATE_LIMIT``, e.g. ``60/minute``; off by default).

A token bucket per client address: ``count`` requests may be made at once, and one more
every ``period / count`` seconds. Over the limit: ``429 Too Many Requests`` with
``Retry-After``. The client address is the peer address of the connection; behind a reverse
proxy that is the proxy, so every client would share one bucket. ``NEARKG_TRUST_PROXY`` makes
the limit use the first address of ``X-Forwarded-For`` instead; set it only when a proxy you
run overwrites that header, or any client can pick its own address.

Buckets live in the web worker's memory: with ``--workers N`` each worker counts on its own, so
a client may get up to N times the limit. Idle buckets are dropped.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*", re.IGNORECASE)
MAX_CLIENTS = 100_000  # buckets kept at most; the fullest (idle longest) are dropped first


@dataclass(frozen=True)
class Rate:
    count: int
    period: float  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``60/minute``, ``10/second``, ``1000/hour``, ``5/10minutes``."""
        match = _RATE.fullmatch(text)
        if not match or int(match.group(1)) < 1:
            raise ValueError(
                f"not a rate: {text!r} (expected COUNT/PERIOD, e.g. 60/minute; "
                f"periods: {', '.join(PERIODS)})"
            )
        multiple = int(match.group(2) or 1)
        return cls(int(match.group(1)), multiple * PERIODS[match.group(3).lower()])

    def __str__(self) -> str:
        return f"{self.count}/{self.period:g}s"


class RateLimiter:
    """Token buckets keyed by client; ``take(client)`` is 0.0 when allowed, else the seconds
    to wait before the next request would be."""

    def __init__(self, rate: Rate, *, clock=time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, updated)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        now = self._clock()
        per_token = self.rate.period / self.rate.count
        with self._lock:
            tokens, updated = self._buckets.get(client, (float(self.rate.count), now))
            tokens = min(float(self.rate.count), tokens + (now - updated) / per_token)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._forget_idle(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) * per_token

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) <= MAX_CLIENTS:
            return
        # A bucket idle for a whole period is full again: forgetting it changes nothing.
        self._buckets = {
            client: (tokens, updated)
            for client, (tokens, updated) in self._buckets.items()
            if now - updated < self.rate.period
        }


def retry_after(seconds: float) -> str:
    """Whole seconds for ``Retry-After`` (at least 1)."""
    return str(max(1, math.ceil(seconds)))
