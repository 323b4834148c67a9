"""Checking and running a query for a request: limits, federation, dataset, the query pool."""

from __future__ import annotations

import os
import re

import pyoxigraph as ox
from flask import current_app, request

from loaders.backends.http import RemoteQueryTimeout, RemoteStoreError
from service.http import context
from service.http.errors import ApiError
from service.sparql.engine import Busy, EngineCrashed, Job, QueryPool, QueryTimeout
from service.sparql.lexer import MAX_NESTING, Facts, LexError, host_allowed, scan
from service.sparql.results import Result, from_engine

_POSITION = re.compile(r"error at (\d+):(\d+)")
POOL_SIZE = 4
# A query stopped at the time limit will be stopped again: Retry-After says "not soon" (ten
# minutes), so clients that retry on 503 (Comunica) do not run the same query again at once.
KILLED_RETRY_AFTER = "600"


def pool() -> QueryPool:
    """This process's query pool (a gunicorn worker makes its own after the fork)."""
    pools = current_app.extensions.setdefault("nearkg_sparql_pools", {})
    pid = os.getpid()
    if pid not in pools:
        pools.clear()
        pools[pid] = QueryPool(POOL_SIZE)
    return pools[pid]


def endpoint_url() -> str:
    return request.host_url.rstrip("/") + "/sparql"


def check(text: str, *, update: bool = False) -> Facts:
    """Refuse, before the engine sees it, what must never run: too deep, or remote."""
    try:
        facts = scan(text)
    except LexError as error:
        raise ApiError(400, f"malformed {'update' if update else 'query'}: {error}") from error
    if facts.depth > MAX_NESTING:
        raise ApiError(
            400,
            f"the {'update' if update else 'query'} nests brackets {facts.depth} deep; "
            f"at most {MAX_NESTING} are accepted",
        )
    allowed = context.settings().federation_allow
    for word, targets in (("SERVICE", facts.services), ("LOAD", facts.loads)):
        for target in targets:
            if not host_allowed(target, allowed):
                where = f"<{target}>" if target else "a target that is not a literal IRI"
                raise ApiError(
                    400,
                    f"{word} {where} is not allowed: this endpoint reaches only the hosts "
                    "listed in NEARKG_FEDERATION_ALLOW"
                    + (f" ({', '.join(allowed)})" if allowed else " (none)"),
                )
    return facts


def syntax_error(message: str, kind: str = "query") -> ApiError:
    extra = {}
    match = _POSITION.search(message)
    if match:
        extra = {"line": int(match.group(1)), "column": int(match.group(2))}
    return ApiError(400, f"malformed {kind}: {message}", **extra)


def run(
    text: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict | None = None,
) -> Result:
    """Run a query with the protocol's dataset rules: the request's graphs if it names any,
    else the query's own ``FROM``/``FROM NAMED``, else the union default graph."""
    settings = context.settings()
    facts = check(text)
    snapshot = context.snapshot()
    for iri in [*(default_graphs or []), *(named_graphs or [])]:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise ApiError(400, f"not an IRI: {iri!r} ({error})") from error
    if default_graphs or named_graphs:
        job = Job(text, list(default_graphs or []), named_graphs=list(named_graphs or []))
    elif facts.has_from:
        job = Job(text, None)
    else:
        union = [g.value for g in snapshot.union_graphs]
        job = Job(text, union, include_store_default=True)
    job.base_iri = endpoint_url()
    job.limit = settings.result_limit
    job.substitutions = {
        (k.value if isinstance(k, ox.Variable) else k): v for k, v in (substitutions or {}).items()
    }
    timeout = settings.query_timeout
    try:
        if snapshot.store is None:  # a remote SPARQL store runs it: no local engine to guard
            return _run_remote(snapshot, job)
        return pool().run(snapshot, job, timeout)
    except SyntaxError as error:
        raise syntax_error(str(error)) from error
    except RemoteQueryTimeout as error:
        raise ApiError(
            503, str(error), headers={"Retry-After": KILLED_RETRY_AFTER}, timeout=timeout
        ) from error
    except RemoteStoreError as error:
        current_app.logger.error("the SPARQL store failed: %s", error)
        raise ApiError(502, "the SPARQL store behind this endpoint failed to answer") from error
    except QueryTimeout as error:
        raise ApiError(
            503,
            f"{error} (NEARKG_QUERY_TIMEOUT); the same query will be stopped again: simplify "
            "it or add a LIMIT",
            headers={"Retry-After": KILLED_RETRY_AFTER},
            timeout=timeout,
        ) from error
    except Busy as error:
        raise ApiError(503, str(error), headers={"Retry-After": "2"}) from error
    except EngineCrashed as error:
        current_app.logger.error("query process died on: %.500s", text)
        raise ApiError(500, f"{error}; it has been restarted") from error
    except RuntimeError as error:
        raise ApiError(500, f"the query failed: {error}") from error


def _run_remote(snapshot, job: Job) -> Result:
    """The same job on a remote store (``NEARKG_SPARQL_ENDPOINT``): the store's own default
    graph is never added, and the store itself must bound the query's time."""
    answer = context.store().query(
        job.text,
        default_graph=job.default_graph,
        named_graphs=job.named_graphs,
        query_dataset=job.default_graph is None,
        substitutions=job.substitutions or None,
        base_iri=job.base_iri,
        snapshot=snapshot,
    )
    return from_engine(answer, job.limit)
