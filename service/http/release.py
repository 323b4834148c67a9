"""The code that renders the representations: a digest of its files and when they last changed.

A representation depends on the data and on the code that writes it (templates, words, the
page model, serializers). ETags carry the digest, so a copy written by older code is not
validated by a newer server; ``Last-Modified`` never goes below the newest file's time
(``representation.modified_at``). Read once per process, at the first request's validators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import loaders
import service


@dataclass(frozen=True)
class Release:
    digest: str  # of every file's path and bytes
    changed_at: datetime | None  # the newest file's modification time, in UTC


def release_of(folders: Iterable[Path]) -> Release:
    """The files below ``folders`` (compiled bytecode aside), in a stable order."""
    digest = hashlib.sha256()
    newest: float | None = None
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
            modified = path.stat().st_mtime
            newest = modified if newest is None else max(newest, modified)
    changed_at = None if newest is None else datetime.fromtimestamp(newest, UTC)
    return Release(digest.hexdigest(), changed_at)


@cache
def current_release() -> Release:
    """This installation's web and data layers."""
    return release_of([Path(service.__file__).parent, Path(loaders.__file__).parent])
