"""The shapes (shapes/near.ttl) and both validation engines (loaders.validation).

Data-driven, pySHACL-test style: each folder of tests/fixtures/shapes/ is one node shape with a
``valid.ttl`` (no results), an ``invalid.ttl`` and the exact results expected for it
(``expected.json``). Each fixture is validated against that node shape alone, by pyshacl (the
reference) and by the SPARQL fast path, and both must report exactly the expected results.
The real data must give the same results on both engines too.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from loaders.loading import parse_into
from loaders.settings import DEFAULT_BASE
from loaders.validation import (
    UnsupportedShape,
    ValidationReport,
    normalize_value,
    validate,
    validate_store,
    validate_with_pyshacl,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
SHAPES_IRI = "https://w3id.org/near/graph/shapes/near"
DATA_IRI = "https://w3id.org/near/graph/data/fixture"
ONTOLOGY_IRI = "https://w3id.org/near/graph/ontology/near"
NSH = "https://w3id.org/near/def/shapes#"


def shape_subset(shapes: Graph, shape) -> Graph:
    """The node shape ``shape`` with everything it uses (property shapes, lists, prefixes)."""
    out = Graph()
    todo, seen = [shape], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, BNode) or p in (SH.property, SH.sparql, SH.prefixes):
                todo.append(o)
    return out


def comparable(report: ValidationReport) -> list[str]:
    rows = []
    for r in report.results:
        r = dataclasses.replace(r, value=normalize_value(r.value), focus=normalize_value(r.focus))
        d = r.as_dict()
        d.pop("source_files")
        d.pop("focus_label")
        d["messages"] = sorted(d["messages"])
        rows.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
    return sorted(rows)


def expected_rows(folder: Path) -> list[str]:
    rows = []
    for d in json.loads((folder / "expected.json").read_text()):
        d["messages"] = sorted(d["messages"])
        if d["value"] and d["value"].get("datatype", "").endswith(
            ("positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger")
        ):
            d["value"]["datatype"] = "http://www.w3.org/2001/XMLSchema#integer"
        rows.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
    return sorted(rows)


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "near.ttl")


def _shapes() -> Graph:
    return Graph().parse(ROOT / "shapes" / "near.ttl")


def run_both(data_file: Path, shapes: Graph) -> tuple[ValidationReport, ValidationReport]:
    data = Graph().parse(data_file)
    ontology = _ontology()
    reference = validate_with_pyshacl(data + ontology, shapes)
    store = ox.Store()
    store.load(path=str(data_file), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(DATA_IRI))
    store.load(
        path=str(ROOT / "ontology" / "near.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(ONTOLOGY_IRI),
    )
    store.load(
        input=shapes.serialize(format="nt").encode(),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(SHAPES_IRI),
    )
    fast = validate_store(store, SHAPES_IRI, [DATA_IRI], [ONTOLOGY_IRI], {DATA_IRI: data_file.name})
    return reference, fast


FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []


def test_every_node_shape_has_fixtures():
    shapes = _shapes()
    names = {
        str(s)[len(NSH) :] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    }
    assert names == {p.name for p in FOLDERS}
    for folder in FOLDERS:
        assert {"valid.ttl", "invalid.ttl", "expected.json"} <= {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fixture(folder: Path):
    shapes = shape_subset(_shapes(), URIRef(NSH + folder.name))
    reference, fast = run_both(folder / "valid.ttl", shapes)
    assert comparable(reference) == [], reference.to_text()
    assert comparable(fast) == [], fast.to_text()
    expected = expected_rows(folder)
    assert expected, "an invalid fixture must give at least one result"
    reference, fast = run_both(folder / "invalid.ttl", shapes)
    assert comparable(reference) == expected, reference.to_text()
    assert comparable(fast) == expected, fast.to_text()
    assert reference.keys() == fast.keys()


@pytest.fixture(scope="module")
def real_store():
    store = ox.Store()
    graphs = parse_into(store, ROOT, DEFAULT_BASE)
    return store, graphs


def _args(real_store):
    store, graphs = real_store

    def of(folder):
        return [g.iri for g in graphs if g.folder == folder]

    return store, of("shapes"), of("data"), of("ontology"), {g.iri: g.file for g in graphs}


def test_real_data_same_results_on_both_engines(real_store):
    fast = validate_store(*_args(real_store))
    data = Graph()
    for path in sorted((ROOT / "data" / "turtle").rglob("*.ttl")):
        data.parse(path)
    data += _ontology()
    reference = validate_with_pyshacl(data, _shapes())
    assert comparable(fast) == comparable(reference)
    assert fast.keys() == reference.keys()


def test_real_data_conforms_with_the_sources_own_findings(real_store):
    report = validate_store(*_args(real_store))
    assert not report.has_violations, report.to_text()
    warnings = {(str(r.focus), str(r.value)) for r in report.results if r.severity == "Warning"}
    assert warnings == {
        ("https://w3id.org/near/id/conference/1993", "11"),
        ("https://w3id.org/near/id/conference/1995", "21"),
    }
    messages = " ".join(m for r in report.results for m in r.messages)
    assert "states 11 participants but 9" in messages
    assert "states 21 participants but 18" in messages
    infos = [r for r in report.results if r.severity == "Info"]
    # no source states the ordinal of 1994 (it is inferred: near:inferredOrdinal) or of 1996
    assert sorted(str(r.focus) for r in infos) == [
        "https://w3id.org/near/id/conference/1994",
        "https://w3id.org/near/id/conference/1996",
    ]
    assert all(
        r.source_files == ("data/turtle/conferences/1993.ttl",)
        for r in report.results
        if str(r.focus).endswith("/1993")
    )


def test_renderers(real_store):
    report = validate_store(*_args(real_store))
    text = report.to_text()
    assert (
        'Warning: "1st NEAR Conference (1993)" <https://w3id.org/near/id/conference/1993>' in text
    )
    assert "data/turtle/conferences/1993.ttl" in text and "By shape:" in text
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    assert len(set(g.subjects(RDF.type, SH.ValidationResult))) == len(report.results)
    assert (None, SH.conforms, None) in g
    doc = json.loads(report.to_json())
    assert doc["conforms"] is True and doc["counts"]["Warning"] == 2
    assert set(report.timing) >= {"compile", "queries", "total"}


def test_unsupported_constraint_is_refused_by_name(real_store):
    store, _shapes_iris, data, ontology, files = _args(real_store)
    extra = """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/near/def#Region> ;
            sh:or ( [ sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] ) .
    """
    iri = "https://example.org/graph/shapes"
    store.load(input=extra.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
    try:
        with pytest.raises(UnsupportedShape, match=r"<https://example.org/S>: sh:or"):
            validate_store(store, iri, data, ontology, files)
        report = validate(store, iri, data, ontology, files)
        assert report.engine == "pyshacl"
    finally:
        store.remove_graph(ox.NamedNode(iri))


def test_pyshacl_with_two_graphs_as_shacl_check_calls_it():
    data = Graph().parse(FIXTURES / "RegionShape" / "invalid.ttl") + _ontology()
    report = validate_with_pyshacl(data, _shapes())
    assert report.has_violations and report.to_text()


def test_the_gate_finds_the_same_under_another_base():
    """With NEARKG_BASE the shapes' SPARQL prefixes (sh:namespace literals) move with the data,
    so the SPARQL constraints keep matching and the sources' own findings stay warnings."""
    from loaders.settings import Settings
    from loaders.store import KnowledgeStore

    base = "http://127.0.0.1:9/near/"
    store = KnowledgeStore(Settings.from_env({"NEARKG_BASE": base}, data_dir=ROOT))
    report = store.reload().validation
    assert not report.has_violations, report.to_text()
    warnings = {str(r.focus) for r in report.results if r.severity == "Warning"}
    assert warnings == {base + "id/conference/1993", base + "id/conference/1995"}
