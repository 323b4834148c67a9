"""Binding user terms into a query sent to a remote store, where pyoxigraph's
``substitutions`` are not available.

The terms are inlined as a ``VALUES`` block at the top of the query's outermost group pattern::

    SELECT ?label WHERE { VALUES (?this) { (<https://w3id.org/near/id/region/JP-32>) } ... }

Why this is safe (no injection):

- Only pyoxigraph term objects are accepted (``NamedNode``, ``Literal``), never strings. They were
  validated when they were built: a ``NamedNode`` cannot hold ``>``, spaces, quotes or braces; a
  ``Literal`` is any string, but
- each term is written with pyoxigraph's own N-Triples serialisation (``str(term)``), which
  escapes ``"``, ``\\``, line feeds and control characters, so a literal can never end its
  string early; N-Triples terms are valid SPARQL terms.
- Variable names go through ``pyoxigraph.Variable``, which refuses anything but a name.
- Blank nodes are refused (in a query ``_:b`` is a fresh variable, not that node), and so are
  triple terms.
- The only place text is inserted is found by a small lexer that skips IRIs, strings and
  comments, and the resulting query is parsed again by pyoxigraph before it leaves.

Meaning: a VALUES block at the top of the outermost group joins the bound value with that group,
like an initial binding; the saved queries and ``describe``/``exists`` use their parameters in
basic graph patterns of that group, where both mean the same.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

_TOKEN = re.compile(
    r"""
      (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<comment>\#[^\n\r]*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<word>[A-Za-z]+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def term_text(term) -> str:
    """The SPARQL text of an already validated pyoxigraph term."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    raise ValueError(f"cannot bind {type(term).__name__} on a remote store: only IRIs and literals")


def variable_name(key) -> str:
    return (ox.Variable(key) if isinstance(key, str) else key).value


def values_block(substitutions: dict) -> str:
    names = [variable_name(k) for k in substitutions]
    terms = [term_text(v) for v in substitutions.values()]
    head = " ".join(f"?{name}" for name in names)
    return f"VALUES ({head}) {{ ({' '.join(terms)}) }}"


def where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's outermost group pattern (its WHERE clause)."""
    depth = 0
    groups_closed = 0
    construct = False
    words: list[str] = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().upper()
            words.append(word)
            if word == "CONSTRUCT" and depth == 0:
                construct = True
        elif kind == "open":
            if depth == 0:
                # a CONSTRUCT's first group is its template, unless it is `CONSTRUCT WHERE {`
                template = construct and groups_closed == 0 and words[-1:] != ["WHERE"]
                if not template:
                    if construct and words[-2:] == ["CONSTRUCT", "WHERE"]:
                        raise ValueError("cannot bind terms into the short form CONSTRUCT WHERE")
                    return match.start()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0:
                groups_closed += 1
    raise ValueError("the query has no WHERE group to bind terms in")


FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs, strings,
    comments and prefixed names; None if there is none (the store will refuse the query)."""
    for match in _TOKEN.finditer(query):
        word = match.group().upper()
        if (
            match.lastgroup == "word"
            and word in FORMS
            and query[match.end() : match.end() + 1] != ":"
        ):
            return word
    return None


_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:")


def has_relative_iri(query: str) -> bool:
    """Whether an IRI written in the query is relative (needs a base to resolve)."""
    return any(
        match.lastgroup == "iri" and not _ABSOLUTE.match(match.group())
        for match in _TOKEN.finditer(query)
    )


def inline(query: str, substitutions: dict) -> str:
    """The query with ``substitutions`` bound by a VALUES block (see the module docstring)."""
    if not substitutions:
        return query
    at = where_brace(query) + 1
    bound = query[:at] + " " + values_block(substitutions) + " " + query[at:]
    ox.Store().query(bound)  # parse again: raises SyntaxError if the result is not a query
    return bound
