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
    """At most ``per_client`` held at once by one client. A client holding its share may have
    ``waiting_per_client`` more waiting up to ``wait_seconds`` each for one of its own to end (a
    program asking four quick queries at once is served in turn); any further, or one that
    waited in vain, is told no. Waiting holds a web thread: one client holds at most
    ``per_client + waiting_per_client`` of them."""

    def __init__(self, per_client: int, *, waiting_per_client: int = 0, wait_seconds: float = 0.0):
        self.per_client = per_client
        self.waiting_per_client = waiting_per_client
        self.wait_seconds = wait_seconds
        # only clients holding (or waiting for) one: they empty as they end
        self._held: dict[str, int] = {}
        self._waiting: dict[str, int] = {}
        self._ended = threading.Condition()

    @contextmanager
    def hold(self, client: str) -> Iterator[bool]:
        """``with slots.hold(client) as held:`` held is False when the client has its share
        (then nothing is taken)."""
        with self._ended:
            if self._held.get(client, 0) >= self.per_client:
                self._wait_for_one(client)
            held = self._held.get(client, 0) < self.per_client
            if held:
                self._held[client] = self._held.get(client, 0) + 1
        try:
            yield held
        finally:
            if held:
                with self._ended:
                    _count_down(self._held, client)
                    self._ended.notify_all()

    def _wait_for_one(self, client: str) -> None:
        """Wait (the condition held) for one of the client's own to end, if it may wait."""
        if self._waiting.get(client, 0) >= self.waiting_per_client:
            return
        self._waiting[client] = self._waiting.get(client, 0) + 1
        try:
            deadline = time.monotonic() + self.wait_seconds
            while self._held.get(client, 0) >= self.per_client:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._ended.wait(remaining)
        finally:
            _count_down(self._waiting, client)


def _count_down(counts: dict[str, int], client: str) -> None:
    left = counts[client] - 1
    if left:
        counts[client] = left
    else:
        del counts[client]
