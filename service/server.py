"""Running the app: Granian (default) or gunicorn. Either way the store is loaded once, in the
parent process, before the workers are forked: they share it copy-on-write in memory, or open
the on-disk generation read-only.

Granian is the default because its HTTP layer is Rust, so a cached answer costs a few
microseconds of Python instead of gunicorn's HTTP parsing in Python (``python -m
benchmarks.servers_ceiling`` measures both on a trivial app). gunicorn stays available
(``--server gunicorn``) for deployments that manage it already.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import socket

from service.http.request_body import READERS
from service.http.request_head import MAX_REQUEST_HEAD
from service.parent_watch import exit_when_orphaned
from service.sparql.execute import POOL_SIZE

# Threads per worker: more than query processes (POOL_SIZE) and body readers (READERS), so
# queries that run to the time limit and slow request bodies hold at most that many threads and
# pages are still served by the others.
THREADS = POOL_SIZE + READERS + 4


class AddressUnavailable(Exception):
    """The address cannot be bound: in use by another server or program, or not allowed."""

    exit_code = 5


def check_address_free(host: str, port: int) -> None:
    """Refuse an address another socket holds. Granian binds every worker's socket with
    SO_REUSEPORT (no option turns it off), so a second server on a busy port would start
    and take part of the traffic; a plain bind here, without that option, fails instead."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise AddressUnavailable(f"cannot bind {host}:{port}: {error.strerror}") from error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(address)
        except OSError as error:
            why = (
                "the port is already in use (another server or program); choose another --port"
                if error.errno == errno.EADDRINUSE
                else error.strerror or str(error)
            )
            raise AddressUnavailable(f"cannot bind {host}:{port}: {why}") from error


def run(
    app,
    *,
    server: str,
    host: str,
    port: int,
    workers: int,
    settings,
    access_log: bool = False,
    verbose: bool = False,
) -> None:
    """Serve ``app``. ``access_log`` writes a line per request to standard output; off by
    default, since it costs about half the throughput of cached answers (the log line is
    Python's work) and a reverse proxy usually keeps the access log."""
    if server == "gunicorn":
        run_gunicorn(app, host, port, workers, settings.query_timeout, access_log, verbose)
    else:
        run_granian(app, host, port, workers, access_log, verbose, settings)


def run_granian(
    app,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    verbose: bool = False,
    settings=None,
) -> None:
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    # Workers must be forked (not spawned) to inherit the loaded app; Linux's default.
    if multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method("fork")
    server = Server(
        "nearkg",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=THREADS,
        http=HTTPModes.http1,
        # The HTTP layer refuses, with a status and no body, a request target over 64 KiB
        # (414: the limit of Rust's http crate) and, most of the time, a request head over
        # this (431): hyper lets through a head whose last piece carries it past the limit,
        # which http.request_head.HeadLimit then refuses (431 with a message). Long queries
        # go by POST, where NEARKG_MAX_QUERY_BYTES applies (413 with a message).
        http1_settings=HTTP1Settings(max_buffer_size=MAX_REQUEST_HEAD),
        log_access=access_log,
        # Granian's own start-up lines and notes read like misconfiguration to an operator
        # who did nothing wrong; serve prints one banner, Granian only errors (--verbose: all)
        log_level=LogLevels.info if verbose else LogLevels.error,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
        # a worker past the bound is replaced by a fresh fork of the master (which holds the
        # shared indexes); Granian then stops the old one (memory_bound, SECURITY.md)
        **memory_bound(settings),
    )
    master = os.getpid()

    def load_in_worker(*_):  # runs in each worker after the fork
        exit_when_orphaned(master)  # Granian's workers outlive a killed master otherwise
        _request_variables_out_of_environment()
        return app

    server.serve(target_loader=load_in_worker, wrap_loader=False)


def memory_bound(settings) -> dict:
    """Granian's options for NEARKG_WORKER_MEMORY_MB (none when it is 0)."""
    megabytes = settings.worker_memory_mb if settings is not None else 0
    if not megabytes:
        return {}
    seconds = min(max(settings.worker_memory_check_seconds, 1), 300)  # Granian's range
    return {"workers_max_rss": megabytes, "rss_sample_interval": seconds, "rss_samples": 1}


def run_gunicorn(
    app,
    host: str,
    port: int,
    workers: int,
    timeout: float,
    access_log: bool,
    verbose: bool = False,
) -> None:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self) -> None:
            options = gunicorn_options(host, port, workers, timeout, access_log, verbose)
            for key, value in options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return app

    Application().run()


def gunicorn_options(
    host: str,
    port: int,
    workers: int,
    timeout: float,
    access_log: bool = False,
    verbose: bool = False,
) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "preload_app": True,
        # Long GET URLs: see run_granian; the app's own limit answers 413.
        "limit_request_line": 0,
        "limit_request_field_size": 16384,
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "control_socket_disable": True,  # several servers may run side by side (tests, replicas)
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info" if verbose else "warning",  # quiet start, as with Granian
    }


# CGI request variables (RFC 3875) that a request does not always set
CGI_VARIABLES = frozenset(
    {
        "AUTH_TYPE",
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "PATH_TRANSLATED",
        "REMOTE_HOST",
        "REMOTE_IDENT",
        "REMOTE_USER",
    }
)


def _request_variables_out_of_environment() -> None:
    """Granian starts each request's WSGI environ from a copy of ``os.environ``: a variable
    such as ``HTTP_ACCEPT`` or ``HTTP_X_FORWARDED_FOR`` set where the server runs would reach
    the app as a header of every request that lacks it ("httpoxy"). The worker drops them
    before Granian takes its copy; ``HTTP_PROXY`` lives on as ``http_proxy`` (which urllib
    reads first), so outgoing requests to a remote store keep their proxy."""
    proxy = os.environ.get("HTTP_PROXY")
    if proxy and not os.environ.get("http_proxy"):
        os.environ["http_proxy"] = proxy
    for name in [n for n in os.environ if n.startswith("HTTP_") or n in CGI_VARIABLES]:
        del os.environ[name]
