"""What a route needs from the app: the store and the settings; the request's own reading
(language, formats, host, snapshot, URL mapping) is its ``RequestView``
(service.http.request_view): a route takes it once and passes it down; the helpers below
reach it for code not yet written that way."""

from __future__ import annotations

from flask import current_app

from loaders.settings import Settings
from loaders.store import KnowledgeStore, Snapshot
from service.http.request_view import current


def store() -> KnowledgeStore:
    return current_app.extensions["nearkg_store"]


def settings() -> Settings:
    return current_app.config["NEARKG_SETTINGS"]


def snapshot() -> Snapshot:
    """The snapshot this request reads, taken once so a reload never splits a response."""
    return current().snapshot


def local_url(iri: str) -> str:
    return current().local_url(iri)


def absolute(path: str) -> str:
    return current().absolute(path)


def canonical_iri(path: str) -> str:
    return current().canonical_iri(path)
