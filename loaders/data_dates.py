"""When the data says it last changed: the newest ``dcterms:modified`` it states.

Not the load time: the same on every replica and after every restart, so the web layer's
``Last-Modified``, the VoID's ``dcterms:modified`` and the sitemap dates agree everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .snapshot import Snapshot
from .store import KnowledgeStore

DCTERMS_MODIFIED = "http://purl.org/dc/terms/modified"


def newest_modified(store: KnowledgeStore, snapshot: Snapshot) -> datetime | None:
    """The newest date, in UTC (a date counts as its midnight); None when the data states none."""
    newest = None
    rows = store.query(f"SELECT ?d WHERE {{ ?s <{DCTERMS_MODIFIED}> ?d }}", snapshot=snapshot)
    for row in rows:
        try:
            stated = datetime.fromisoformat(row["d"].value)
        except (ValueError, AttributeError):
            continue  # not a date: says nothing about when
        stated = stated if stated.tzinfo else stated.replace(tzinfo=UTC)
        newest = stated if newest is None or stated > newest else newest
    return newest
