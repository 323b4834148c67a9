"""SPARQL Update: off unless ``NEARKG_UPDATE_TOKEN`` is set, then only with that bearer token.

An update runs in a query process (no network unless a LOAD target is allowed, a memory
ceiling, the time limit), on that process's copy of the data; it sends back the changed
dataset, which ``KnowledgeStore.publish_update`` serves as the next snapshot (a failed update
changes nothing; a crash costs only that process). The query processes are replaced so the
next query sees the change, and the data version moves on, so ETags and caches follow. Updates
are not written anywhere: a reload or restart brings back the data files. With an on-disk
store (read-only in the web workers) or more than one worker (each has its own copy) updates
are refused, since they would be lost or seen by only some requests.
"""

from __future__ import annotations

import hmac
import threading

import pyoxigraph as ox
from flask import Response, current_app

from loaders.loading import LoadError
from service.http import context
from service.http.errors import ApiError
from service.http.request_view import RequestView
from service.http.response_cache import response_cache
from service.sparql import engine_errors, execute
from service.sparql.engine import Job
from service.sparql.lexer import insert_using
from service.sparql.protocol import Operation

_LOCK = threading.Lock()
REALM = 'Bearer realm="near-kg sparql update"'


def authorise(view: RequestView, authorization: str) -> None:
    """Refuse unless the ``Authorization`` header carries the server's token and this server
    can apply an update at all."""
    token = context.settings().update_token
    if not token:
        raise ApiError(
            403,
            "SPARQL Update is disabled on this server (the operator enables it by setting "
            "NEARKG_UPDATE_TOKEN)",
        )
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        # no bearer token at all: the bare challenge (RFC 6750 §3)
        raise ApiError(
            401,
            "SPARQL Update needs 'Authorization: Bearer <token>' with the server's token",
            headers={"WWW-Authenticate": REALM},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        # a token that is not this server's: say so, so a client does not resend it
        raise ApiError(
            401,
            "the token in 'Authorization: Bearer <token>' is not this server's token",
            headers={
                "WWW-Authenticate": f'{REALM}, error="invalid_token", '
                'error_description="the token is not this server\'s update token"'
            },
        )
    if view.snapshot.store is None:
        raise ApiError(
            403,
            "SPARQL Update is not available with a remote SPARQL store (NEARKG_SPARQL_ENDPOINT): "
            "publish data with `nearkg load --to`",
        )
    if context.settings().store_path:
        raise ApiError(403, "SPARQL Update works on the in-memory store only (NEARKG_STORE_PATH)")
    if current_app.config.get("NEARKG_WORKERS", 1) > 1:
        raise ApiError(403, "SPARQL Update needs a server with one worker (--workers 1)")


def apply(view: RequestView, operation: Operation) -> Response:
    authorise(view, operation.authorization)
    settings = context.settings()
    facts = execute.check(operation.text, settings, update=True)
    text = operation.text
    if operation.has_dataset:
        if facts.has_with_or_using:
            raise ApiError(
                400,
                "the update names its dataset with WITH or USING and the request with "
                "using-graph-uri/using-named-graph-uri; send only one of them",
            )
        try:
            default = [str(ox.NamedNode(iri)) for iri in operation.default_graphs]
            named = [str(ox.NamedNode(iri)) for iri in operation.named_graphs]
        except ValueError as error:
            raise ApiError(400, f"using-graph-uri is not an IRI: {error}") from error
        text = insert_using(facts, default, named)
    job = Job(text, None, base_iri=execute.endpoint_url(view), update=True)
    with _LOCK:
        snapshot = context.store().snapshot
        try:
            dataset = execute.pool(federated=bool(facts.loads)).run(
                snapshot, job, settings.query_timeout
            )
            changed = ox.Store()
            changed.bulk_load(dataset, ox.RdfFormat.N_QUADS)
            context.store().publish_update(snapshot, changed, text)
        except SyntaxError as error:
            raise execute.syntax_error(str(error), "update") from error
        except LoadError as error:
            raise ApiError(409, f"the update changed nothing: {error}") from error
        except Exception as error:
            raise engine_errors.answer(error, text, settings.query_timeout, "update") from error
        finally:
            execute.retire_all()
            response_cache().clear()
    resp = Response(status=204)
    del resp.headers["Content-Type"]
    return resp
