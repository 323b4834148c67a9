"""Memory and time of the per-version indexes, in this process, on an on-disk store.

    python -m benchmarks.index_memory --data-dir /tmp/mem-bench/data-2000000 \
        --store /tmp/mem-bench/store-2000000

Prints RSS and PSS (MB, /proc/self/smaps_rollup) after opening the store, after the entity
index, and after ``build_shared_indexes`` (the name matcher and the reconciliation facts), with
the seconds each step took and the bytes of the index's and the matcher's tables. A store is
made with ``benchmarks/synthetic.py``'s ``write`` and ``nearkg load --store``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import sys
import time
from pathlib import Path


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def memory_mb() -> dict[str, float]:
    """RSS, PSS and anonymous (not file-backed) resident memory of this process (MB), and
    the Python objects' blocks (sys.getallocatedblocks, in thousands)."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("Rss", "Pss", "Anonymous"):
            found[name.lower()] = round(int(value.split()[0]) / 1024, 1)
    found["python_blocks_k"] = round(sys.getallocatedblocks() / 1000)
    with contextlib.suppress(OSError, AttributeError):  # glibc: the heap malloc holds
        info = ctypes.CDLL("libc.so.6").mallinfo2
        info.restype = _MallInfo2
        held = info()
        found["malloc_used"] = round((held.uordblks + held.hblkhd) / 2**20, 1)
        found["malloc_free"] = round(held.fordblks / 2**20, 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()

    from loaders.memory import return_free_memory
    from loaders.settings import Settings
    from loaders.store import KnowledgeStore
    from service.app import build_shared_indexes
    from service.linked_data.entity_index import index_for
    from service.linked_data.name_finder import finder

    settings = Settings.from_env(data_dir=args.data_dir, store_path=args.store)
    steps: dict[str, dict] = {}
    started = time.perf_counter()
    store = KnowledgeStore.open(settings)
    steps["open"] = {**memory_mb(), "seconds": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    index = index_for(store, store.snapshot)
    steps["entity index"] = {**memory_mb(), "seconds": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    build_shared_indexes(store)
    return_free_memory()
    steps["shared indexes"] = {**memory_mb(), "seconds": round(time.perf_counter() - started, 1)}
    sizes = {"things": len(index.things)}
    matcher = finder.prepare(store, store.snapshot)
    sizes["names"] = len(matcher._owners) if hasattr(matcher, "_owners") else None
    sizes["index_table_mb"] = round(getattr(index, "nbytes", 0) / 2**20, 1)
    sizes["matcher_table_mb"] = round(getattr(matcher, "nbytes", 0) / 2**20, 1)
    print(json.dumps({"steps": steps, "sizes": sizes}, indent=2))


if __name__ == "__main__":
    main()
