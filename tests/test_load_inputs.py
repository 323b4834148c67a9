"""Every input of a load is read whole or the load fails with a message naming it: paths that are
not readable regular files, literals not valid for their datatype, invisible characters, a
literal beyond the parser's limit, broken shapes (issue 17). Nothing is published then."""

from __future__ import annotations

import os
import re

import pytest

from loaders.store import CURRENT

from .conftest import nearkg


def load_fails(dataset, *extra: str, code: int = 2):
    result = nearkg("load", "--data-dir", str(dataset), *extra, timeout=120)
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_dangling_symbolic_link_fails_the_load_naming_it(tiny_dataset, tmp_path):
    store = tmp_path / "store"
    assert nearkg("load", "--data-dir", str(tiny_dataset), "--store", str(store)).returncode == 0
    before = (store / CURRENT).read_text()
    (tiny_dataset / "data/turtle/subcommittees.ttl").symlink_to(tmp_path / "gone.ttl")
    message = load_fails(tiny_dataset, "--store", str(store))
    assert "data/turtle/subcommittees.ttl: a symbolic link to" in message
    assert "does not exist" in message
    assert (store / CURRENT).read_text() == before
    # the read-only commands cannot serve a checkout with a hole either
    queried = nearkg("query", "--data-dir", str(tiny_dataset), "ASK { ?s ?p ?o }")
    assert queried.returncode == 2 and "subcommittees.ttl" in queried.stderr


def test_a_fifo_is_refused_without_being_opened(tiny_dataset):
    os.mkfifo(tiny_dataset / "data/turtle/pipe.ttl")  # opening it would block the load forever
    assert "data/turtle/pipe.ttl: not a regular file" in load_fails(tiny_dataset)


def test_a_folder_named_like_a_turtle_file_is_refused(tiny_dataset):
    (tiny_dataset / "ontology/extra.ttl").mkdir()
    assert "ontology/extra.ttl: a folder" in load_fails(tiny_dataset)


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ('"2020-02-30"^^xsd:date', '"2020-02-30" is not a valid xsd:date'),
        ('"abc"^^xsd:integer', '"abc" is not a valid xsd:integer'),
        ('"1.5"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1.5" is not a valid xsd:integer'),
        ('"yes"^^xsd:boolean', '"yes" is not a valid xsd:boolean'),
    ],
)
def test_an_ill_typed_literal_fails_the_load_with_its_location(tiny_dataset, literal, shown):
    (tiny_dataset / "data/turtle/dates.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:a> <urn:label> "fine"^^xsd:string ;\n'
        f"    <urn:when> {literal} .\n"
    )
    message = load_fails(tiny_dataset)
    assert f"data/turtle/dates.ttl:3:16: {shown}" in message


def test_valid_typed_literals_load(tiny_dataset):
    (tiny_dataset / "data/turtle/dates.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:a> <urn:when> "2020-02-29"^^xsd:date, "-3"^^xsd:integer, "1995"^^xsd:gYear,'
        ' "true"^^xsd:boolean, "1e3"^^xsd:double, "P1Y2M"^^xsd:duration, 4, 4.5 .\n'
    )
    assert nearkg("load", "--data-dir", str(tiny_dataset)).returncode == 0


def test_a_byte_order_mark_is_shown_not_invisible(tiny_dataset):
    (tiny_dataset / "data/turtle/bom.ttl").write_text("\ufeff\ufeff<urn:a> <urn:b> <urn:c> .\n")
    message = load_fails(tiny_dataset)
    assert "\ufeff" not in message and "U+FEFF" in message and "bom.ttl:1:" in message


def test_a_literal_beyond_the_parser_limit_is_a_load_error(tiny_dataset):
    with (tiny_dataset / "data/turtle/huge.ttl").open("w") as handle:
        handle.write('<urn:a> <urn:b> "' + "x" * 50_000_000 + '" .\n')
    message = load_fails(tiny_dataset)
    assert re.search(r"data/turtle/huge\.ttl: .*(too long|limit)", message), message


SHAPES_HEAD = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix near: <https://w3id.org/near/def#> .\n"
)


@pytest.mark.parametrize(
    ("constraint", "shown"),
    [
        ('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p " ]', "sh:select is not valid"),
        (
            'sh:property [ sh:path near:iso3166_2 ; sh:pattern "([A-Z" ]',
            'sh:pattern "([A-Z" is not a valid regular expression',
        ),
    ],
)
def test_a_broken_shape_is_a_shape_error_naming_its_file(tiny_dataset, constraint, shown):
    (tiny_dataset / "shapes/extra.ttl").write_text(
        SHAPES_HEAD + f"<urn:S> a sh:NodeShape ; sh:targetClass near:Region ;\n    {constraint} .\n"
    )
    message = load_fails(tiny_dataset)
    assert re.search(r"shapes/extra\.ttl:4:\d+: shape error: ", message), message
    assert shown in message
    assert "JP-32" not in message  # not blamed on the data it would have failed


def test_a_dangling_link_to_a_folder_of_data_fails_the_load(tiny_dataset, tmp_path):
    (tiny_dataset / "data/turtle/conferences").symlink_to(tmp_path / "moved-away")
    assert "data/turtle/conferences: a symbolic link to" in load_fails(tiny_dataset)


def test_a_linked_folder_of_data_is_loaded(tiny_dataset, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "extra.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    (tiny_dataset / "data/turtle/linked").symlink_to(elsewhere)
    (elsewhere / "loop").symlink_to(elsewhere)  # a loop ends
    result = nearkg("load", "--data-dir", str(tiny_dataset))
    assert result.returncode == 0, result.stderr
    assert "data/turtle/linked/extra.ttl" in result.stdout
