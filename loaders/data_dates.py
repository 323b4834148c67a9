"""When the data says it last changed: the newest ``dcterms:modified`` it states.

Not the load time: the same on every replica and after every restart, so the web layer's
``Last-Modified``, the VoID's ``dcterms:modified`` and the sitemap dates agree everywhere.
"""

from __future__ import annotations

from datetime import datetime

from .dataset_description import DCTERMS_MODIFIED, newest_date
from .snapshot import Snapshot
from .store import KnowledgeStore


def newest_modified(store: KnowledgeStore, snapshot: Snapshot) -> datetime | None:
    """The newest date, in UTC (a date counts as its midnight); None when the data states none."""
    rows = store.query(f"SELECT ?d WHERE {{ ?s <{DCTERMS_MODIFIED}> ?d }}", snapshot=snapshot)
    return newest_date(row["d"].value for row in rows)
