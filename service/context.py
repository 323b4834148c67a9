"""What a request needs from the app: the store, the settings, URL mapping to the base."""

from __future__ import annotations

from flask import current_app, request

from loaders.settings import Settings
from loaders.store import KnowledgeStore, Snapshot


def store() -> KnowledgeStore:
    return current_app.extensions["nearkg_store"]


def settings() -> Settings:
    return current_app.config["NEARKG_SETTINGS"]


def snapshot() -> Snapshot:
    """The snapshot this request reads, taken once so a reload never splits a response."""
    from flask import g

    if "snapshot" not in g:
        g.snapshot = store().snapshot
    return g.snapshot


def local_url(iri: str) -> str:
    """The address on this host of a thing in our URI space (pages link locally)."""
    base = settings().base
    if iri.startswith(base):
        return request.host_url.rstrip("/") + "/" + iri[len(base) :]
    return iri


def absolute(path: str) -> str:
    """The URL of a local path on the host this request came to."""
    return request.host_url.rstrip("/") + path


def canonical_iri(path: str) -> str:
    """The canonical IRI of a local path such as ``id/region/JP-32``."""
    return settings().base + path.lstrip("/")
