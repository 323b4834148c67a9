"""The query page: an editor, examples, and results as an HTML table; no JavaScript needed.

The form is a plain GET to ``/sparql``, so every result has a shareable URL; the server runs
the query and renders the table. Templates autoescape, so query text and terms are escaped.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, render_template

from loaders import saved_queries
from loaders.namespaces import prefixes
from service.http import context
from service.http.errors import ApiError
from service.http.request_view import RequestView
from service.linked_data.labels import pick
from service.pages.page_links import page_url
from service.sparql import render
from service.sparql.results import Result

HTML_ROWS = 1000
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
EXAMPLE = """SELECT ?region ?name WHERE {
  ?region a near:Region ; skos:prefLabel ?name .
  FILTER(lang(?name) = "en")
}
ORDER BY ?name
LIMIT 20"""
FORMAT_NAMES = {
    "solutions": ["json", "xml", "csv", "tsv"],
    "boolean": ["json", "xml"],  # CSV and TSV are for SELECT only
    "graph": ["turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads"],
}


def prefix_block() -> str:
    table = prefixes(context.settings().base)
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in table.items())


def examples() -> list:
    folder = context.settings().data_dir / "sparql"
    try:
        return saved_queries.list_queries(folder)
    except (saved_queries.SavedQueryError, OSError):
        return []


def query_page(view: RequestView, address: str, editor: str | None = None) -> Response:
    """The page with an empty result: ``editor`` (``?editor=``) or an example in the editor."""
    text = editor or prefix_block() + "\n" + EXAMPLE
    return _page(view, address, text, None, None, [])


def error_page(view: RequestView, address: str, text: str, error: ApiError) -> Response:
    """The query page again, with the query as it was sent and what is wrong with it (the
    line marked), answered with the error's status: a mistake never loses the query."""
    extra = error.extra or {}
    line, column = extra.get("line"), extra.get("column")
    query_error = {
        "detail": error.description,
        "line": line,
        "column": column,
        "excerpt": _excerpt(text, line, column),
    }
    response = _page(view, address, text, None, None, [], query_error=query_error)
    response.status_code = error.code or 400
    return response


def _excerpt(text: str, line: int | None, column: int | None) -> str | None:
    """The line the error is on with a caret under its column (both counted from 1)."""
    lines = text.splitlines()
    if not line or not 1 <= line <= len(lines):
        return None
    caret = " " * max(0, (column or 1) - 1) + "^"
    return f"{line:>4} | {lines[line - 1]}\n       {caret}"


def query_terms() -> dict:
    """The ontology's classes and properties and our prefixes, for the editor's completion."""
    from service.linked_data.ontology import ontology_triples

    owl, rdf, rdfs = (
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
    )
    class_types = {owl + "Class", rdfs + "Class"}
    property_types = {
        owl + "ObjectProperty", owl + "DatatypeProperty", owl + "AnnotationProperty",
        rdf + "Property",
    }  # fmt: skip
    classes, properties = set(), set()
    for triple in ontology_triples():
        subject, kind = triple.subject, triple.object
        if triple.predicate.value != rdf + "type" or not isinstance(subject, ox.NamedNode):
            continue
        if not isinstance(kind, ox.NamedNode):
            continue
        if kind.value in class_types:
            classes.add(subject.value)
        elif kind.value in property_types:
            properties.add(subject.value)
    return {
        "classes": sorted(classes),
        "properties": sorted(properties),
        "prefixes": prefixes(context.settings().base),
    }


def results_page(
    view: RequestView,
    result: Result,
    *,
    query: str,
    address: str,
    parameters: tuple[tuple[str, str], ...],
    saved=None,
) -> Response:
    """The page with a result's first ``HTML_ROWS`` rows; ``address`` and ``parameters`` (the
    request's URL and what it sent) make the links to the other formats and the share link."""
    if result.kind == "boolean":
        table = None
    elif result.kind == "solutions":
        rows = []
        for index, solution in enumerate(result.solutions()):
            if index >= HTML_ROWS:
                break
            rows.append([solution[name] for name in result.variables])
        table = (list(result.variables), rows)
    else:
        triples = result.triples()[:HTML_ROWS]  # quads in the default graph: no graph column
        table = (
            ["subject", "predicate", "object"],
            [[t.subject, t.predicate, t.object] for t in triples],
        )
    links = _downloads(result.kind, address, parameters)
    # the page again, in the language the reader chose (page_links.page_url)
    if saved is None:
        share = page_url(address, query=query)
    else:
        share = page_url(address + ("?" + urlencode(parameters) if parameters else ""))
    return _page(view, address, query, result, table, links, saved=saved, share=share)


