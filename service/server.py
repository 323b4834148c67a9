"""Serving with gunicorn: the store is loaded once in the master, then shared by the workers
(forked copy-on-write in memory, or opened read-only from the on-disk generation)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from .sparql.execute import POOL_SIZE


class NearKgServer(BaseApplication):
    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        return self.application


def gunicorn_options(host: str, port: int, workers: int, timeout: float) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        # More threads than query processes (POOL_SIZE): queries that run to the time limit
        # hold at most POOL_SIZE threads, and pages are still served by the others.
        "threads": POOL_SIZE + 4,
        "preload_app": True,
        # Long GET URLs (rdflib sends ~30 PREFIX lines): the app enforces its own query size
        # limit (NEARKG_MAX_QUERY_BYTES -> 413), so the request line is not limited here.
        "limit_request_line": 0,
        "limit_request_field_size": 16384,
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "control_socket_disable": True,  # several servers may run side by side (tests, replicas)
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
    }
