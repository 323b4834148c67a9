"""A linked-data crawler for tests: start at the VoID description, follow example resources
and every IRI in our URI space (through 303s, asking for Turtle), record what fails."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import rdflib

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@dataclass
class CrawlReport:
    visited: dict[str, int] = field(default_factory=dict)  # local path -> final status
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (status, from)
    subjects: set[str] = field(default_factory=set)
    redirects_without_absolute_location: list[str] = field(default_factory=list)
    negotiated_without_vary: list[str] = field(default_factory=list)


def crawl(client, base: str, start: str = "/.well-known/void", limit: int = 5000) -> CrawlReport:
    """``client`` is a Flask test client; IRIs starting with ``base`` map to local paths."""
    report = CrawlReport()
    queue: deque[tuple[str, str]] = deque([(start, "start")])
    seen = {start}
    while queue and len(report.visited) < limit:
        path, source = queue.popleft()
        response, final = _get_following_303(client, path, report)
        report.visited[path] = response.status_code
        if response.status_code != 200:
            report.broken[path] = (response.status_code, source)
            continue
        graph = rdflib.Graph().parse(data=response.data, format="turtle", publicID=final)
        for term in {*graph.subjects(), *graph.objects(), *graph.predicates()}:
            if not isinstance(term, rdflib.URIRef):
                continue
            if str(term).startswith(base + "id/"):
                report.subjects.add(str(term))
            target = _local_path(str(term), base)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return report


def _local_path(iri: str, base: str) -> str | None:
    if not iri.startswith(base):
        return None
    path = "/" + iri[len(base) :].split("#", 1)[0]
    return path


def _get_following_303(client, path: str, report: CrawlReport):
    response = client.get(path, headers={"Accept": "text/turtle"})
    for _ in range(3):
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        location = response.headers.get("Location", "")
        if not urlsplit(location).scheme.startswith("http"):
            report.redirects_without_absolute_location.append(path)
        if "Accept" not in response.headers.get("Vary", ""):
            report.negotiated_without_vary.append(path)
        path = urlsplit(location).path
        response = client.get(path, headers={"Accept": "text/turtle"})
    return response, "http://localhost" + path