def _downloads(kind: str, address: str, parameters) -> list[tuple[str, str]]:
    params = [(k, v) for k, v in parameters if k not in _FORMAT_KEYS]
    return [
        (name, address + "?" + urlencode([*params, ("format", name)]))
        for name in FORMAT_NAMES[kind]
    ]


_FORMAT_KEYS = {"format", "output", "results", "lang"}


def _page(
    view, address, text, result, table, links, *, saved=None, share=None, query_error=None
) -> Response:
    labels = _labels(view, table[1]) if table else {}
    html = render_template(
        "sparql.html",
        query_text=text,
        result=result,
        table=table,
        labels=labels,
        links=links,
        share=share,
        saved=saved,
        examples=examples(),
        html_rows=HTML_ROWS,
        cell=lambda term: _cell(view, term, labels),
        snapshot=view.snapshot,
        endpoint=address,
        query_error=query_error,
        query_terms=query_terms(),
    )
    return Response(html, 200, mimetype="text/html")


def _labels(view: RequestView, rows) -> dict[str, str]:
    """Labels of the IRIs shown: the first label predicate that has any (skos:prefLabel, then
    rdfs:label), in the page's language by the one fallback rule (service.labels.pick)."""
    wanted = view.language
    found: dict[str, str] = {}
    seen = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
    candidates = _label_candidates(view.snapshot, list(seen)[:2000])
    for iri in list(seen)[:2000]:
        for predicate in LABELS:
            by_language = {
                literal.language or "": literal.value
                for literal in reversed(candidates.get((iri, predicate), []))
                if isinstance(literal, ox.Literal)
            }
            chosen = pick(by_language, wanted)
            if chosen:
                found[iri] = chosen[0]
                break
    return found


def _label_candidates(snapshot, iris: list[str]) -> dict[tuple[str, str], list]:
    """(iri, label predicate) -> objects, from every graph of the store: read directly from an
    embedded store, with one query per 500 IRIs from a remote one."""
    found: dict[tuple[str, str], list] = {}
    if snapshot.store is not None:
        for iri in iris:
            for predicate in LABELS:
                pattern = (ox.NamedNode(iri), ox.NamedNode(predicate), None)
                quads = snapshot.store.quads_for_pattern(*pattern)
                found[(iri, predicate)] = [q.object for q in quads]
        return found
    predicates = " ".join(str(ox.NamedNode(p)) for p in LABELS)
    for start in range(0, len(iris), 500):
        subjects = " ".join(str(ox.NamedNode(iri)) for iri in iris[start : start + 500])
        query = (
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {predicates} }} "
            "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        for row in context.store().query(query, snapshot=snapshot):
            found.setdefault((row["s"].value, row["p"].value), []).append(row["o"])
    return found


def _cell(view: RequestView, term, labels: dict[str, str]) -> dict:
    """What the template shows for one term: text, link, and a note (language/datatype)."""
    if term is None:
        return {"text": "", "href": None, "note": None, "title": None}
    if isinstance(term, ox.NamedNode):
        href = view.local_url(term.value)  # an IRI of ours: its page on this host
        # a query makes any IRI (javascript:, data:, file:): only a web address is a link,
        # as on entity pages; the others are shown as text
        linked = href.startswith(("http://", "https://"))
        return {
            "text": labels.get(term.value, term.value),
            "href": href if linked else None,
            "note": None,
            "title": term.value,
        }
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "note": None, "title": None}
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else None
        if not note and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            note = _short(term.datatype.value)
        return {"text": term.value, "href": None, "note": note, "title": None}
    return {"text": str(term), "href": None, "note": None, "title": None}


def _short(iri: str) -> str:
    for name, namespace in prefixes(context.settings().base).items():
        if iri.startswith(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return f"<{iri}>"


__all__ = ["query_page", "results_page", "render"]
