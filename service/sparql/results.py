"""A query's answer, independent of any output format.

The engine writes it once, in lossless canonical forms (SPARQL JSON results for solutions,
N-Triples for graphs); every renderer reads it from there. It crosses the pipe from the
query process to the web worker as plain bytes.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# pyoxigraph's result and RDF parsers read no token (a literal) longer than this
MAX_VALUE_BYTES = 16 * 1024 * 1024


class ValueTooLarge(ValueError):
    """A value in the result is longer than the parsers read (``MAX_VALUE_BYTES``)."""

    def __init__(self) -> None:
        super().__init__(
            f"a value in this result is longer than {MAX_VALUE_BYTES // (1024 * 1024)} MiB, "
            "more than this endpoint sends; select a part of it (SUBSTR) or its length (STRLEN)"
        )


def reparse_guard(error: MemoryError) -> Exception:
    """pyoxigraph's parsers raise MemoryError for a token past their buffer: a value too
    large, not a process out of memory."""
    return ValueTooLarge() if "buffer maximal size" in str(error) else error


@dataclass
class Result:
    kind: str  # "solutions", "boolean" or "graph"
    payload: bytes = b""  # SPARQL JSON results, or N-Triples
    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    count: int = 0  # rows or triples in the payload
    truncated: bool = False
    limit: int = 0
    # the answer already written in ``media_type`` by the query process (then no payload)
    rendered: bytes | None = None
    media_type: str | None = None
    # a graph's triples as the engine gave them, kept (in the query process only, never sent)
    # when the process writes the final bytes itself: no N-Triples written and read back
    terms: list[ox.Triple] | None = field(default=None, repr=False, compare=False)

    def solutions(self) -> ox.QuerySolutions:
        """A fresh iterator over the solutions (each renderer takes its own)."""
        solutions = ox.parse_query_results(self.payload, ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions), "the payload holds solutions"
        return solutions

    def triples(self) -> list[ox.Triple]:
        if self.terms is not None:
            return list(self.terms)
        return list(ox.parse(self.payload, ox.RdfFormat.N_TRIPLES))


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def from_engine(answer, limit: int, *, keep_terms: bool = False) -> Result:
    """Read the engine's answer, at most ``limit`` rows or triples, saying if more existed.
    ``keep_terms``: a graph keeps its triples instead of its N-Triples payload (the query
    process renders it at once)."""
    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        rows: list[dict] = []
        truncated = False
        for solution in answer:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append(
                {name: term_json(solution[name]) for name in names if solution[name] is not None}
            )
        body = {"head": {"vars": list(names)}, "results": {"bindings": rows}}
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Result("solutions", payload, None, names, len(rows), truncated, limit)
    triples: list[ox.Triple] = []
    truncated = False
    for triple in answer:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append(triple)
    if keep_terms:
        return Result("graph", b"", None, (), len(triples), truncated, limit, terms=triples)
    out = io.BytesIO()
    ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    return Result("graph", out.getvalue(), None, (), len(triples), truncated, limit)
