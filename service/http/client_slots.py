"""How many of a scarce thing (a query process, a body reader) one client holds at once.

A worker has a few query processes and a few body readers; without a share per client, one
address sending four runaway queries or four bodies that never end took them all, and every
other client got 503 until they ended. A client here is the peer address, or with
``NEARKG_TRUST_PROXY`` the first ``X-Forwarded-For`` address (``client_of``): behind a proxy,
set it, or every reader shares the proxy's one share.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

MAX_CLIENT_CHARS = 64  # an X-Forwarded-For address is kept to this (a key, never a text shown)


def client_of(environ: Mapping[str, object], trust_proxy: bool) -> str:
    """The client a WSGI request came from (see the module's docstring)."""
    if trust_proxy:
        forwarded = str(environ.get("HTTP_X_FORWARDED_FOR", ""))
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:MAX_CLIENT_CHARS]
    return str(environ.get("REMOTE_ADDR") or "unknown")


class ClientSlots:
    """At most ``per_client`` held at once by one client. A client holding its share waits up
    to ``wait_seconds`` for one of its own to end (a program asking four quick queries at once
    is served in turn), then ``hold`` says False."""

    def __init__(self, per_client: int, *, wait_seconds: float = 0.0):
        self.per_client = per_client
        self.wait_seconds = wait_seconds
        self._held: dict[str, int] = {}  # only clients holding one: it empties as they end
        self._ended = threading.Condition()

    @contextmanager
    def hold(self, client: str) -> Iterator[bool]:
        """``with slots.hold(client) as held:`` held is False when the client still held its
        share after the wait (then nothing is taken)."""
        deadline = time.monotonic() + self.wait_seconds
        with self._ended:
            while self._held.get(client, 0) >= self.per_client:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._ended.wait(remaining)
            held = self._held.get(client, 0) < self.per_client
            if held:
                self._held[client] = self._held.get(client, 0) + 1
        try:
            yield held
        finally:
            if held:
                with self._ended:
                    left = self._held[client] - 1
                    if left:
                        self._held[client] = left
                    else:
                        del self._held[client]
                    self._ended.notify_all()
