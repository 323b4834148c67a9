"""loaders.saved_queries: header parsing, listing, and parameter strings to pyoxigraph terms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from loaders.saved_queries import (
    Param,
    SavedQueryError,
    find,
    list_queries,
    load,
    parse_header,
    to_term,
)

ROOT = Path(__file__).resolve().parent.parent
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

EXAMPLE = """\
# title: Participants of a conference
# description: The regional governments a conference page lists as participants, with the
#   number of participants the page states and the number it lists.
# param: conference iri https://w3id.org/near/id/conference/1995 The conference to list
# param: limit integer 10 How many rows
# param: lang lang en Language of the names
# param: word string hello A word
PREFIX near: <https://w3id.org/near/def#>
# not part of the header: title: nope
SELECT ?conference WHERE { ?conference a near:Conference }
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "b-query.rq").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "a-query.rq").write_text("# title: A\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "notes.txt").write_text("# title: not a query\n")
    return tmp_path


def test_header_of_the_model_example():
    title, description, params = parse_header(EXAMPLE)
    assert title == "Participants of a conference"
    assert description == (
        "The regional governments a conference page lists as participants, with the "
        "number of participants the page states and the number it lists."
    )
    assert [p.name for p in params] == ["conference", "limit", "lang", "word"]
    conference = params[0]
    assert conference == Param(
        "conference", "iri", "https://w3id.org/near/id/conference/1995", "The conference to list"
    )
    assert params[1].type == "integer" and params[1].default == "10"
    assert params[1].description == "How many rows"


def test_header_needs_a_title():
    with pytest.raises(SavedQueryError, match="title"):
        parse_header("# description: no title\nSELECT * {}\n", source="x.rq")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# param: x\n", "name type default"),
        ("# param: x float 1 d\n", "type 'float'"),
        ("# param: 1x string a d\n", "bad parameter name"),
        ("# param: x integer ten d\n", "must be an integer"),
        ("# param: x iri not-an-iri d\n", "absolute IRI"),
        ("# param: x string a d\n# param: x string b d\n", "declared twice"),
    ],
)
def test_bad_params_are_reported_with_their_line(line, message):
    with pytest.raises(SavedQueryError, match=message) as error:
        parse_header("# title: T\n" + line, source="q.rq")
    assert "q.rq" in str(error.value)


def test_list_and_find(folder):
    queries = list_queries(folder)
    assert [q.name for q in queries] == ["a-query", "b-query"]
    assert queries[0].params == ()
    b = find(folder, "b-query")
    assert b.title == "Participants of a conference"
    assert b.text == EXAMPLE
    assert b.path == folder / "b-query.rq"
    with pytest.raises(KeyError):
        find(folder, "missing")
    with pytest.raises(KeyError):
        find(folder, "../etc/passwd")
    assert list_queries(folder / "nowhere") == []


def test_the_repository_queries_all_parse():
    queries = list_queries(ROOT / "sparql")
    assert len(queries) == 14  # 10 + the four figure queries (issue 12)
    for query in queries:
        assert query.title and query.description, query.name
        for param in query.params:
            assert f"?{param.name}" in query.text


def test_iri_parameter():
    term = to_term("conference", "iri", "https://w3id.org/near/id/conference/1993")
    assert term == ox.NamedNode("https://w3id.org/near/id/conference/1993")
    for bad in ["conference/1993", "", "https://exa mple.org/", "<https://x.org/>", "x"]:
        with pytest.raises(ValueError, match="'conference'"):
            to_term("conference", "iri", bad)


def test_string_and_lang_parameters():
    assert to_term("word", "string", "Тояама муж") == ox.Literal("Тояама муж")
    assert to_term("lang", "lang", "mn") == ox.Literal("mn")
    assert to_term("lang", "lang", "zh-Hant") == ox.Literal("zh-Hant")
    with pytest.raises(ValueError, match="'lang'"):
        to_term("lang", "lang", "not a tag")


def test_term_parameter_reads_iris_and_literals_with_the_n_triples_parser():
    assert to_term("o", "term", '"Шиманэ муж"@mn') == ox.Literal("Шиманэ муж", language="mn")
    assert to_term("o", "term", '"JP-32"') == ox.Literal("JP-32")
    typed = to_term("o", "term", '"2"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>')
    assert typed.value == "2" and typed.datatype.value.endswith("#positiveInteger")
    iri = "https://w3id.org/near/id/region/JP-32"
    assert to_term("o", "term", iri) == ox.NamedNode(iri)
    assert to_term("o", "term", f"<{iri}>") == ox.NamedNode(iri)
    assert to_term("o", "term", "plain words") == ox.Literal("plain words")
    # more than one term, a statement smuggled in, a relative IRI, broken quoting: refused
    for bad in [
        '"a"@mn .\n<urn:x:a> <urn:x:b> <urn:x:c>',
        '"a" . <urn:x:a> <urn:x:b> "c"',
        "<not an iri>",
        "<relative>",
        '"unterminated',
        '"x"@',
    ]:
        with pytest.raises(ValueError, match="'o'"):
            to_term("o", "term", bad)


def test_integer_parameter():
    assert to_term("limit", "integer", "42") == ox.Literal("42", datatype=ox.NamedNode(XSD_INTEGER))
    assert to_term("limit", "integer", " +07 ").value == "7"
    for bad in ["4.2", "ten", "", "1e3"]:
        with pytest.raises(ValueError, match="'limit'"):
            to_term("limit", "integer", bad)


def test_substitutions_use_defaults_and_convert(folder):
    query = load(folder / "b-query.rq")
    subs = query.substitutions({"limit": "5"})
    assert subs[ox.Variable("conference")] == ox.NamedNode(
        "https://w3id.org/near/id/conference/1995"
    )
    assert subs[ox.Variable("limit")] == ox.Literal("5", datatype=ox.NamedNode(XSD_INTEGER))
    assert subs[ox.Variable("lang")] == ox.Literal("en")
    # an empty value (e.g. ?limit= in a URL) means the default
    assert query.substitutions({"limit": ""})[ox.Variable("limit")].value == "10"
    with pytest.raises(ValueError, match="unknown parameter"):
        query.substitutions({"nope": "1"})
    with pytest.raises(ValueError, match="'limit' must be an integer"):
        query.substitutions({"limit": "many"})


def test_substitutions_bind_in_pyoxigraph(folder):
    store = ox.Store()
    conference = ox.NamedNode("https://w3id.org/near/id/conference/1995")
    store.add(
        ox.Quad(
            conference,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("https://w3id.org/near/def#Conference"),
        )
    )
    query = load(folder / "b-query.rq")
    subs = {ox.Variable("conference"): query.param("conference").to_term(None)}
    rows = list(store.query(query.text, substitutions=subs))
    assert [r["conference"] for r in rows] == [conference]


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent.parent / "sparql").glob("*.rq")), ids=lambda p: p.stem
)
def test_every_saved_query_can_bind_its_parameters(path):
    """pyoxigraph binds a parameter only if the query projects it (SEP-0007): a query that
    does not would answer 500 at run time, so check each one against an empty store."""
    from loaders.saved_queries import load

    query = load(path)
    try:
        result = ox.Store().query(query.text, substitutions=query.substitutions({}))
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except RuntimeError as error:  # "does not contains variable ?x in its SELECT projection"
        pytest.fail(f"{path.name}: {error}")
