"""The size limit of a request head, kept by near-kg itself whatever the HTTP layer did.

Granian gives hyper ``max_buffer_size`` (``MAX_REQUEST_HEAD``), but hyper checks it only when
the head it has read so far is incomplete and already fills the buffer: a head that arrives
in pieces, the last of which carries it past the limit and completes it, is accepted whole.
A 200,000-byte ``Accept`` sent as 100,000 bytes, a pause, then the rest reaches the app (200);
sent in small pieces it gets hyper's 431. On a busy machine the reads split the same request
either way, so the answer depended on timing (``tests/test_bad_inputs.py``,
``accept-oversized``). This wrapper refuses every head over the limit that hyper let through,
with 431 and a sentence saying why; under gunicorn it is the same limit.

The size counted is a lower bound of the bytes received (the request line and each header as
``Name: value`` with its line end; the decoded path; repeated headers joined by the server),
so a head under the limit is never refused here.
"""

from __future__ import annotations

from service.http.request_body import refuse

MAX_REQUEST_HEAD = 128 * 1024  # bytes: the longest request target (64 KiB) and its headers
REQUEST_LINE_EXTRA = len("  HTTP/1.1\r\n")


def head_size(environ) -> int:
    query = environ.get("QUERY_STRING", "")
    target = len(environ.get("PATH_INFO", "").encode("latin-1", "replace")) + (
        len(query) + 1 if query else 0
    )
    size = len(environ.get("REQUEST_METHOD", "")) + target + REQUEST_LINE_EXTRA + 2
    for key, value in environ.items():
        name = key[5:] if key.startswith("HTTP_") else key
        if name is not key or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            size += len(name) + 2 + len(value) + 2 if isinstance(value, str) and value else 0
    return size


class HeadLimit:
    def __init__(self, app, *, max_bytes: int = MAX_REQUEST_HEAD):
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ, start_response):
        size = head_size(environ)
        if size > self.max_bytes:
            return refuse(
                start_response,
                431,
                f"the request head is at least {size:,} bytes; at most {self.max_bytes:,} are "
                "read (send a long query by POST)",
            )
        return self.app(environ, start_response)
