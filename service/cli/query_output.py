"""Finding the query a CLI user means, and writing its result in the format they asked for."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from loaders.settings import Settings
from service.http.formats import by_cli_name


def resolve_query(argument: str, params: tuple[str, ...], settings: Settings):
    """(query text, substitutions) for a query string, a .rq file, or a saved query's name."""
    saved = Path(settings.data_dir) / "sparql" / f"{argument}.rq"
    path = Path(argument)
    if argument.endswith(".rq") and path.is_file():
        query = _load(path)
    elif "/" not in argument and " " not in argument and saved.is_file():
        query = _load(saved)
    else:
        if params:
            raise ValueError("--param applies to saved queries and .rq files only")
        return argument, None
    return _bind(query, params)


def _bind(query, params: tuple[str, ...]):
    given = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--param takes NAME=VALUE, got {item!r}")
        given[name] = value
    return query.text, query.substitutions(given)


def _load(path: Path):
    from loaders.saved_queries import SavedQueryError, load

    try:
        return load(path)
    except SavedQueryError as error:
        raise ValueError(str(error)) from error


def write(result, fmt: str | None, out) -> None:
    """Write a query's answer: a table for people (``table`` or no format), else the
    registry's format of that name (service.formats)."""
    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        if fmt in (None, "table"):
            if isinstance(result, ox.QueryBoolean):
                out.write(f"{bool(result)}\n".lower().encode())
            else:
                _table(result)
            return
        chosen = by_cli_name(fmt)
        if chosen.results is None:
            raise SystemExit(f"error: --format {fmt} is for graphs; use json, xml, csv or tsv")
        result.serialize(out, chosen.results)
        return
    chosen = by_cli_name(fmt or "turtle")
    if chosen.rdf is None:
        raise SystemExit(f"error: --format {fmt} is for SELECT and ASK; use an RDF format")
    rdf = chosen.rdf
    if rdf.supports_datasets:
        # a CONSTRUCT yields triples: write them in the default graph
        result = (ox.Quad(t.subject, t.predicate, t.object) for t in result)
    ox.serialize(result, out, rdf)


def _table(solutions: ox.QuerySolutions) -> None:
    from rich.console import Console
    from rich.table import Table

    names = [v.value for v in solutions.variables]
    table = Table(*names)
    rows = 0
    for solution in solutions:
        table.add_row(*[_term_text(solution[name]) for name in names])
        rows += 1
    console = Console()
    console.print(table)
    console.print(f"{rows} row(s)")


def _term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term.value) if hasattr(term, "value") else str(term)
