"""A process's resident memory and the processes it started, and giving freed memory back
to the system.

glibc keeps freed heap for reuse; after a large, one-off piece of work (building the entity
index, closing a store before the server forks) that memory would otherwise stay in the
process and be counted again in every forked worker's resident size.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
from pathlib import Path


def return_free_memory() -> None:
    """Collect garbage, then hand the heap's free pages back (glibc only; elsewhere a no-op)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def resident_mb(pid: int | str = "self") -> float:
    """A process's resident memory in MB (``VmRSS`` in /proc); NaN where it cannot be read (an
    ended process, no /proc)."""
    return proc_kb_field_mb(f"/proc/{pid}/status", "VmRSS:")


def proc_kb_field_mb(path: str, name: str) -> float:
    """The kB figure after ``name`` in a /proc file (``status``, ``smaps_rollup``), in MB;
    NaN where it cannot be read."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def child_pids(pid: int) -> list[int]:
    """The children of process ``pid``, whichever of its threads started them.

    Threads come and go while we read: a thread listed by the directory may be gone by the
    time its ``children`` file is opened, and the process itself may have ended. Either is
    read as "no children there", never as an error.
    """
    found: list[int] = []
    tasks: list[Path] = []
    with contextlib.suppress(OSError):
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    for task in tasks:
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found
