"""The query processes cannot reach the network, whatever the query text (issue 16).

A real server on loopback and a real listener (tests/connection_recorder.py): the lexer is
fooled on purpose (texts where ``<2&&'>`` reads as an IRI), and still no connection arrives,
because the kernel refuses it (service.sparql.sandbox). Also: the hypothesis strategy of
SERVICE/LOAD disguises, crashes and memory runaways that cost only a query process, updates in
a query process, and what happens where the kernel lacks Landlock or seccomp.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import nearkg
from .connection_recorder import recording
from .sparql_support import TOKEN, call, start

pytestmark = pytest.mark.server

UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
MEMORY_MB = 256


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = start(
        tmp_path_factory.mktemp("sandbox"),
        env={
            "NEARKG_UPDATE_TOKEN": TOKEN,
            "NEARKG_QUERY_TIMEOUT": "20",
            "NEARKG_QUERY_MEMORY_MB": str(MEMORY_MB),
        },
    )
    yield process
    process.stop()


def get(server, text: str):
    return call(server.url, "GET", "/sparql?query=" + quote(text))


def post_update(server, text: str):
    return call(server.url, "POST", "/sparql", text.encode(), UPDATE)


def still_serving(server) -> None:
    assert call(server.url, "GET", "/healthz").status == 200
    reply = get(server, "ASK { ?s ?p ?o }")
    assert reply.status == 200, reply.body[:300]


# Texts the lexer reads differently from the engine: ``<2&&'>`` is a valid IRIREF token, so a
# hand lexer sees an IRI where the engine sees a comparison and a string.
BYPASSES = [
    "SELECT * WHERE {{ FILTER(1<2&&'>'!='')SERVICE <{url}> {{?leak ?b ?c}} FILTER('x'='x') }}",
    "SELECT * WHERE {{ BIND(1<2&&'>' AS ?z) SERVICE <{url}> {{?leak ?b ?c}} }}",
    'SELECT * WHERE {{ ?s ?p "x"@en.SERVICE <{url}> {{?leak ?b ?c}} }}',
    "SELECT * WHERE {{ FILTER(1<2&&'>'!='')SERVICE SILENT <{url}> {{?leak ?b ?c}} }}",
]
UPDATE_BYPASSES = [
    "INSERT {{ <urn:a> <urn:b> ?z }} WHERE {{ BIND(1<2&&'>' AS ?z) }} ; LOAD <{url}>",
    "INSERT {{ <urn:a> <urn:b> ?z }} WHERE {{ BIND(1<2&&'>' AS ?z) }} ; LOAD SILENT <{url}>",
]


@pytest.mark.parametrize("template", BYPASSES)
def test_a_service_call_the_lexer_misses_never_connects(server, recorder, template):
    before = len(recorder.connections)
    reply = get(server, template.format(url=f"http://127.0.0.1:{recorder.port}/sparql"))
    time.sleep(0.2)
    assert len(recorder.connections) == before
    assert reply.status in (200, 400), reply.body[:300]  # SILENT: an empty answer
    if reply.status == 400:  # the lexer's early refusal, or the engine's failed call
        assert b"calling another host" in reply.body or b"is not allowed" in reply.body
    still_serving(server)


@pytest.mark.parametrize("template", UPDATE_BYPASSES)
def test_a_load_the_lexer_misses_never_connects(server, recorder, template):
    before = len(recorder.connections)
    reply = post_update(server, template.format(url=f"http://127.0.0.1:{recorder.port}/x.ttl"))
    time.sleep(0.2)
    assert len(recorder.connections) == before
    assert reply.status in (204, 400), reply.body[:300]
    still_serving(server)


NESTED = 1000
# The lexer reads ``<2&&'>`` as an IRI, then ``') FILTER NOT EXISTS { ... FILTER('`` as a
# string: it sees no brackets at all. pyoxigraph's parser overflows its stack on the nesting.
HIDDEN = "FILTER(1<2&&'>' != 'a') {} FILTER('b'='b')"


def test_a_crash_behind_the_lexer_costs_only_a_query_process(server):
    nested = "FILTER NOT EXISTS { " * NESTED + "}" * NESTED
    text = "SELECT * WHERE { " + HIDDEN.format(nested) + " }"
    reply = call(server.url, "POST", "/sparql", text.encode(),
                 {"Content-Type": "application/sparql-query"})  # fmt: skip
    assert reply.status == 400, reply.body[:300]
    assert b"the query engine stopped on this query" in reply.body
    still_serving(server)


def test_a_crashing_update_costs_only_a_query_process_never_the_worker(server):
    nested = "FILTER NOT EXISTS { " * NESTED + "}" * NESTED
    text = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE { " + HIDDEN.format(nested) + " }"
    reply = post_update(server, text)
    assert reply.status == 400, reply.body[:300]
    assert b"the query engine stopped on this update" in reply.body
    still_serving(server)


def test_an_update_runs_in_a_query_process_and_is_seen_by_the_next_query(server):
    reply = post_update(server, 'INSERT DATA { <urn:sandbox:s> <urn:sandbox:p> "seen" }')
    assert reply.status == 204, reply.body[:300]
    answer = get(server, 'ASK { <urn:sandbox:s> <urn:sandbox:p> "seen" }')
    assert answer.status == 200 and answer.boolean() is True


# 26 doublings of a string: 2^26 characters per row, then more: far past the ceiling
DOUBLINGS = 26


def test_a_query_past_the_memory_ceiling_is_refused_and_its_process_replaced(server):
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(DOUBLINGS))
    seed = 'BIND("xxxxxxxxxxxxxxxx" AS ?v0)'
    text = f"SELECT (STRLEN(?v{DOUBLINGS}) AS ?n) WHERE {{ {seed} {binds} }}"
    started = time.monotonic()
    reply = get(server, text)
    assert reply.status == 503, reply.body[:300]
    assert b"NEARKG_QUERY_MEMORY_MB" in reply.body
    assert f"{MEMORY_MB} MB".encode() in reply.body
    assert time.monotonic() - started < 20
    still_serving(server)


# -- the hypothesis strategy: SERVICE and LOAD in every disguise -------------------------------

NOISE = st.sampled_from(
    [
        " ", "\n", "\t", "# comment\n", "#}\n", "'>'", '">"', "'''x\n'''", "<urn:x>", "?v",
        "1<2&&'>'", "(", ")", "{", "}", ".", ";", "'\\''", '"\\""', "'\\u0027'", "<2&&'>",
    ]
)  # fmt: skip
KEYWORDS = st.sampled_from(
    ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ERVICE"]
)
SILENT = st.sampled_from(["", " SILENT", " \\u0053ILENT"])


@st.composite
def disguised_service(draw, port: int):
    url = f"http://127.0.0.1:{port}/sparql"
    target, prologue = draw(
        st.sampled_from(
            [
                (f"<{url}>", ""),
                ("r:sparql", f"PREFIX r: <http://127.0.0.1:{port}/> "),
                ("<sparql>", f"BASE <http://127.0.0.1:{port}/> "),
                ("<./sparql>", f"BASE <http://127.0.0.1:{port}/a/../> "),
                (f"<http\\u003A//127.0.0.1:{port}/sparql>", ""),
            ]
        )
    )
    before = "".join(draw(st.lists(NOISE, max_size=6)))
    after = "".join(draw(st.lists(NOISE, max_size=6)))
    keyword = draw(KEYWORDS) + draw(SILENT)
    pattern = f"{keyword} {target} {{ ?s ?p ?o }}"
    return f"{prologue}SELECT * WHERE {{ {before} {pattern} {after} }}"


def never_connects(server, recorder, strategy, send, examples: int) -> None:
    """Every text the strategy draws is answered below 500 and makes no connection."""

    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def check(text):
        before = len(recorder.connections)
        reply = send(server, text)
        assert reply.status < 500, (text, reply.body[:300])
        assert len(recorder.connections) == before, text

    check()
    time.sleep(0.3)
    assert recorder.connections == []
    still_serving(server)


def test_no_disguise_of_service_ever_connects(server, recorder):
    never_connects(server, recorder, disguised_service(recorder.port), get, 60)


@st.composite
def disguised_load(draw, port: int):
    target, prologue = draw(
        st.sampled_from(
            [
                (f"<http://127.0.0.1:{port}/x.ttl>", ""),
                ("r:x.ttl", f"PREFIX r: <http://127.0.0.1:{port}/> "),
                ("<x.ttl>", f"BASE <http://127.0.0.1:{port}/> "),
            ]
        )
    )
    keyword = draw(st.sampled_from(["LOAD", "load", "\\u004COAD", "LO\\u0041D"]))
    noise = "".join(draw(st.lists(NOISE.filter(lambda n: n not in "{}()"), max_size=4)))
    silent = draw(SILENT)
    return f"{prologue}INSERT DATA {{ <urn:a> <urn:b> '{noise!s}' }} ; {keyword}{silent} {target}"


def test_no_disguise_of_load_ever_connects(server, recorder):
    never_connects(server, recorder, disguised_load(recorder.port), post_update, 25)


# -- where the kernel lacks Landlock or seccomp -------------------------------------------------


def test_without_any_mechanism_the_server_refuses_to_start(tmp_path):
    result = nearkg(
        "serve", "--port", "1",
        env={"NEARKG_SANDBOX_PRETEND_MISSING": "landlock,seccomp"},
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 78, result.stderr[-2000:]
    assert "Refusing to start" in result.stderr
    assert "NEARKG_UNSANDBOXED_QUERIES" in result.stderr


def test_federation_without_landlock_refuses_to_start(tmp_path):
    result = nearkg(
        "serve", "--port", "1",
        env={"NEARKG_SANDBOX_PRETEND_MISSING": "landlock",
             "NEARKG_FEDERATION_ALLOW": "example.org"},
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 78, result.stderr[-2000:]
    assert "needs Landlock" in result.stderr


def test_accepting_the_risk_serves_with_a_loud_warning(tmp_path, recorder):
    server = start(
        tmp_path,
        env={"NEARKG_SANDBOX_PRETEND_MISSING": "landlock,seccomp",
             "NEARKG_UNSANDBOXED_QUERIES": "1"},
    )  # fmt: skip
    try:
        assert "WARNING" in server.log_path.read_text()
        # the lexer's early refusal still holds for a plain SERVICE
        reply = get(
            server,
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{recorder.port}/> {{ ?s ?p ?o }} }}",
        )
        assert reply.status == 400 and b"is not allowed" in reply.body
    finally:
        server.stop()


@pytest.mark.parametrize("missing", ["landlock", "seccomp"])
def test_one_mechanism_is_enough_to_keep_the_network_out_of_reach(tmp_path, recorder, missing):
    server = start(tmp_path, env={"NEARKG_SANDBOX_PRETEND_MISSING": missing})
    try:
        log = server.log_path.read_text()
        assert "query processes have no network" in log
        before = len(recorder.connections)
        for template in BYPASSES[:2]:
            reply = get(server, template.format(url=f"http://127.0.0.1:{recorder.port}/sparql"))
            assert reply.status == 400, reply.body[:300]
        time.sleep(0.2)
        assert len(recorder.connections) == before
    finally:
        server.stop()


# -- federation: hosts from rdflib's parse, ports from the kernel -------------------------------


@pytest.fixture(scope="module")
def other():
    with recording() as listener:
        yield listener


@pytest.fixture(scope="module")
def federated(tmp_path_factory, recorder):
    process = start(
        tmp_path_factory.mktemp("federated"),
        env={"NEARKG_FEDERATION_ALLOW": f"127.0.0.1:{recorder.port}", "NEARKG_QUERY_TIMEOUT": "20"},
    )
    yield process
    process.stop()


def test_an_allowed_service_is_called_and_its_answer_is_not_echoed(federated, recorder):
    before = len(recorder.connections)
    reply = get(
        federated,
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{recorder.port}/s> {{ ?s ?p ?o }} }}",
    )
    assert len(recorder.connections) == before + 1  # the federation process may connect there
    assert reply.status == 400, reply.body[:300]
    assert b"what that host answered is not shown" in reply.body


def test_a_port_out_of_range_is_refused_clearly(federated):
    reply = get(federated, "SELECT * WHERE { SERVICE <http://127.0.0.1:99999/x> { ?s ?p ?o } }")
    assert reply.status == 400 and b"is not allowed" in reply.body, reply.body[:300]


def test_a_second_service_hidden_from_the_lexer_is_found_by_the_parse(federated, recorder, other):
    allowed = f"http://127.0.0.1:{recorder.port}/s"
    hidden = f"http://127.0.0.1:{other.port}/s"
    text = (
        f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?a ?b ?c }} FILTER(1<2&&'>' != 'a') "
        f"SERVICE <{hidden}> {{ ?s ?p ?o }} FILTER('b'='b') }}"
    )
    reply = get(federated, text)
    time.sleep(0.2)
    assert other.connections == []
    assert reply.status == 400 and hidden.encode() in reply.body, reply.body[:300]


def test_what_rdflib_cannot_parse_is_refused_with_federation_on(federated, recorder):
    target = f"http://127.0.0.1:{recorder.port}/s"
    text = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} LATERAL {{ ?s ?p ?o }} }}"
    reply = get(federated, text)
    assert reply.status == 400 and b"rdflib" in reply.body, reply.body[:300]


def test_a_service_variable_is_refused_with_federation_on(federated, recorder):
    target = f"http://127.0.0.1:{recorder.port}/s"
    text = f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"
    reply = get(federated, text)
    assert reply.status == 400, reply.body[:300]


def test_a_value_longer_than_the_parsers_read_is_a_clear_400(server):
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(21))
    text = f'SELECT ?v21 WHERE {{ BIND("xxxxxxxxxxxxxxxx" AS ?v0) {binds} }}'
    reply = call(server.url, "GET", "/sparql?format=xml&query=" + quote(text))
    assert reply.status == 400, reply.body[:300]
    assert b"longer than 16 MiB" in reply.body
    still_serving(server)
