"""The nearkg command, through Click's runner and as a real subprocess."""

import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from service.cli.commands import main

from .conftest import REPO, nearkg, write_dataset


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert "nearkg" in result.output


@pytest.mark.parametrize("command", ["load", "serve", "query", "export", "validate", "ingest"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"nearkg {command}" in result.output


def test_load_prints_triples_per_graph_and_time(tiny_dataset):
    result = run("load", "--data-dir", str(tiny_dataset))
    assert result.exit_code == 0, result.output
    assert "graph/data/regions" in result.output
    assert "triples in the default graph" in result.output
    assert " s" in result.output.splitlines()[-1]


def test_load_of_broken_turtle_exits_2_with_location(tiny_dataset):
    write_dataset(tiny_dataset, {"data/turtle/bad.ttl": "@prefix ex: <http://ex/> .\nex:a ex:b ."})
    completed = nearkg("load", "--data-dir", str(tiny_dataset))
    assert completed.returncode == 2
    assert "data/turtle/bad.ttl:2:" in completed.stderr


def test_query_string_in_every_results_format(tiny_dataset):
    q = "SELECT ?code WHERE { ?r <https://w3id.org/near/def#iso3166_2> ?code }"
    for fmt, expected in [
        ("csv", "code\r\nJP-32"),
        ("tsv", '?code\n"JP-32"'),
        ("json", '"JP-32"'),
        ("xml", "<literal>JP-32</literal>"),
        (None, "JP-32"),
    ]:
        args = ["query", "--data-dir", str(tiny_dataset), q] + (["--format", fmt] if fmt else [])
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert expected in result.stdout_bytes.decode()


def test_query_construct_as_ntriples(tiny_dataset):
    q = "CONSTRUCT WHERE { ?r <https://w3id.org/near/def#iso3166_2> ?code }"
    result = run("query", "--data-dir", str(tiny_dataset), q, "--format", "ntriples")
    assert result.exit_code == 0
    assert (
        '<https://w3id.org/near/id/region/JP-32> <https://w3id.org/near/def#iso3166_2> "JP-32" .'
        in result.output
    )


def test_malformed_query_exits_2_with_parser_message(tiny_dataset):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "query",
            "--data-dir",
            str(tiny_dataset),
            "SELECT * WHERE { ?s }",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "error at 1:" in completed.stderr


EXPORTED = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
}


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("nquads", "<https://w3id.org/near/graph/data/regions> ."),
        ("trig", "<https://w3id.org/near/graph/data/regions> {"),
        ("turtle", "skos:prefLabel"),
    ],
)
def test_export_formats(tiny_dataset, tmp_path, fmt, marker):
    out = tmp_path / f"dump.{fmt}"
    result = run("export", "--data-dir", str(tiny_dataset), "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert marker in text
    # the file reads back in its format: the data graph is there, with its graph name where
    # the format keeps one
    parsed = list(ox.parse(out.read_bytes(), EXPORTED[fmt]))
    regions = [q for q in parsed if q.subject.value.endswith("/id/region/JP-32")]
    assert regions
    if fmt != "turtle":
        assert {q.graph_name.value for q in regions} == {"https://w3id.org/near/graph/data/regions"}
    assert "sh:NodeShape" not in text and "shacl#NodeShape" not in text  # shapes are not data


def test_saved_query_by_name_with_a_bound_parameter():
    result = run(
        "query",
        "conference-participants",
        "--format",
        "csv",
        "--param",
        "conference=https://w3id.org/near/id/conference/1993",
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout_bytes.decode().splitlines()
    assert len(lines) == 1 + 9  # header and the nine listed participants
    assert all("conference/1993" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("params", "message"),
    [(["--param", "nope=1"], "nope"), (["--param", "conference=not an iri"], "conference")],
)
def test_saved_query_rejects_bad_parameters(params, message):
    result = CliRunner().invoke(main, ["query", "conference-participants", *params])
    assert result.exit_code == 2
    assert message in result.output
