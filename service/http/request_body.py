"""Reading request bodies without letting slow or endless ones take the server.

Granian hands a WSGI app the body as a stream (``wsgi.input``) that reads from the connection
as the client sends: ``read(n)`` blocks the Python thread until ``n`` bytes or the end arrive,
with no time limit, and a chunked body has no length to check first. Left to the app, sixteen
clients sending a byte a second held every thread (``/healthz`` included), and a 1 GB chunked
form was read whole. And a worker must never answer while a read of that request's body is
still pending: Granian 2.8 then stops serving every connection of the worker until the read
returns (found while building this; ``tests/test_request_bodies.py`` keeps it in view).

This WSGI wrapper reads every body before the app sees it:
- a declared ``Content-Length`` over the limit is refused at once (413);
- the bytes are counted as they arrive, chunked or not, 64 KiB at a time, and reading stops
  one byte past the limit (413): memory per request stays bounded;
- at most ``READERS`` bodies are read at a time; more get 503 with ``Retry-After`` at once, so
  slow clients hold at most ``READERS`` threads and the others serve pages and GET queries;
- one client (``client_slots.client_of``) has at most ``READERS_PER_CLIENT`` of them; more get
  429 at once, so one address sending bodies that never end cannot shut every other client's
  POSTs out;
- a body not complete within ``NEARKG_BODY_TIMEOUT`` seconds is refused (408) as soon as the
  pending read returns (the next chunk, the end, or the client leaving). A client that stops
  sending altogether keeps its reading place until it disconnects: Granian offers no read
  timeout on bodies, so public deployments should put a proxy with one in front (SECURITY.md).
Every refusal closes the connection (``Connection: close``): its unread body is not parsed as
the next request.

The service reads a body as sent: it decodes no content coding. A body sent with
``Content-Encoding`` other than ``identity`` (``gzip``...) is refused with 415 and
``Accept-Encoding: identity`` (RFC 9110 §8.4, §15.5.16) by a Flask hook (service.http.security,
with the one error handler), after this gate has read it; a gzip header on a plain body was
read as plain text. The layers that answer before Flask leave such a request to Flask
(``coded_body``).
"""

from __future__ import annotations

import io
import threading

from service.http.client_slots import ClientSlots, client_of

READERS = 4
READERS_PER_CLIENT = 3  # of READERS: a program POSTing a few queries at once is rarely refused
CHUNK = 64 * 1024


class BodyGate:
    def __init__(
        self,
        app,
        *,
        max_bytes: int,
        timeout: float,
        readers: int = READERS,
        trust_proxy: bool = False,
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.trust_proxy = trust_proxy
        self._slots = threading.BoundedSemaphore(readers)
        self._clients = ClientSlots(READERS_PER_CLIENT)

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(start_response, 400, "the Content-Length header is not a number")
        if not chunked and declared <= 0:
            return self.app(environ, start_response)
        if declared > self.max_bytes:
            return self._too_large(start_response)
        with self._clients.hold(client_of(environ, self.trust_proxy)) as held:
            if not held:
                return refuse(
                    start_response,
                    429,
                    f"this address is already sending {READERS_PER_CLIENT} request bodies; "
                    "send the next when one has arrived",
                    [("Retry-After", "2")],
                )
            found = self._read(environ, start_response)
        if found is not None:
            return found
        return self.app(environ, start_response)

    def _read(self, environ, start_response):
        """The body read into ``environ`` (None), or the refusal to answer with."""
        if not self._slots.acquire(blocking=False):
            return refuse(
                start_response,
                503,
                "too many request bodies are arriving at once; try again shortly",
                [("Retry-After", "2")],
            )
        reader = _Reader(environ["wsgi.input"], self.max_bytes, self._slots)
        reader.start()
        if not reader.done.wait(self.timeout):
            reader.abandon()
            reader.done.wait()  # answering during a pending read would stall the worker
            return refuse(
                start_response,
                408,
                f"the request body did not arrive within {self.timeout:g} s (NEARKG_BODY_TIMEOUT)",
            )
        if reader.too_large:
            return self._too_large(start_response)
        if reader.failed:
            return refuse(start_response, 400, "the request body could not be read")
        body = reader.body()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return None

    def _too_large(self, start_response):
        return refuse(
            start_response,
            413,
            f"the request body is larger than {self.max_bytes} bytes "
            "(3 × NEARKG_MAX_QUERY_BYTES, for form encoding)",
        )


CONTENT_ENCODING = "HTTP_CONTENT_ENCODING"


def coded_body(environ) -> str | None:
    """The ``Content-Encoding`` of a request body in a content coding (anything but
    ``identity``), or None: no body, no header, or ``identity``."""
    coding = environ.get(CONTENT_ENCODING)
    if coding is None or environ.get("CONTENT_LENGTH") in (None, "", "0"):
        return None
    codings = [each.strip().lower() for each in coding.split(",")]
    if all(each in ("", "identity") for each in codings):
        return None
    return coding.strip()[:100]


class _Reader(threading.Thread):
    """Reads one body into memory, at most one byte past ``limit``; gives its slot back when
    it stops (the end, the limit, abandoned after a pending read, or the connection gone)."""

    def __init__(self, stream, limit: int, slots: threading.BoundedSemaphore):
        super().__init__(daemon=True, name="nearkg-body")
        self.stream = stream
        self.limit = limit
        self.slots = slots
        self.done = threading.Event()
        self.too_large = False
        self.failed = False
        self._parts: list[bytes] = []
        self._abandoned = False

    def run(self) -> None:
        size = 0
        try:
            while not self._abandoned:
                part = self.stream.read(min(CHUNK, self.limit + 1 - size))
                if not part:
                    break
                size += len(part)
                self._parts.append(part)
                if size > self.limit:
                    self.too_large = True
                    break
        except Exception:  # noqa: BLE001 - a broken connection: the request is answered 400
            self.failed = True
        finally:
            self.done.set()
            self.slots.release()

    def abandon(self) -> None:
        self._abandoned = True
        self._parts = []

    def body(self) -> bytes:
        return b"".join(self._parts)


def refuse(start_response, status: int, message: str, headers=()):
    from werkzeug.http import HTTP_STATUS_CODES

    reason = HTTP_STATUS_CODES.get(status, "Error")
    body = f"{status} {reason}: {message}\n".encode()
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
            ("X-Content-Type-Options", "nosniff"),
            *headers,
        ],
    )
    return [body]
