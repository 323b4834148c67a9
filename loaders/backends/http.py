"""Talking to a remote SPARQL store: queries (SPARQLWrapper), updates and the Graph Store
HTTP Protocol (urllib, answering the store's Basic or Digest challenge)."""

from __future__ import annotations

import ast
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from SPARQLWrapper import BASIC, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..loading import LoadError
from ..settings import Settings

log = logging.getLogger(__name__)
USER_AGENT = "near-kg"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteStoreError(LoadError):
    """The remote SPARQL store could not be reached or refused a request."""

    exit_code = 3


class RemoteQueryTimeout(RemoteStoreError):
    """The store sent nothing for ``NEARKG_QUERY_TIMEOUT`` seconds; near-kg stopped waiting."""


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None
    gsp: str | None
    user: str | None
    password: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        return cls(
            query=settings.sparql_endpoint,
            update=settings.sparql_update_endpoint,
            gsp=settings.sparql_gsp_endpoint,
            user=settings.sparql_user,
            password=settings.sparql_password,
        )


class SparqlClient:
    def __init__(self, endpoints: Endpoints, *, timeout: float = 30.0) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        handlers: list = []
        if endpoints.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.query, endpoints.update, endpoints.gsp):
                if url:
                    passwords.add_password(None, url, endpoints.user, endpoints.password or "")
            handlers = [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    # -- queries -------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        accept: str,
        default_graphs: list[str] = (),  # type: ignore[assignment]
        named_graphs: list[str] = (),  # type: ignore[assignment]
        timeout: float | None = None,
    ) -> tuple[str, bytes]:
        """POST a query (SPARQL 1.1 Protocol); (content type, body). A query the store cannot
        parse raises ``SyntaxError`` with the store's message."""
        wrapper = SPARQLWrapper(self.endpoints.query, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no format=/output= parameters: Virtuoso 406s on them
        wrapper.setQuery(text)
        wrapper.addCustomHttpHeader("Accept", accept)
        wrapper.setTimeout(max(1, round(timeout or self.timeout)))
        for iri in default_graphs:
            wrapper.addDefaultGraph(iri)
        for iri in named_graphs:
            wrapper.addNamedGraph(iri)
        if self.endpoints.user is not None:
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(self.endpoints.user, self.endpoints.password or "")
        try:
            response = wrapper.query().response
            content_type = response.headers.get("Content-Type", "")
            return content_type, response.read()
        except SPARQLWrapperException as error:
            if type(error).__name__ == "QueryBadFormed":
                log.info("the store found the query malformed: %.500s", _store_message(error))
                raise SyntaxError(
                    "the SPARQL store could not parse the query (its message is not shown)"
                ) from error
            raise RemoteStoreError(
                f"the SPARQL store refused the query ({type(error).__name__})"
            ) from error
        except (urllib.error.URLError, OSError) as error:
            if isinstance(error, TimeoutError) or isinstance(
                getattr(error, "reason", None), TimeoutError
            ):
                raise RemoteQueryTimeout(
                    f"the SPARQL store sent nothing for {self.timeout:g} s; near-kg stopped "
                    "waiting (the store may still be running the query)"
                ) from error
            raise RemoteStoreError(
                f"cannot query the SPARQL store at {self.endpoints.query}: {failure(error)}"
            ) from error

    def select(self, text: str, **kwargs) -> list[dict]:
        """A SELECT's rows as dicts of pyoxigraph terms."""
        from .results import parse_answer

        content_type, body = self.query(text, accept=RESULTS_JSON, **kwargs)
        solutions = parse_answer(content_type, body, graph_query=False)
        names = [v.value for v in solutions.variables]
        return [{name: row[name] for name in names} for row in solutions]

    def graph_triples(self, graph: str) -> list:
        """Every triple of one named graph (CONSTRUCT, as N-Triples)."""
        from .results import parse_answer

        content_type, body = self.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            accept=N_TRIPLES,
            named_graphs=[graph],
        )
        return list(parse_answer(content_type, body, graph_query=True))

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value) if rows else 0

    # -- writing -------------------------------------------------------------------------------

    def update(self, text: str) -> None:
        """POST a SPARQL Update to the update endpoint."""
        if not self.endpoints.update:
            raise RemoteStoreError("no SPARQL Update endpoint (NEARKG_SPARQL_UPDATE_ENDPOINT)")
        body = urllib.parse.urlencode({"update": text}).encode()
        self._send(
            "POST", self.endpoints.update, body, "application/x-www-form-urlencoded; charset=UTF-8"
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph with the Graph Store HTTP Protocol (PUT ?graph=...)."""
        if not self.endpoints.gsp:
            raise RemoteStoreError("no Graph Store endpoint (NEARKG_SPARQL_GSP_ENDPOINT)")
        self._send("PUT", _graph_url(self.endpoints.gsp, graph), ntriples, N_TRIPLES)

    def _send(
        self, method: str, url: str, body: bytes | None, content_type: str | None, accept=None
    ) -> bytes:
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            with self._opener.open(request, timeout=max(self.timeout, 60)) as response:
                return response.read()
        except (urllib.error.URLError, OSError) as error:
            raise RemoteStoreError(f"{method} {url} failed: {failure(error)}") from error


def failure(error: BaseException) -> str:
    """What failed, in words of our own: never what the other side sent (a body may carry
    anything, and a redirect names a place we did not choose to reach)."""
    if isinstance(error, urllib.error.HTTPError):
        return f"it answered HTTP {error.code}"
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.errno is not None:
        return f"{type(reason).__name__} (errno {reason.errno})"
    return type(reason).__name__


def _graph_url(gsp: str, graph: str) -> str:
    separator = "&" if "?" in gsp else "?"
    return f"{gsp}{separator}graph={urllib.parse.quote(graph, safe='')}"


def _store_message(error: SPARQLWrapperException) -> str:
    """The store's own message: SPARQLWrapper keeps the response body only as ``%r`` text."""
    text = str(error)
    _, marker, raw = text.partition("Response:\n")
    if marker:
        try:
            body = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            return raw.strip()
        if isinstance(body, bytes):
            message = body.decode("utf-8", "replace")
            # Virtuoso repeats the query with its own `define` lines: keep the message only
            return message.split("\nSPARQL query:", 1)[0].strip()
    return text
