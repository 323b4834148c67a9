"""Checking and running a query for a request: limits, federation, dataset, the query pool."""

from __future__ import annotations

import os
import re
from dataclasses import replace

import pyoxigraph as ox
from flask import current_app, request

from loaders.store import PREFIXES

from .. import context
from ..errors import ApiError
from . import engine_errors, federation
from .engine import Isolation, Job, QueryPool
from .lexer import MAX_NESTING, Facts, LexError, scan
from .results import Result, from_engine

_POSITION = re.compile(r"error at (\d+):(\d+)")
POOL_SIZE = 4
FEDERATION_POOL_SIZE = 2


def pool(*, federated: bool = False) -> QueryPool:
    """This process's query pool (a worker makes its own after the fork): processes with no
    network, or (``federated``) processes that may reach the allowed hosts' ports."""
    pools = current_app.extensions.setdefault("nearkg_sparql_pools", {})
    pid = os.getpid()
    if pools.get("pid") != pid:
        for old in [p for k, p in pools.items() if k != "pid"]:
            old.close()
        pools.clear()
        pools["pid"] = pid
    if federated not in pools:
        settings = context.settings()
        isolation = Isolation(
            memory_mb=settings.query_memory_mb,
            accept_risk=settings.unsandboxed_queries,
        )
        size = POOL_SIZE
        if federated:
            allowed = settings.federation_allow
            ports = federation.allowed_ports(allowed)
            isolation = replace(isolation, ports=ports, allowed_hosts=allowed)
            size = FEDERATION_POOL_SIZE
        pools[federated] = QueryPool(size, isolation)
    return pools[federated]


def retire_all() -> None:
    """After an update: every query process holds the data before it."""
    pools = current_app.extensions.get("nearkg_sparql_pools", {})
    for key, each in pools.items():
        if key != "pid":
            each.retire_all()


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
            if not allowed or (target and not federation.host_allowed(target, allowed)):
                # an early refusal with a clear message; what keeps the network out of reach
                # is the query process's sandbox, whatever this lexer makes of the text
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
    media: dict[str, str] | None = None,
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
    if media:  # the query process writes the final bytes (render.choices)
        job.media = media
        job.prefixes = PREFIXES(settings.base)
    job.substitutions = {
        (k.value if isinstance(k, ox.Variable) else k): v for k, v in (substitutions or {}).items()
    }
    timeout = settings.query_timeout
    try:
        if snapshot.store is None:  # a remote SPARQL store runs it: no local engine to guard
            return _run_remote(snapshot, job)
        federated = bool(facts.services or facts.loads)  # the process re-checks with rdflib
        return pool(federated=federated).run(snapshot, job, timeout)
    except SyntaxError as error:
        raise syntax_error(str(error)) from error
    except Exception as error:
        raise engine_errors.answer(error, text, timeout) from error


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
