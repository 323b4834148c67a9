"""Giving freed memory back to the system.

glibc keeps freed heap for reuse; after a large, one-off piece of work (building the entity
index, closing a store before the server forks) that memory would otherwise stay in the
process and be counted again in every forked worker's resident size.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc


def return_free_memory() -> None:
    """Collect garbage, then hand the heap's free pages back (glibc only; elsewhere a no-op)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
