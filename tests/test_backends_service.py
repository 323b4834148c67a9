"""Every service route answers the same on every backend: the real data loaded into embedded
pyoxigraph, Oxigraph server and Virtuoso, each page compared with the embedded answer."""

from __future__ import annotations

import gzip
import json
import re
import shutil

import pyoxigraph as ox
import pytest

from loaders.settings import Settings
from loaders.store import KnowledgeStore
from service.app import create_app

from .backends import BACKENDS, REMOTE
from .conftest import REPO

RDF = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# what differs between two loads of the same files: the load time, wherever it is shown
LOAD_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d| UTC)?")


@pytest.fixture(scope="module")
def real_data(tmp_path_factory):
    target = tmp_path_factory.mktemp("real")
    for folder in ("ontology", "data", "shapes", "sparql"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


def _client(settings: Settings, *, push: bool):
    store = KnowledgeStore(settings)
    store.reload()
    return create_app(settings, store=store).test_client()


@pytest.fixture(scope="module")
def reference(real_data):
    return _client(Settings.from_env({}, data_dir=real_data), push=False)


@pytest.fixture(scope="module", params=BACKENDS)
def served(request, real_data):
    env = {}
    if request.param in REMOTE:
        env = request.getfixturevalue(f"{request.param}_server").environment()
    return request.param, _client(Settings.from_env(env, data_dir=real_data), push=True)


def same_answer(served, reference, path: str, accept: str = "text/html", **kwargs):
    name, client = served
    ours = client.get(path, headers={"Accept": accept}, **kwargs)
    theirs = reference.get(path, headers={"Accept": accept}, **kwargs)
    assert ours.status_code == theirs.status_code, (name, path, ours.get_data(as_text=True)[:500])
    mime = theirs.mimetype
    assert ours.mimetype == mime
    body, expected = ours.get_data(), theirs.get_data()
    if ours.headers.get("Content-Encoding") == "gzip" or path.endswith(".gz"):
        body, expected = gzip.decompress(body), gzip.decompress(expected)
    if path.endswith(".nq.gz"):
        mime = "application/n-quads"
    if mime in RDF:
        ours_graph, want = graph_of(body, RDF[mime]), graph_of(expected, RDF[mime])
        if name == "virtuoso":
            ours_graph, want = (virtuoso_integers(g) for g in (ours_graph, want))
        assert ours_graph == want, (name, path)
    elif mime.endswith("json"):
        assert json.loads(body) == json.loads(expected), (name, path)
    else:
        text, want = (LOAD_TIME.sub("T", b.decode()) for b in (body, expected))
        assert text == want, (name, path)
    return ours


def virtuoso_integers(dataset: ox.Dataset) -> ox.Dataset:
    """Virtuoso 7.2 stores an xsd:integer beyond 32 bits as xsd:decimal (docs/deployment.md):
    compare such numbers by value."""
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def same(term):
        if isinstance(term, ox.Literal) and term.datatype == decimal and term.value.isdigit():
            return ox.Literal(term.value, datatype=integer)
        return term

    return ox.Dataset(
        ox.Quad(q.subject, q.predicate, same(q.object), q.graph_name) for q in dataset
    )


def graph_of(body: bytes, rdf_format: ox.RdfFormat) -> ox.Dataset:
    quads = [
        q
        for q in ox.parse(body, format=rdf_format)
        if not (isinstance(q.object, ox.Literal) and LOAD_TIME.fullmatch(q.object.value))
    ]
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/members",
        "/conferences",
        "/browse/region",
        "/doc/region/JP-32.html",
        "/doc/conference/1995.html",
        "/graph/data/regions",
        "/def",
        "/queries",
        "/queries/members-per-country",
        "/sparql",
        "/sparql?query=SELECT+%3Fs+%3Fo+WHERE+%7B+%3Fs+%3Chttps%3A%2F%2Fw3id.org%2Fnear%2Fdef%23"
        "governs%3E+%3Fo+%7D+ORDER+BY+%3Fs+LIMIT+5",
    ],
)
def test_pages(served, reference, path):
    same_answer(served, reference, path, "text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/doc/region/JP-32.ttl",
        "/doc/government/JP-32.nt",
        "/doc/declaration/khabarovsk-1995.ttl",
        "/graph/data/conferences/1993.ttl",
        "/def.ttl",
        "/.well-known/void",
    ],
)
def test_rdf_documents(served, reference, path):
    same_answer(served, reference, path, "text/turtle")


def test_thing_uri_redirects_the_same(served, reference):
    ours = same_answer(served, reference, "/id/region/JP-32", "text/turtle")
    assert ours.status_code == 303 and ours.headers["Location"].endswith("/doc/region/JP-32.ttl")
    same_answer(served, reference, "/id/region/XX-99", "text/turtle")  # 404 on both


def test_search_and_sitemap(served, reference):
    same_answer(served, reference, "/search?q=shimane", "application/json")
    same_answer(served, reference, "/sitemap.xml", "application/xml")


def test_dumps(served, reference):
    same_answer(served, reference, "/dumps/near-kg.nq.gz", "*/*")
    same_answer(served, reference, "/dumps/near-kg.ttl", "text/turtle")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?label WHERE { <https://w3id.org/near/id/region/JP-32> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY LANG(?label)",
        "ASK { ?s a <https://w3id.org/near/def#Region> }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/near/graph/data/regions> "
        "WHERE { ?s ?p ?o }",
        "SELECT ?x WHERE { BIND(<relative> AS ?x) }",
    ],
)
def test_sparql_endpoint_select_and_ask(served, reference, query):
    same_answer(
        served,
        reference,
        "/sparql",
        "application/sparql-results+json",
        query_string={"query": query},
    )


def test_sparql_endpoint_construct(served, reference):
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
        "FILTER(?s = <https://w3id.org/near/id/conference/1995>) }"
    )
    same_answer(
        served, reference, "/sparql", "application/n-triples", query_string={"query": query}
    )


def test_sparql_endpoint_errors(served, reference):
    name, client = served
    malformed = client.get("/sparql", query_string={"query": "SELEC"}, headers={"Accept": "*/*"})
    assert malformed.status_code == 400
    assert malformed.get_data(as_text=True).startswith("400 Bad Request: malformed query: ")
    assert "define input:" not in malformed.get_data(as_text=True)  # Virtuoso's own rewrite
    refused = client.post(
        "/sparql",
        data={"update": "INSERT DATA { <http://ex/a> <http://ex/b> 1 }"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 403  # off without NEARKG_UPDATE_TOKEN, and never on a remote


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "sparql").glob("*.rq")))
def test_saved_query_results(served, reference, name):
    same_answer(served, reference, f"/queries/{name}/results", "application/sparql-results+json")
