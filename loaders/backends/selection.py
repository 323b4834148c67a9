"""Which backend serves the settings: the one place that knows every backend."""

from __future__ import annotations

from ..settings import Settings
from . import Backend


def backend_for(settings: Settings) -> Backend:
    """The remote backend when ``NEARKG_SPARQL_ENDPOINT`` is set, else the embedded one."""
    if settings.sparql_endpoint:
        from .remote import RemoteBackend

        return RemoteBackend(settings)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(settings)
