"""Rendered responses kept in memory, per process, bounded by their size in bytes (LRU).

Keys always start with the data stamp (``snapshot.version``, ``loaded_at`` and the cache's own
epoch), so a reload, a newly published generation or a SPARQL update never serves what was
rendered from the previous data: old entries simply stop being asked for and age out. The rest
of a key is what the one negotiation step chose (``representation_key``: host, path, format,
language, encoding, what negotiation read) or, for SPARQL results, the query and what it asked
for. The front cache (http.front_cache) keeps the sent bytes under the same keys. Only whole
200 responses are kept; a response larger than a quarter of the bound is not kept, so one big
answer cannot empty the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Response, current_app

from loaders.snapshot import Snapshot

if TYPE_CHECKING:
    from service.http.request_view import RequestView

# Bytes counted for an entry beyond its body (key, headers, bookkeeping), roughly
ENTRY_OVERHEAD = 512


def data_stamp(snapshot: Snapshot) -> tuple[str, str]:
    """The one staleness rule of every cache in the web layer (responses, the front cache,
    the entity index, dumps, figures): a value made from one snapshot's data is good while
    the version and the load it came from are the same."""
    global _last_stamp
    loaded_at, version, stamp = _last_stamp  # one read: another thread may swap in a new one
    if loaded_at is not snapshot.loaded_at or version != snapshot.version:
        stamp = (snapshot.version, snapshot.loaded_at.isoformat())
        _last_stamp = (snapshot.loaded_at, snapshot.version, stamp)
    return stamp


# the last stamp made (a request asks for it ten times: caches, index, validators)
_last_stamp: tuple = (None, None, None)


@dataclass(frozen=True)
class CachedResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None

    @classmethod
    def of(cls, response: Response) -> CachedResponse:
        headers = tuple((k, v) for k, v in response.headers.items() if k != "Content-Length")
        etag = response.get_etag()[0]
        return cls(response.status_code, headers, response.get_data(), etag)

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD

    def replay(self, *, not_modified: bool = False) -> Response:
        """A new response with the same status, headers and body (or a 304 without body)."""
        if not_modified:
            headers = [(k, v) for k, v in self.headers if k != "Content-Encoding"]
            return Response(status=304, headers=headers)
        return Response(self.body, self.status, headers=list(self.headers))


class ResponseCache:
    """An LRU of ``CachedResponse`` by total bytes, safe for threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.epoch = 0  # bumped by ``clear``: keys taken before it never match again
        self._entries: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def stamp(self, snapshot: Snapshot) -> tuple[str, str, int]:
        """What every key starts with: the data a response was rendered from (and the epoch,
        which ``clear`` moves on)."""
        return (*data_stamp(snapshot), self.epoch)

    def get(self, key: Hashable) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, response: Response) -> bool:
        """Keep a 200 response (not streamed); returns whether it was kept."""
        if response.status_code != 200 or response.is_streamed or not self.max_bytes:
            return False  # (with the cache off, no copy of the response is made)
        return self.put_entry(key, CachedResponse.of(response))

    def put_entry(self, key: Hashable, entry: CachedResponse) -> bool:
        if entry.size > self.max_bytes // 4:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size
        return True

    def clear(self) -> None:
        """Forget everything (after a SPARQL update changed the data in place)."""
        with self._lock:
            self.epoch += 1
            self._entries.clear()
            self._bytes = 0


def representation_key(
    view: RequestView,
    kind: str,
    format_name: str,
    *,
    language: str | None = None,
    extra: str = "",
    vary: Sequence[str] = (),
) -> tuple:
    """The key of a kept representation, from the one negotiation step's result: the data
    stamp (second, see ``ResponseCache.stamp``), the host (pages and Link headers name it), the
    path, and every choice its headers name: format, language (and whether ``?lang=`` or the
    header chose it), the page (``extra``), encoding, and what negotiation read (``vary``: an
    answer chosen by Accept says ``Vary: Accept``, one chosen by its suffix does not)."""
    return (
        kind,
        response_cache().stamp(view.snapshot),
        view.host_url,
        view.path,
        view.language_from,
        format_name,
        language,
        extra,
        "gzip" if view.gzip else "identity",
        tuple(vary),
    )


def response_cache() -> ResponseCache:
    """This app's cache (created from ``NEARKG_CACHE_BYTES`` on first use)."""
    return response_cache_of(current_app)


def response_cache_of(app) -> ResponseCache:
    cache = app.extensions.get("nearkg_response_cache")
    if cache is None:
        cache = app.extensions.setdefault(
            "nearkg_response_cache", ResponseCache(app.config["NEARKG_SETTINGS"].cache_bytes)
        )
    return cache
