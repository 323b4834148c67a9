"""The site's own queries (home, figures, lists, entity pages) run in the bounded query processes
like a user's (issue 16): past a bound a page answers 503 saying why, and the server keeps
serving. A real server with a time limit no query can meet (a millisecond, less than starting a
query process) proves each page's queries go through the bound."""

from __future__ import annotations

import pytest

from .sparql_support import call, start

pytestmark = pytest.mark.server

PAGES = ["/", "/members", "/figures", "/doc/region/JP-32.html", "/doc/region/JP-32.ttl"]


@pytest.fixture(scope="module")
def starved(tmp_path_factory):
    process = start(tmp_path_factory.mktemp("starved"), env={"NEARKG_QUERY_TIMEOUT": "0.001"})
    yield process
    process.stop()


@pytest.mark.parametrize("path", PAGES)
def test_a_page_whose_queries_pass_the_time_limit_is_refused_clearly(starved, path):
    reply = call(starved.url, "GET", path, headers={"Accept": "text/html"})
    assert reply.status == 503, (path, reply.status, reply.body[:300])
    assert b"NEARKG_QUERY_TIMEOUT" in reply.body
    assert b"this page cannot be made from data this large" in reply.body
    assert call(starved.url, "GET", "/healthz").status == 200


def test_the_same_pages_answer_with_a_sensible_ceiling(tmp_path):
    server = start(tmp_path)
    try:
        for path in PAGES:
            reply = call(server.url, "GET", path, headers={"Accept": "text/html"})
            assert reply.status == 200, (path, reply.status, reply.body[:300])
    finally:
        server.stop()
