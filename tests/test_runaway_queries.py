"""Runaway queries (a cartesian product, an unbounded property path) are stopped at the time
limit while other clients keep being served quickly. Prints the latencies seen."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import quote

import pytest

from service.sparql.execute import POOL_SIZE
from service.sparql.views import QUERIES_PER_CLIENT

from .latency_probe import LatencyProbe
from .sparql_support import call, start

pytestmark = pytest.mark.server

TIMEOUT = 4.0
OTHER_CLIENTS_BOUND = 1.0  # seconds: the slowest answer to another client during the runaways
RUNAWAYS = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "path": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:x>|!<urn:x>|^!<urn:x>)* ?o }",
}
OTHERS = {
    "entity": "/doc/region/JP-32.ttl",
    "search": "/search?q=shimane",
    "query": "/sparql?query="
    + quote("SELECT ?l WHERE { <https://w3id.org/near/id/region/JP-32> ?p ?l } LIMIT 5"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = start(tmp_path_factory.mktemp("runaway"),
                    env={"NEARKG_QUERY_TIMEOUT": str(TIMEOUT)})  # fmt: skip
    yield process
    process.stop()


def test_runaway_queries_stop_at_the_limit_and_others_are_served(server):
    probe = LatencyProbe(server.url, OTHERS)
    probe.start()
    time.sleep(0.5)
    answers: dict[str, tuple[int, float, bytes]] = {}

    def runaway(name: str, text: str) -> None:
        started = time.perf_counter()
        reply = call(server.url, "GET", "/sparql?query=" + quote(text))
        answers[name] = (reply.status, time.perf_counter() - started, reply.body)

    threads = [threading.Thread(target=runaway, args=item) for item in RUNAWAYS.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT + 30)
    time.sleep(0.5)
    probe.stop()

    for name, (status, seconds, body) in answers.items():
        print(f"runaway {name}: {status} after {seconds:.2f} s")
        assert status == 503, body[:300]
        assert b"NEARKG_QUERY_TIMEOUT" in body
        assert TIMEOUT - 0.5 < seconds < TIMEOUT + 3
    assert set(answers) == set(RUNAWAYS)
    for kind in OTHERS:
        mine = [s for s in probe.samples if s.kind == kind]
        print(f"{kind}: {len(mine)} answers, worst {max(s.seconds for s in mine):.3f} s")
        assert len(mine) >= 10
        assert {s.status for s in mine} == {200}
    print(f"others: p50 {probe.percentile(0.5):.3f} s, p99 {probe.percentile(0.99):.3f} s")
    assert probe.worst() < OTHER_CLIENTS_BOUND
    # and the pool has recovered: the same endpoint answers a normal query at once
    assert call(server.url, "GET", OTHERS["query"]).status == 200


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    """One worker (one pool of POOL_SIZE query processes), nothing kept between requests: a
    page asked for during the runaways needs a query process of its own."""
    env = {"NEARKG_QUERY_TIMEOUT": str(TIMEOUT), "NEARKG_CACHE_BYTES": "0"}
    process = start(tmp_path_factory.mktemp("runaway-share"), "--workers", "1", env=env)
    yield process
    process.stop()


def ask_from(server, address: str, text: str) -> tuple[int, bytes, float]:
    """A query sent from ``address`` (any 127.x.y.z reaches the server on 127.0.0.1)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=60, source_address=(address, 0)
    )
    try:
        conn.request("GET", "/sparql?query=" + quote(text))
        response = conn.getresponse()
        return response.status, response.read(), time.perf_counter() - started
    finally:
        conn.close()


def test_runaway_queries_fill_only_the_publics_share_and_the_site_still_answers(one_worker):
    """As many runaway queries as the pool has processes, from as many addresses: the last
    finds the public's share full (503, busy, in about MAX_QUEUE_SECONDS), and the site's own
    pages that query the data (the member list, a figure) are still answered."""
    answers: list[tuple[int, bytes, float]] = []

    def runaway(number: int) -> None:
        text = f"{RUNAWAYS['cartesian']} # {number}"  # four different queries
        answers.append(ask_from(one_worker, f"127.0.0.{number + 1}", text))

    threads = [threading.Thread(target=runaway, args=(n,)) for n in range(POOL_SIZE)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # they are running
    for page in ("/members", "/figures/members-by-country.svg?lang=ko"):
        started = time.perf_counter()
        reply = call(one_worker.url, "GET", page, headers={"Accept": "text/html"})
        print(f"{page}: {reply.status} in {time.perf_counter() - started:.2f} s")
        assert reply.status == 200, reply.body[:300]
    for thread in threads:
        thread.join(timeout=TIMEOUT + 30)
    assert sorted(status for status, _, _ in answers) == [503] * POOL_SIZE
    busy = [body for _, body, _ in answers if b"every query process is busy" in body]
    assert len(busy) == POOL_SIZE - 3  # the share is all processes but one


def test_one_address_has_at_most_its_share_of_running_queries(one_worker):
    """Two runaway queries from one address run, two more wait for them; a fifth is refused at
    once (429), and another address's query is still answered."""
    answers: list[tuple[int, bytes, float]] = []

    def runaway(number: int) -> None:
        answers.append(ask_from(one_worker, "127.0.0.9", f"{RUNAWAYS['cartesian']} # {number}"))

    threads = []
    for number in range(2 * QUERIES_PER_CLIENT):  # running, then waiting
        threads.append(threading.Thread(target=runaway, args=(number,)))
        threads[-1].start()
        time.sleep(0.3)
    status, body, seconds = ask_from(one_worker, "127.0.0.9", RUNAWAYS["path"])
    assert status == 429 and seconds < 1.0, body[:300]
    assert b"already has 2 queries running here and more waiting" in body
    other = ask_from(one_worker, "127.0.0.10", "ASK { ?s ?p ?o }")
    assert other[0] == 200, other[1][:300]
    for thread in threads:
        thread.join(timeout=3 * TIMEOUT + 30)
    # the waiting ones ran when the first ended, and met the time limit in their turn
    assert sorted(status for status, _, _ in answers) == [503] * (2 * QUERIES_PER_CLIENT)


def test_an_address_asking_several_quick_queries_at_once_is_served_in_turn(one_worker):
    """Four quick queries at once from one address (a program's four threads): those past its
    share wait for its own earlier ones and are answered, not refused."""
    answers: list[tuple[int, bytes, float]] = []
    query = "SELECT ?l WHERE { <https://w3id.org/near/id/region/JP-32> ?p ?l } LIMIT 5"

    def ask(number: int) -> None:
        answers.append(ask_from(one_worker, "127.0.0.11", f"{query} # {number}"))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(status for status, _, _ in answers) == [200] * 4
