"""Settings of near-kg, read from ``NEARKG_*`` environment variables when asked, never at import."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/near/"
LANGUAGES = ("en", "ja", "ko", "zh", "ru", "mn")


def _project_root() -> Path:
    """The folder holding ontology/, data/, shapes/ and sparql/ (the checkout)."""
    return Path(__file__).resolve().parent.parent


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every setting, with its environment variable in ``metadata['env']``."""

    base: str = field(default=DEFAULT_BASE, metadata={"env": "NEARKG_BASE"})
    data_dir: Path = field(default_factory=_project_root, metadata={"env": "NEARKG_DATA_DIR"})
    store_path: Path | None = field(default=None, metadata={"env": "NEARKG_STORE_PATH"})
    sparql_endpoint: str | None = field(default=None, metadata={"env": "NEARKG_SPARQL_ENDPOINT"})
    sparql_update_endpoint: str | None = field(
        default=None, metadata={"env": "NEARKG_SPARQL_UPDATE_ENDPOINT"}
    )
    sparql_gsp_endpoint: str | None = field(
        default=None, metadata={"env": "NEARKG_SPARQL_GSP_ENDPOINT"}
    )
    sparql_user: str | None = field(default=None, metadata={"env": "NEARKG_SPARQL_USER"})
    sparql_password: str | None = field(
        default=None, metadata={"env": "NEARKG_SPARQL_PASSWORD"}, repr=False
    )
    query_timeout: float = field(default=30.0, metadata={"env": "NEARKG_QUERY_TIMEOUT"})
    max_query_bytes: int = field(default=100_000, metadata={"env": "NEARKG_MAX_QUERY_BYTES"})
    # Seconds a request may take to send its whole body (service.request_body)
    body_timeout: float = field(default=10.0, metadata={"env": "NEARKG_BODY_TIMEOUT"})
    result_limit: int = field(default=100_000, metadata={"env": "NEARKG_RESULT_LIMIT"})
    update_token: str | None = field(default=None, metadata={"env": "NEARKG_UPDATE_TOKEN"})
    allow_invalid: bool = field(default=False, metadata={"env": "NEARKG_ALLOW_INVALID"})
    federation_allow: tuple[str, ...] = field(
        default=(), metadata={"env": "NEARKG_FEDERATION_ALLOW"}
    )
    # Memory a query process may add to what it shares with its worker (RLIMIT_AS)
    query_memory_mb: int = field(default=512, metadata={"env": "NEARKG_QUERY_MEMORY_MB"})
    # Resident memory past which Granian replaces a web worker (0: no bound), and
    # how often it looks (seconds); SECURITY.md "What a web worker holds for the data"
    worker_memory_mb: int = field(default=1024, metadata={"env": "NEARKG_WORKER_MEMORY_MB"})
    worker_memory_check_seconds: int = field(
        default=10, metadata={"env": "NEARKG_WORKER_MEMORY_CHECK_SECONDS"}
    )
    # Run queries even where the kernel cannot take the network away from them (SECURITY.md)
    unsandboxed_queries: bool = field(default=False, metadata={"env": "NEARKG_UNSANDBOXED_QUERIES"})
    reload_check_seconds: float = field(
        default=2.0, metadata={"env": "NEARKG_RELOAD_CHECK_SECONDS"}
    )
    rate_limit: str | None = field(default=None, metadata={"env": "NEARKG_RATE_LIMIT"})
    trust_proxy: bool = field(default=False, metadata={"env": "NEARKG_TRUST_PROXY"})
    # Host names the service answers to (``Host`` is written into links and Location); any
    # when empty. ``.example.org`` admits every subdomain.
    trusted_hosts: tuple[str, ...] = field(default=(), metadata={"env": "NEARKG_TRUSTED_HOSTS"})
    # Rendered responses kept per process (entity documents, repeated /sparql queries)
    cache_bytes: int = field(default=32 * 1024 * 1024, metadata={"env": "NEARKG_CACHE_BYTES"})

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); keyword overrides win."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            try:
                values[f.name] = _convert(f.name, raw)
            except ValueError:
                raise SettingError(f.metadata["env"], raw) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def ontology_iri(self) -> str:
        return self.base + "def"

    def thing_iri(self, kind: str, key: str) -> str:
        return f"{self.base}id/{kind}/{key}"


class SettingError(ValueError):
    """An environment variable whose value is not one its setting takes."""

    def __init__(self, variable: str, raw: str) -> None:
        self.variable = variable
        super().__init__(f"{variable}={raw!r} is not a setting's value: {HOW_WRITTEN}")


HOW_WRITTEN = (
    "sizes, counts and seconds are numbers of 0 or more (whole numbers for sizes and counts), "
    "as the README's Settings table shows"
)


def _number(raw: str, kind: type) -> float:
    value = kind(raw.strip())
    if not math.isfinite(value) or value < 0:
        raise ValueError(raw)
    return value


def _convert(name: str, raw: str):
    if name in {"data_dir", "store_path"}:
        return Path(raw)
    if name in {"query_timeout", "reload_check_seconds", "body_timeout"}:
        return _number(raw, float)
    if name in {
        "max_query_bytes",
        "result_limit",
        "cache_bytes",
        "query_memory_mb",
        "worker_memory_mb",
        "worker_memory_check_seconds",
    }:
        return _number(raw, int)
    if name in {"allow_invalid", "trust_proxy", "unsandboxed_queries"}:
        return _flag(raw)
    if name in {"federation_allow", "trusted_hosts"}:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, field name) for every setting: the README table is checked against it."""
    rows = []
    for f in fields(Settings):
        default = f.default_factory() if callable(f.default_factory) else f.default  # type: ignore[misc]
        rows.append((f.metadata["env"], str(default), f.name))
    return rows
