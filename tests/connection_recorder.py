"""A listener on loopback that records every connection made to it: the proof that a refused
SERVICE or LOAD made no outbound request."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class ConnectionRecorder:
    """Listens on 127.0.0.1 (and ::1 on the same port when it can) until ``close()``."""

    def __init__(self) -> None:
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._sockets = [socket.create_server(("127.0.0.1", 0))]
        self.port = self._sockets[0].getsockname()[1]
        with contextlib.suppress(OSError):
            self._sockets.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        self._threads = [threading.Thread(target=self._accept, args=(s,), daemon=True)
                         for s in self._sockets]  # fmt: skip
        for thread in self._threads:
            thread.start()

    @property
    def listens_on_ipv6(self) -> bool:
        return len(self._sockets) > 1

    def _accept(self, server: socket.socket) -> None:
        server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(address[:2])
            conn.close()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for server in self._sockets:
            server.close()


@contextlib.contextmanager
def recording() -> Iterator[ConnectionRecorder]:
    """A recorder for the duration of a ``with`` block (a module fixture's body)."""
    listener = ConnectionRecorder()
    try:
        yield listener
    finally:
        listener.close()
