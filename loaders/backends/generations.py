"""Generations on disk: who may write the store folder, who reads which generation, which may go.

- **One writer**: ``nearkg load`` holds an exclusive ``flock`` on ``.publish.lock`` in the store
  folder from the start of its build to the end of its clean-up; a second load waits a bounded
  time (saying so), then gives up with ``StoreBusy``.
- **Leases**: every process that reads a generation (a web worker, a query process, a load
  building one) holds a shared ``flock`` on the generation's ``LEASE`` file. The cleaner removes
  a generation only if it can take that lock exclusively, so nothing in use is ever deleted.
- **Seal**: a complete generation's metadata lists the size and CRC-32 of each of its RocksDB
  table files (they never change once written); a reader checks them before trusting the
  generation, so a truncated or altered file is noticed on open, not as a failing query later.

``flock`` locks belong to an open file and go when its process dies, so a killed load or worker
never leaves a lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..loading import LoadError, store_error

PUBLISH_LOCK = ".publish.lock"
LEASE = "LEASE"
META = "near-kg.json"
SEALED_SUFFIXES = (".sst",)
# An unfinished generation nobody leases was left by a killed load; one made by an older
# near-kg (no LEASE file) is given this long before it counts as abandoned.
ABANDONED_AFTER_SECONDS = 600.0


class StoreBusy(LoadError):
    """Another load holds the store folder and did not finish within the wait."""

    exit_code = 5


# -- one writer ------------------------------------------------------------------------------


@contextmanager
def publish_lock(root: Path, *, wait_seconds: float, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the store folder's writer lock; wait at most ``wait_seconds`` for another load."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / PUBLISH_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise store_error(root, error, "create its lock file") from error
    try:
        if not _try_lock(fd, fcntl.LOCK_EX):
            holder = _read_holder(fd)
            say(
                f"waiting for another load to finish publishing to {root}"
                f"{f' (process {holder})' if holder else ''}, up to {wait_seconds:g} s"
            )
            deadline = time.monotonic() + wait_seconds
            while not _try_lock(fd, fcntl.LOCK_EX):
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"store {root}: another load"
                        f"{f' (process {holder})' if holder else ''} is still publishing "
                        f"after {wait_seconds:g} s; try again later or wait longer (--wait)"
                    )
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int, kind: int) -> bool:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""


# -- leases ----------------------------------------------------------------------------------


class Lease:
    """A shared lock on one generation: while any process holds one, it is not deleted.
    Released by ``release()``, when the object is collected, or when the process ends."""

    def __init__(self, fd: int, generation: Path) -> None:
        self._fd: int | None = fd
        self.generation = generation

    @classmethod
    def take(cls, generation: Path) -> Lease | None:
        """A lease on ``generation``, or None if it is gone or being deleted."""
        try:
            fd = os.open(generation / LEASE, os.O_RDONLY)
        except FileNotFoundError:
            if not (generation / META).is_file():
                return None
            try:  # a generation published by an older near-kg: give it a lease file
                fd = os.open(generation / LEASE, os.O_RDONLY | os.O_CREAT, 0o644)
            except OSError:
                return None
        except OSError:
            return None
        if not _try_lock(fd, fcntl.LOCK_SH):
            os.close(fd)
            return None
        # the cleaner may have removed it between our open and our lock: check it is still there
        try:
            still_there = os.fstat(fd).st_ino == os.stat(generation / LEASE).st_ino
        except OSError:
            still_there = False
        if not still_there:
            os.close(fd)
            return None
        return cls(fd, generation)

    @classmethod
    def create(cls, generation: Path) -> Lease:
        """The lease of a load on the generation it is building (the cleaner leaves it alone)."""
        fd = os.open(generation / LEASE, os.O_RDONLY | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        return cls(fd, generation)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit the process ends anyway
            self.release()


# -- the seal of a complete generation -------------------------------------------------------


def seal(generation: Path) -> dict[str, list[int]]:
    """Size and CRC-32 of each table file: written into the metadata when it is published."""
    return {
        path.name: [path.stat().st_size, _crc(path)]
        for path in sorted(generation.iterdir())
        if path.suffix in SEALED_SUFFIXES
    }


def broken_seal(generation: Path, meta: dict) -> str | None:
    """Why the generation does not match its seal, or None when every file is as published."""
    for name, (size, crc) in (meta.get("files") or {}).items():
        path = generation / name
        try:
            actual = path.stat().st_size
        except OSError:
            return f"its file {name} is missing"
        if actual != size:
            return f"its file {name} has {actual} bytes, {size} when published (truncated?)"
        if _crc(path) != crc:
            return f"its file {name} changed since it was published (corrupt)"
    return None


def _crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def read_meta(generation: Path) -> dict:
    """The generation's metadata; ``OSError``/``ValueError`` when missing or unreadable."""
    return json.loads((generation / META).read_text(encoding="utf-8"))


def complete_generations(root: Path) -> list[Path]:
    """Generations with metadata (finished loads), newest first."""
    found = [p for p in root.glob("gen-*") if p.is_dir() and (p / META).is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


# -- the cleaner -----------------------------------------------------------------------------


def remove_unused(root: Path, keep: set[str | None]) -> list[str]:
    """Remove generations not in ``keep`` that no process leases; returns the names removed.

    A generation in use (a server reading it, a load building it) has a shared lease: the
    exclusive lock fails and it is skipped. It is renamed before deletion, so no reader finds
    a half-deleted generation by its name."""
    removed = []
    for path in sorted(root.glob("gen-*")):
        if not path.is_dir() or path.name in keep:
            continue
        if not (path / LEASE).exists():
            # made by an older near-kg, or killed before its lease file: judge by age
            if not (path / META).exists() and _age(path) < ABANDONED_AFTER_SECONDS:
                continue
            _delete(path)
            removed.append(path.name)
            continue
        try:
            fd = os.open(path / LEASE, os.O_RDONLY)
        except OSError:
            continue
        try:
            if not _try_lock(fd, fcntl.LOCK_EX):
                continue  # in use
            _delete(path)
            removed.append(path.name)
        finally:
            os.close(fd)
    for trash in root.glob(".trash-*"):  # left by a cleaner killed mid-way
        shutil.rmtree(trash, ignore_errors=True)
    return removed


def _delete(path: Path) -> None:
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}")
    try:
        os.rename(path, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def _age(path: Path) -> float:
    times = [path.stat().st_mtime]
    for child in path.iterdir():
        with contextlib.suppress(OSError):  # a file may go while we look
            times.append(child.stat().st_mtime)
    return time.time() - max(times)
