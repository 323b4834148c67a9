"""Ending a process whose parent is gone.

A Granian worker whose master is killed keeps serving its socket, and a query process whose web
worker is killed keeps its copy of the store: neither is told. Each watches its parent instead
and ends when it has been handed to another (gunicorn's workers do the same). Neither the pipe
nor PR_SET_PDEATHSIG can tell: processes forked later hold copies of the pipe's other end, and
the death signal fires when the *thread* that forked ends, which servers do to idle threads.
"""

from __future__ import annotations

import os
import threading
import time

# How often a process checks that its parent is still there
CHECK_SECONDS = 1.0


def exit_when_orphaned(parent: int) -> None:
    """Start a daemon thread that ends this process once its parent is no longer ``parent``."""
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="nearkg-parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(CHECK_SECONDS)
    os._exit(0)
