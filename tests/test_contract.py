"""The shapes as a gate (load, serve), `nearkg validate`, and the /shapes and /validation pages."""

import json
import time
import urllib.request

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from loaders.settings import Settings
from loaders.store import KnowledgeStore, ValidationFailed
from service.cli.commands import main

from .conftest import make_app, nearkg, write_dataset

# A second, malformed ISO code on Shimane: breaks the contract (pattern and cardinality).
VIOLATION = {
    "data/turtle/broken-contract.ttl": (
        '<https://w3id.org/near/id/region/JP-32> <https://w3id.org/near/def#iso3166_2> "XX" .\n'
    )
}


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_real_data_has_only_the_sources_own_findings():
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the infos: no source states the ordinal of 1994 (inferred) or 1996 (planned)
    assert lines[0].startswith("SHACL (sparql): conforms; 0 violation(s), 2 warning(s), 2 info")
    warning = next(line for line in lines if line.startswith("Warning:"))
    # severity, focus label and IRI, path, value, message, source file
    assert '"1st NEAR Conference (1993)" <https://w3id.org/near/id/conference/1993>' in warning
    assert "path near:statedParticipantCount" in warning and '"11"' in warning
    assert "states 11 participants but 9" in warning
    assert "[data/turtle/conferences/1993.ttl]" in warning
    assert "By shape:" in result.output


@pytest.mark.parametrize("fmt", ["turtle", "json"])
def test_validate_machine_formats(fmt):
    result = invoke("validate", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        report = json.loads(result.output)
        assert report["conforms"] is True and report["counts"]["Warning"] == 2
    else:
        graph = Graph().parse(data=result.output, format="turtle")
        assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 4


def test_validate_exits_1_on_violations_and_names_the_file(real_dataset):
    write_dataset(real_dataset, VIOLATION)
    result = invoke("validate", "--data-dir", str(real_dataset))
    assert result.exit_code == 1
    assert "Violation:" in result.output
    assert "data/turtle/broken-contract.ttl" in result.output


def test_validate_timing_compares_both_engines():
    result = CliRunner().invoke(main, ["validate", "--timing", "--engine", "both"])
    assert result.exit_code == 0, result.output
    assert "fast:" in result.stderr and "pyshacl:" in result.stderr
    assert "disagree" not in result.stderr


def test_load_refuses_violations_and_keeps_the_previous_data(real_dataset):
    settings = Settings.from_env({}, data_dir=real_dataset)
    store = KnowledgeStore(settings)
    before = store.reload()
    write_dataset(real_dataset, VIOLATION)
    with pytest.raises(ValidationFailed) as caught:
        store.reload()
    assert caught.value.exit_code == 1
    assert "violation" in str(caught.value)
    assert store.snapshot is before
    allowed = store.reload(allow_invalid=True)
    assert allowed.allow_invalid and allowed.validation.has_violations


def test_nearkg_load_exits_1_on_violations(real_dataset):
    write_dataset(real_dataset, VIOLATION)
    completed = nearkg("load", "--data-dir", str(real_dataset), timeout=300)
    assert completed.returncode == 1
    assert "SHACL violation" in completed.stderr
    assert "broken-contract.ttl" in completed.stderr


@pytest.mark.server
def test_a_violating_load_leaves_the_server_serving(real_dataset, tmp_path, start_server):
    store = tmp_path / "store"
    server = start_server(
        "--data-dir",
        str(real_dataset),
        "--store",
        str(store),
        env={"NEARKG_RELOAD_CHECK_SECONDS": "0.2"},
    )

    def triples():
        with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
            return json.load(response)["triples"]

    before = triples()
    write_dataset(real_dataset, VIOLATION)
    completed = nearkg("load", "--data-dir", str(real_dataset), "--store", str(store), timeout=300)
    assert completed.returncode == 1
    time.sleep(0.6)
    assert triples() == before


def client_for(settings, *, allow_invalid=False):
    app = make_app(settings.data_dir, validator=True, allow_invalid=allow_invalid)
    return app.test_client()


def test_allow_invalid_is_shown_on_the_home_page(real_dataset):
    write_dataset(real_dataset, VIOLATION)
    settings = Settings.from_env({}, data_dir=real_dataset)
    page = client_for(settings, allow_invalid=True).get("/").get_data(as_text=True)
    assert "--allow-invalid" in page and 'href="/validation"' in page


def test_home_page_has_no_banner_for_valid_data():
    page = client_for(Settings.from_env({})).get("/").get_data(as_text=True)
    assert "--allow-invalid" not in page


@pytest.fixture(scope="module")
def client():
    return client_for(Settings.from_env({}))


@pytest.mark.parametrize(
    ("path", "accept", "status", "media_type"),
    [
        ("/shapes", "text/html", 200, "text/html"),
        ("/shapes", None, 200, "text/turtle"),
        ("/shapes", "application/ld+json", 200, "application/ld+json"),
        ("/shapes.nt", "text/html", 200, "application/n-triples"),
        ("/shapes", "image/png", 406, None),
        ("/shapes.png", None, 404, None),
        ("/validation", "text/html", 200, "text/html"),
        ("/validation", "text/turtle", 200, "text/turtle"),
        ("/validation.rdf", None, 200, "application/rdf+xml"),
        ("/validation.json", None, 200, "application/json"),
    ],
)
def test_contract_documents(client, path, accept, status, media_type):
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    if media_type:
        assert response.mimetype == media_type
    if status == 200 and "." not in path:
        assert "Accept" in response.headers["Vary"]


def test_shapes_page_lists_every_node_shape_and_rdf_holds_them(client):
    turtle = client.get("/shapes.ttl").get_data(as_text=True)
    graph = Graph().parse(data=turtle, format="turtle")
    shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    assert len(shapes) > 20
    page = client.get("/shapes.html").get_data(as_text=True)
    for shape in shapes:
        assert f'id="{str(shape).rsplit("#", 1)[1]}"' in page


def test_validation_page_shows_the_warnings_with_their_files(client):
    page = client.get("/validation.html").get_data(as_text=True)
    assert "states 11 participants but 9" in page
    assert "data/turtle/conferences/1995.ttl" in page
    report = Graph().parse(data=client.get("/validation.ttl").data, format="turtle")
    assert (None, SH.conforms, None) in report


def test_void_links_the_contract(client):
    void = client.get("/.well-known/void", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "/shapes>" in void and "/validation>" in void


def test_the_report_travels_with_a_published_generation(tmp_path):
    """A worker or a restart opens the on-disk generation: the report of the load comes along."""
    settings = Settings.from_env({}, store_path=tmp_path / "store")
    loaded = KnowledgeStore(settings)
    report = loaded.reload().validation
    reopened = KnowledgeStore.open(settings, validator=False)  # no validator: must not recompute
    assert reopened.snapshot.generation == loaded.snapshot.generation
    restored = reopened.snapshot.validation
    assert restored is not None and restored.keys() == report.keys()
    assert [r.focus_label for r in restored.sorted_results()] == [
        r.focus_label for r in report.sorted_results()
    ]
    assert restored.to_text() == report.to_text()
