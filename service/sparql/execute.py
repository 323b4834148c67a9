"""Checking and running a query for a request: limits, federation, dataset, the query pool."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace

import pyoxigraph as ox
from flask import current_app

from loaders.settings import Settings
from loaders.store import PREFIXES, KnowledgeStore, Snapshot
from service.http.errors import ApiError
from service.http.request_view import RequestView
from service.sparql import engine_errors, federation
from service.sparql.engine import Isolation, Job, QueryPool
from service.sparql.lexer import MAX_NESTING, Facts, LexError, scan
from service.sparql.results import Result, from_engine

_POSITION = re.compile(r"error at (\d+):(\d+)")
POOL_SIZE = 4
FEDERATION_POOL_SIZE = 2


def pool(*, federated: bool = False, app=None) -> QueryPool:
    """This process's query pool (a worker makes its own after the fork): processes with no
    network, or (``federated``) processes that may reach the allowed hosts' ports."""
    app = app or current_app
    pools = app.extensions.setdefault("nearkg_sparql_pools", {})
    pid = os.getpid()
    if pools.get("pid") != pid:
        for old in [p for k, p in pools.items() if k != "pid"]:
            old.close()
        pools.clear()
        pools["pid"] = pid
    if federated not in pools:
        settings = app.config["NEARKG_SETTINGS"]
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


def endpoint_url(view: RequestView) -> str:
    """This endpoint's URL on the host the request came to: the base IRI of relative IRIs."""
    return view.absolute("/sparql")


def check(text: str, settings: Settings, *, update: bool = False) -> Facts:
    """Refuse, before the engine sees it, what must never run: too deep, or remote."""
    try:
        facts = scan(text, update=update)
    except LexError as error:
        raise ApiError(400, f"malformed {'update' if update else 'query'}: {error}") from error
    if facts.depth > MAX_NESTING:
        raise ApiError(
            400,
            f"the {'update' if update else 'query'} nests brackets {facts.depth} deep; "
            f"at most {MAX_NESTING} are accepted",
        )
    allowed = settings.federation_allow
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
    settings: Settings,
    store: KnowledgeStore,
    snapshot: Snapshot,
    base_iri: str,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict | None = None,
    media: Mapping[str, str] | None = None,
) -> Result:
    """Run a user's query through the ``KnowledgeStore`` (dataset rules: ``loaders.dataset``):
    the request's graphs if it names any, else the query's own ``FROM``/``FROM NAMED``, else
    the union default graph. On the embedded store it runs in a query process (``runner``).
    Everything it needs is given (no request context: service.sparql.front calls it too)."""
    facts = check(text, settings)
    for iri in [*(default_graphs or []), *(named_graphs or [])]:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise ApiError(400, f"not an IRI: {iri!r} ({error})") from error
    requested = bool(default_graphs or named_graphs)
    options = {
        "result": True,
        "limit": settings.result_limit,
        "media": media,
        "federated": bool(facts.services or facts.loads),  # the process re-checks with rdflib
    }
    try:
        answer = store.query(
            text,
            default_graph=list(default_graphs or []) if requested else None,
            named_graphs=list(named_graphs or []) if requested else None,
            query_dataset=facts.has_from and not requested,
            substitutions=substitutions,
            base_iri=base_iri,
            snapshot=snapshot,
            options=options,
        )
    except SyntaxError as error:
        raise syntax_error(str(error)) from error
    except Exception as error:
        raise engine_errors.answer(error, text, settings.query_timeout) from error
    if isinstance(answer, Result):
        return answer
    # a remote SPARQL store answered: it bounds the query's time itself
    return from_engine(answer, settings.result_limit)


def install_runner(app) -> None:
    """Make every query of the app's ``KnowledgeStore`` on the embedded store (``/sparql``,
    and the pages' own queries: home, figures, lists, entity pages) run in a query process,
    bounded by NEARKG_QUERY_TIMEOUT and NEARKG_QUERY_MEMORY_MB."""
    settings = app.config["NEARKG_SETTINGS"]

    def runner(snapshot, text, dataset, substitutions, base_iri, options):
        job = Job(
            text,
            list(dataset.default_graphs) if dataset.default_graphs is not None else None,
            include_store_default=dataset.with_store_default,
            named_graphs=list(dataset.named_graphs) if dataset.named_graphs is not None else None,
            substitutions={
                (k.value if isinstance(k, ox.Variable) else k): v
                for k, v in (substitutions or {}).items()
            },
            base_iri=base_iri,
            limit=options.get("limit", settings.result_limit),
        )
        if options.get("media"):  # the query process writes the final bytes (render.choices)
            job.media = dict(options["media"])  # a plain dict crosses the pipe
            job.prefixes = PREFIXES(settings.base)
        federated = options.get("federated", False)
        if options.get("result"):  # someone's query (/sparql): the public share of the pool
            return pool(federated=federated, app=app).run(
                snapshot, job, settings.query_timeout, public=True
            )
        try:
            result = pool(federated=federated, app=app).run(snapshot, job, settings.query_timeout)
        except SyntaxError:
            raise
        except Exception as error:
            raise engine_errors.answer(error, text, settings.query_timeout, "page") from error
        if result.truncated:
            raise ApiError(
                503,
                f"this page needs more than {result.limit} rows of the data "
                "(NEARKG_RESULT_LIMIT); it cannot be shown",
            )
        return engine_answer(result)

    app.extensions["nearkg_store"].runner = runner


def engine_answer(result: Result):
    """A result as the engine would have answered it: a boolean, solutions or triples."""
    if result.kind == "boolean":
        canonical = b'{"head":{},"boolean":%s}' % str(result.boolean).lower().encode()
        return ox.parse_query_results(canonical, ox.QueryResultsFormat.JSON)
    if result.kind == "solutions":
        return result.solutions()
    return [ox.Triple(t.subject, t.predicate, t.object) for t in result.triples()]
