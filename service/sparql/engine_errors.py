"""What a client is told when a query or update could not be answered.

A refusal is a 4xx or a 503 with a message that says what to change; never a 500 for
something a request did. The engine's own words are passed on only when they describe the
query: a message about an outbound call (a remote answer, a redirect, an address) is replaced,
since it may carry what a remote host sent.
"""

from __future__ import annotations

import logging
import re

from loaders.backends.http import RemoteQueryTimeout, RemoteStoreError
from service.http.errors import ApiError, not_xml
from service.http.xml_output import NotXml
from service.sparql.engine import Busy, EngineCrashed, OutOfMemory, QueryTimeout, Unsafe
from service.sparql.federation import Refused

# The engine's messages about SERVICE/LOAD calls: they may quote the remote body or a
# redirect target
_OUTBOUND = re.compile(
    r"payload|redirect|location|http request|https?://|status code|tcp|dns|lookup|"
    r"address|connection|os error|permission denied",
    re.IGNORECASE,
)
MAX_ENGINE_MESSAGE = 300
# A query stopped at the time limit will be stopped again: Retry-After says "not soon" (ten
# minutes), so clients that retry on 503 (Comunica) do not run the same query again at once.
KILLED_RETRY_AFTER = "600"
log = logging.getLogger(__name__)


def _advice(kind: str) -> str:
    if kind == "page":  # one of the site's own queries: nothing the reader can change
        return "this page cannot be made from data this large"
    return f"simplify the {kind} or add a LIMIT"


def answer(error: Exception, text: str, timeout: float, kind: str = "query") -> ApiError:
    """The ApiError for an exception raised while running ``text``."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, QueryTimeout):
        return ApiError(
            503,
            f"{error} (NEARKG_QUERY_TIMEOUT); the same {kind} will be stopped again: "
            f"{_advice(kind)}",
            headers={"Retry-After": KILLED_RETRY_AFTER},
            timeout=timeout,
        )
    if isinstance(error, OutOfMemory):
        return ApiError(503, f"{error}; {_advice(kind)}")
    if isinstance(error, Busy):
        return ApiError(503, str(error), headers={"Retry-After": "2"})
    if isinstance(error, Unsafe):
        log.error("a query process could not enter its sandbox: %s", error)
        return ApiError(
            503,
            f"this server cannot run the {kind} safely now: its query process could not take "
            "the network away from itself",
        )
    if isinstance(error, Refused):
        return ApiError(400, str(error))
    if isinstance(error, NotXml):  # the query process could not write the answer as XML
        return not_xml(error)
    if isinstance(error, EngineCrashed):
        log.error("query process died on: %.500s", text)
        return ApiError(
            400,
            f"the query engine stopped on this {kind} (its process ended and has been "
            "replaced); this server cannot run it",
        )
    if isinstance(error, RemoteQueryTimeout):
        return ApiError(
            503, str(error), headers={"Retry-After": KILLED_RETRY_AFTER}, timeout=timeout
        )
    if isinstance(error, RemoteStoreError):
        log.error("the SPARQL store failed: %s", error)
        return ApiError(502, "the SPARQL store behind this endpoint failed to answer")
    message = str(error)
    if _OUTBOUND.search(message):
        log.info("an outbound call of a %s failed: %.500s", kind, message)
        return ApiError(
            400,
            f"the {kind} failed while calling another host (SERVICE or LOAD); what that host "
            "answered is not shown",
        )
    if len(message) > MAX_ENGINE_MESSAGE:
        message = message[:MAX_ENGINE_MESSAGE] + "…"
    return ApiError(400, f"the {kind} failed: {message}")
