"""The /sparql endpoint and /queries with Flask's test client (queries still run in the
forked query processes)."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading

import pyoxigraph as ox
import pytest

from .conftest import REPO, make_app

TOKEN = "s3cret-token"
REGION = "https://w3id.org/near/id/region/JP-32"
SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"


def make_client(dataset, **overrides):
    return make_app(dataset, **overrides).test_client()


@pytest.fixture
def updatable(tiny_dataset):
    return make_client(tiny_dataset, update_token=TOKEN)


def get(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8"),
        # a wildcard matches each format's own type: text/* is not JSON by text/javascript
        ("text/*", "text/csv; charset=utf-8"),
        ("text/*;q=0.9, application/*;q=0.1", "text/csv; charset=utf-8"),
        ("application/*", "application/sparql-results+json"),
        ("text/javascript", "application/sparql-results+json"),  # an alias named exactly
    ],
)
def test_select_formats_by_accept(client, accept, expected):
    response = get(client, SELECT, accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected
    # an HTML page is in the reader's language: a shared cache must key it on that too
    html = expected.startswith("text/html")
    assert response.headers["Vary"] == ("Accept, Accept-Language" if html else "Accept")


def test_csv_uses_crlf_and_tsv_lf(client):
    csv = get(client, SELECT, "text/csv").get_data()
    assert csv.startswith(b"s,label\r\n") and csv.endswith(b"\r\n")
    tsv = get(client, SELECT, "text/tab-separated-values").get_data()
    assert tsv.startswith(b"?s\t?label\n") and b"\r" not in tsv


def test_format_params_win_over_accept(client):
    response = get(client, "ASK {}", "text/csv", format="json", output="json", results="json")
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert response.get_json() == {"head": {}, "boolean": True}
    response = get(client, SELECT, None, format="xml")
    assert response.headers["Content-Type"] == "application/sparql-results+xml"


RESULTS_JSON, RESULTS_XML = "application/sparql-results+json", "application/sparql-results+xml"


# Accept -> Content-Type of an ASK's answer (None: 406). The CSV and TSV results formats are
# defined for SELECT only: an ASK is never offered in them.
@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, RESULTS_JSON),
        ("*/*", RESULTS_JSON),
        (RESULTS_XML, RESULTS_XML),
        ("application/json", RESULTS_JSON),
        ("text/csv", None),
        ("text/tab-separated-values", None),
        ("text/csv, text/tab-separated-values", None),
        ("text/csv, application/sparql-results+json;q=0.5", RESULTS_JSON),
        ("text/tab-separated-values, application/sparql-results+xml;q=0.1", RESULTS_XML),
        ("text/csv, */*;q=0.1", RESULTS_JSON),
        ("text/*", "text/html; charset=utf-8"),  # the only text/* type an ASK is offered in
        ("text/csv;q=1, text/html;q=0.2", "text/html; charset=utf-8"),
    ],
)
def test_ask_formats_by_accept(client, accept, expected):
    response = get(client, "ASK { ?s ?p ?o }", accept)
    if expected is None:
        assert response.status_code == 406
        assert response.headers["Vary"] == "Accept"
        problem = get(client, "ASK { ?s ?p ?o }", f"{accept}, application/problem+json;q=0.01")
        assert problem.status_code == 406
        assert problem.get_json()["offered"] == [RESULTS_JSON, RESULTS_XML, "text/html"]
        return
    assert response.status_code == 200
    assert response.headers["Content-Type"] == expected
    if expected == RESULTS_JSON:
        assert response.get_json() == {"head": {}, "boolean": True}


def test_the_ask_page_links_only_the_formats_an_ask_has(client):
    page = get(client, "ASK { ?s ?p ?o }", "text/html").get_data(as_text=True)
    assert "format=json" in page and "format=xml" in page
    assert "format=csv" not in page and "format=tsv" not in page


TEXT_RDF = ("text/turtle", "application/n-triples", "application/trig", "application/n-quads")


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
        # rdflib returnFormat="json": only results types -> Turtle (documented choice)
        ("application/sparql-results+json", "text/turtle"),
        # a wildcard matches each format's own type, not an alias (application/x-turtle)
        ("application/*", "application/ld+json"),
        ("application/*;q=0.5, text/*;q=0.4", "application/ld+json"),
        ("text/*", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
    ],
)
def test_construct_formats(client, accept, expected):
    response = get(client, "CONSTRUCT WHERE { ?s ?p ?o }", accept)
    assert response.status_code == 200
    assert response.mimetype == expected
    # text formats say UTF-8, or clients (requests) read Turtle as Latin-1
    utf8 = expected in TEXT_RDF
    assert response.headers["Content-Type"] == expected + ("; charset=utf-8" if utf8 else "")
    quads = list(ox.parse(response.get_data(), ox.RdfFormat.from_media_type(expected)))
    counted = get(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").get_json()
    assert len(quads) == int(counted["results"]["bindings"][0]["n"]["value"]) > 6


def test_406_lists_offers(client):
    response = get(client, SELECT, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_data(as_text=True)
    assert get(client, "CONSTRUCT WHERE { ?s ?p ?o }", "image/png").status_code == 406


@pytest.mark.parametrize(
    "request_kwargs,status",
    [
        ({"query_string": "query=ASK%20%7B"}, 400),
        ({"query_string": "query=ASK{}&query=ASK{}"}, 400),
        ({"method": "POST", "data": "ASK {}"}, 400),
        ({"method": "POST", "data": "ASK {}", "content_type": "text/plain"}, 415),
        ({"method": "PUT", "query_string": "query=ASK{}"}, 405),
        ({"query_string": "update=CLEAR%20ALL"}, 405),
    ],
)
def test_protocol_errors(client, request_kwargs, status):
    method = request_kwargs.pop("method", "GET")
    response = client.open("/sparql", method=method, **request_kwargs)
    assert response.status_code == status
    if status == 405 and method == "PUT":
        assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_syntax_error_names_the_position(client):
    response = get(client, "SELECT * WHERE { ?s ?p }", "application/problem+json")
    assert response.status_code == 400
    body = response.get_json()
    assert body["line"] == 1 and body["column"] > 1
    assert "error at 1:" in body["detail"]


def test_query_over_max_bytes_is_413(tiny_dataset):
    small = make_client(tiny_dataset, max_query_bytes=100)
    assert get(small, "ASK {}" + " " * 200).status_code == 413
    direct = small.post(
        "/sparql", data="ASK {}" + " " * 200, content_type="application/sparql-query"
    )
    assert direct.status_code == 413


def test_deep_nesting_is_refused_before_the_engine(client):
    deep = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    response = get(client, deep)
    assert response.status_code == 400
    assert "nests" in response.get_data(as_text=True)
    assert get(client, SELECT).status_code == 200


def test_service_and_load_reach_no_host(updatable):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connected = []

    def accept():
        with contextlib.suppress(OSError):
            connected.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    remote = f"http://127.0.0.1:{port}/sparql"
    for query in (
        f"SELECT * {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <http://127.0.0.1:{port}/> "
        "SELECT * { SERVICE SILENT r:sparql { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <" + remote + "> { ?s ?p ?o } }",
        "SELECT * { ?x ?y ?z SERVICE ?x { ?s ?p ?o } }",
    ):
        assert get(updatable, query).status_code == 400, query
    load = updatable.post(
        "/sparql",
        data=f"LOAD <{remote}>",
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert load.status_code == 400
    thread.join()
    listener.close()
    assert connected == []


def test_result_limit_is_announced(tiny_dataset):
    limited = make_client(tiny_dataset, result_limit=2)
    response = get(limited, "SELECT * { ?s ?p ?o }")
    assert len(response.get_json()["results"]["bindings"]) == 2
    assert response.headers["NearKG-Results-Truncated"] == "true; limit=2"
    full = get(limited, "SELECT * { ?s ?p ?o } LIMIT 2")
    assert "NearKG-Results-Truncated" not in full.headers


def test_default_graph_is_the_union_unless_the_request_names_graphs(client):
    ask = f"ASK {{ <{REGION}> ?p ?o }}"
    assert get(client, ask).get_json()["boolean"] is True
    other = "https://w3id.org/near/graph/ontology/near"
    assert get(client, ask, **{"default-graph-uri": other}).get_json()["boolean"] is False
    from_query = f"ASK FROM <{other}> {{ <{REGION}> ?p ?o }}"
    assert get(client, from_query).get_json()["boolean"] is False


def test_cors_and_preflight(client):
    assert get(client, "ASK {}").headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"Origin": "http://example.org", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 204
    methods = {m.strip() for m in preflight.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", ["/sparql", "/", "/def", "/doc/region/JP-32.ttl", "/reconcile"])
def test_allow_lists_head_wherever_get_is(client, path):
    answer = client.options(path)
    assert answer.status_code in (200, 204)
    allowed = {m.strip() for m in answer.headers["Allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS"} <= allowed
    assert client.head(path).status_code == 200  # and HEAD works there
    preflight = client.options(
        path, headers={"Origin": "http://example.org", "Access-Control-Request-Method": "HEAD"}
    )
    assert preflight.status_code == answer.status_code
    assert "HEAD" in preflight.headers["Access-Control-Allow-Methods"]


def test_updates_are_off_by_default(client):
    response = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403
    assert "NEARKG_UPDATE_TOKEN" in response.get_data(as_text=True)
    assert get(client, f"ASK {{ <{REGION}> ?p ?o }}").get_json()["boolean"] is True


def test_updates_need_the_token(updatable):
    update = {"update": "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }"}
    assert updatable.post("/sparql", data=update).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert updatable.post("/sparql", data=update, headers=wrong).status_code == 401
    right = {"Authorization": f"Bearer {TOKEN}"}
    assert updatable.post("/sparql", data=update, headers=right).status_code == 204
    ask = "ASK { <http://ex/a> <http://ex/b> <http://ex/c> }"
    assert get(updatable, ask).get_json()["boolean"] is True


def test_a_failed_update_changes_nothing(updatable):
    text = (
        "INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/b> <http://ex/c> } } ;"
        " CLEAR ALL ; INSERT DATA { <http://ex/x> <http://ex/y> <http://ex/z> } ;"
        " INSERT { ?s ?p ?o } WHERE { BIND(1/0 AS ?s) } ; CLEAR GRAPH <http://ex/missing>"
    )
    response = updatable.post(
        "/sparql",
        data=text,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert get(updatable, f"ASK {{ <{REGION}> ?p ?o }}").get_json()["boolean"] is True
    assert get(updatable, "ASK { GRAPH ?g { <http://ex/a> ?p ?o } }").get_json()["boolean"] is False


def test_service_description_for_clients_and_page_for_browsers(client):
    description = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert description.headers["Content-Type"] == "application/n-triples; charset=utf-8"
    text = description.get_data(as_text=True)
    assert "<http://localhost/sparql>" in text
    assert "/.well-known/void" in text
    assert "SPARQL11Update" not in text
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"
    assert "<textarea" in page.get_data(as_text=True)
    assert "PREFIX skos:" in page.get_data(as_text=True)


def test_query_page_escapes_and_links_locally(client):
    query = SELECT + ' # <script>alert("x")</script>'
    response = get(client, query, "text/html")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert 'href="http://localhost/id/region/JP-32"' in page
    assert ">Shimane Prefecture</a>" in page
    for name in ("json", "xml", "csv", "tsv"):
        assert f"format={name}" in page
    assert "NearKG-Results-Truncated" not in response.headers


def test_saved_queries_as_resources(tiny_dataset):
    (tiny_dataset / "sparql").mkdir()
    (tiny_dataset / "sparql" / "labels.rq").write_text(
        "# title: Labels of a thing\n"
        "# description: Its preferred labels.\n"
        f"# param: thing iri {REGION} The thing\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?thing ?label WHERE { ?thing skos:prefLabel ?label }\n"
        "ORDER BY ?label\n"
    )
    client = make_client(tiny_dataset)
    listing = client.get("/queries", headers={"Accept": "application/json"}).get_json()
    assert [q["name"] for q in listing["queries"]] == ["labels"]
    about = client.get("/queries/labels").get_json()
    assert about["title"] == "Labels of a thing"
    assert about["parameters"][0]["name"] == "thing"
    assert "<textarea" not in client.get("/queries/labels", headers={"Accept": "text/html"}).text
    results = client.get("/queries/labels/results", headers={"Accept": "text/csv"})
    assert results.get_data().decode().splitlines()[1:] == [
        f"{REGION},Shimane Prefecture",
        f"{REGION},島根県",
    ]
    other = client.get("/queries/labels/results", query_string={"thing": "http://ex/none"})
    assert other.get_json()["results"]["bindings"] == []
    bad = client.get("/queries/labels/results", query_string={"thing": "not an iri"})
    assert bad.status_code == 400 and "thing" in bad.get_data(as_text=True)
    assert client.get("/queries/missing").status_code == 404


def test_the_repository_saved_queries_run(tmp_path):
    client = make_client(REPO)
    names = [q["name"] for q in client.get("/queries").get_json()["queries"]]
    assert names
    for name in names:
        response = client.get(f"/queries/{name}/results", headers={"Accept": "text/csv"})
        assert response.status_code == 200, (name, response.get_data(as_text=True))
    del tmp_path


def test_ask_has_no_csv_form_and_answers_false_too(client):
    assert get(client, "ASK {}", "text/csv").status_code == 406  # CSV is for SELECT only
    assert json.loads(get(client, "ASK { <http://ex/none> ?p ?o }").get_data())["boolean"] is False


def test_nearkg_query_binds_saved_query_parameters(tiny_dataset):
    import subprocess
    import sys

    (tiny_dataset / "sparql").mkdir()
    (tiny_dataset / "sparql" / "code.rq").write_text(
        "# title: Code of a region\n"
        f"# param: region iri {REGION} The region\n"
        "SELECT ?region ?code WHERE { ?region <https://w3id.org/near/def#iso3166_2> ?code }\n"
    )
    base = [sys.executable, "-m", "service.cli", "query", "--data-dir", str(tiny_dataset)]
    ok = subprocess.run([*base, "code", "--format", "csv"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[1] == f"{REGION},JP-32"
    other = subprocess.run(
        [*base, "code", "--param", "region=http://ex/none", "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert other.stdout.splitlines()[1:] == []
    bad = subprocess.run([*base, "code", "--param", "region=nope"], capture_output=True, text=True)
    assert bad.returncode != 0 and "region" in bad.stderr


def test_a_wrong_token_is_told_apart_from_a_missing_one(updatable):
    headers = {"Content-Type": "application/sparql-update"}
    missing = updatable.post("/sparql", data="CLEAR ALL", headers=headers)
    assert missing.status_code == 401
    assert "error=" not in missing.headers["WWW-Authenticate"]
    wrong = updatable.post(
        "/sparql", data="CLEAR ALL", headers={**headers, "Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    assert wrong.headers["WWW-Authenticate"].startswith('Bearer realm="near-kg sparql update"')


def test_the_description_does_not_count_the_shapes_in_the_default_graph(client):
    import rdflib

    reply = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=reply.get_data(as_text=True), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.feature, sd.UnionDefaultGraph) not in graph
    default = graph.value(graph.value(service, sd.defaultDataset), sd.defaultGraph)
    parts = {str(o) for o in graph.objects(default, void.subset)}
    named = {str(graph.value(n, sd.name)) for n in graph.objects(None, sd.namedGraph)}
    shapes = {iri for iri in named if "/graph/shapes/" in iri}
    assert shapes and not shapes & parts
    assert parts == named - shapes


@pytest.mark.parametrize(
    ("query", "fmt", "says"),
    [
        ('SELECT * WHERE { BIND("a\\u0001b" AS ?x) }', "RESULTS_XML", "U+0001"),
        ('CONSTRUCT { <a:b> <a:p> "a\\uFFFFb" } WHERE {}', "RDF_XML", "U+FFFF"),
        ('CONSTRUCT { <a:b> <a:123> "v" } WHERE {}', "RDF_XML", "predicate <a:123>"),
        ("CONSTRUCT { <a:b> a <http://x/T/> } WHERE {}", "RDF_XML", "type <http://x/T/>"),
    ],
)
def test_the_web_workers_writer_refuses_what_xml_cannot_carry(query, fmt, says):
    """Where the query process did not write the answer (a remote SPARQL store's, through
    ``from_engine``), the web worker's writer refuses it as the query process does."""
    from service.http import formats
    from service.http.xml_output import NotXml
    from service.sparql import render
    from service.sparql.results import from_engine

    result = from_engine(ox.Store().query(query), 100)
    with pytest.raises(NotXml, match=re.escape(says)):
        render.body(result, getattr(formats, fmt))
    assert render.body(result, formats.TURTLE if "CONSTRUCT" in query else formats.RESULTS_JSON)
