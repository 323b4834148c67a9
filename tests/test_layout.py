from pathlib import Path

import pytest

from loaders.layout import discover, folder_of_graph

BASE = "https://w3id.org/near/"


@pytest.mark.parametrize(
    ("relative", "graph"),
    [
        ("ontology/near.ttl", "graph/ontology/near"),
        ("data/turtle/regions.ttl", "graph/data/regions"),
        ("data/turtle/conferences/1993.ttl", "graph/data/conferences/1993"),
        ("shapes/near.ttl", "graph/shapes/near"),
    ],
)
def test_each_file_gets_a_graph_named_by_its_path(tmp_path: Path, relative, graph):
    (tmp_path / relative).parent.mkdir(parents=True)
    (tmp_path / relative).write_text("")
    [source] = discover(tmp_path)
    assert source.graph_iri(BASE) == BASE + graph
    assert folder_of_graph(BASE + graph, BASE) == graph.split("/")[1]


def test_only_turtle_files_in_the_three_folders_are_part_of_the_dataset(tmp_path: Path):
    for relative in ["data/turtle/a.ttl", "data/sources/x.txt", "sparql/q.rq", "notes/b.ttl"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    assert [s.relative for s in discover(tmp_path)] == ["a.ttl"]


def test_graph_folder_is_none_outside_our_graphs():
    assert folder_of_graph("http://example.org/graph/data/x", BASE) is None
    assert folder_of_graph(BASE + "graph/other/x", BASE) is None
