"""Saved queries (``sparql/*.rq``): their header, and their parameters as pyoxigraph terms.

The header format (docs/model.md): the file starts with comment lines ``# key: value``; a line
starting with ``#`` and two spaces continues the previous value. Keys are ``title``,
``description`` and ``param`` (repeatable): ``param: name type default description`` with type
one of ``iri``, ``string``, ``integer``, ``lang``, ``term`` (any RDF term: an absolute IRI, or a
term in N-Triples syntax such as ``"Шиманэ муж"@mn``, or else a plain string). The query binds
``?name``; runners pass the values with pyoxigraph ``substitutions``, never by pasting text into
the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

PARAM_TYPES = ("iri", "string", "integer", "lang", "term")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUERY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# RFC 3987 scheme, then no characters IRIs forbid (space, <>"{}|\^`)
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


class SavedQueryError(ValueError):
    """A saved query file is malformed (the message names the file and line)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # iri, string, integer, lang, term
    default: str | None
    description: str = ""

    def to_term(self, raw: str | None) -> ox.NamedNode | ox.Literal:
        """The pyoxigraph term for a URL/CLI value (``None`` or "" means the default)."""
        value = self.default if raw is None or raw == "" else raw
        if value is None:
            raise ValueError(f"parameter {self.name!r} is required ({self.type})")
        return to_term(self.name, self.type, value)


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    text: str = ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def substitutions(self, values: Mapping[str, str | None] | None = None) -> dict:
        """``{Variable: term}`` for every parameter: given values converted by type, the others
        their defaults. Unknown names raise ``ValueError`` naming them."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise ValueError(f"unknown parameter(s) for query {self.name!r}: {', '.join(unknown)}")
        return {ox.Variable(p.name): p.to_term(values.get(p.name)) for p in self.params}


def to_term(name: str, type_: str, value: str) -> ox.NamedNode | ox.Literal:
    """Convert one parameter string to a term; ``ValueError`` names the parameter."""
    if type_ == "iri":
        if not _ABSOLUTE_IRI.match(value):
            raise ValueError(f"parameter {name!r} must be an absolute IRI, got {value!r}")
        try:
            return ox.NamedNode(value)
        except ValueError as error:
            raise ValueError(f"parameter {name!r} is not a valid IRI: {error}") from error
    if type_ == "string":
        return ox.Literal(value)
    if type_ == "lang":
        if not _LANG.match(value):
            raise ValueError(f"parameter {name!r} must be a language tag, got {value!r}")
        return ox.Literal(value)
    if type_ == "integer":
        text = value.strip()
        if not _INTEGER.match(text):
            raise ValueError(f"parameter {name!r} must be an integer, got {value!r}")
        return ox.Literal(str(int(text)), datatype=XSD_INTEGER)
    if type_ == "term":
        return _any_term(name, value)
    raise ValueError(f"parameter {name!r} has unknown type {type_!r}")


_TERM_SUBJECT = "<urn:near-kg:parameter>"


def _any_term(name: str, value: str) -> ox.NamedNode | ox.Literal:
    """A ``term`` parameter: N-Triples syntax (``<iri>``, ``"text"@lang``,
    ``"1"^^<datatype>``) read by pyoxigraph's N-Triples parser, an absolute IRI as it is, and
    any other text as a plain string. The parser, not a pattern, decides what the text is: it
    must read as exactly one term in the object position of one statement."""
    if value.startswith(("<", '"')):
        line = f"{_TERM_SUBJECT} {_TERM_SUBJECT} {value} ."
        try:
            quads = list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as error:
            raise ValueError(
                f"parameter {name!r} is not an RDF term in N-Triples syntax: {value!r}"
            ) from error
        if len(quads) != 1 or not isinstance(quads[0].object, ox.NamedNode | ox.Literal):
            raise ValueError(f"parameter {name!r} must be exactly one IRI or literal")
        return quads[0].object
    if _ABSOLUTE_IRI.match(value):
        return to_term(name, "iri", value)
    return ox.Literal(value)


def parse_header(text: str, *, source: str = "<query>") -> tuple[str, str, list[Param]]:
    """(title, description, params) from the leading comment block of a query."""
    entries: list[tuple[str, str, int]] = []  # key, value, line number
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip() == "":
                if entries:
                    break  # the header ends at the first blank or non-comment line
                continue
            break
        body = line[1:]
        if body.startswith("  ") and entries:
            key, value, at = entries[-1]
            entries[-1] = (key, f"{value} {body.strip()}".strip(), at)
            continue
        match = re.match(r"^\s?([A-Za-z_-]+):\s?(.*)$", body)
        if not match:
            continue  # a plain comment in the header
        entries.append((match.group(1).lower(), match.group(2).strip(), number))

    title = description = ""
    params: list[Param] = []
    for key, value, number in entries:
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "param":
            params.append(_parse_param(value, f"{source}:{number}"))
    if not title:
        raise SavedQueryError(f"{source}: the header has no '# title:' line")
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SavedQueryError(f"{source}: parameter(s) declared twice: {', '.join(duplicates)}")
    return title, description, params


def _parse_param(value: str, where: str) -> Param:
    parts = value.split(None, 3)
    if len(parts) < 3:
        raise SavedQueryError(f"{where}: a param needs 'name type default [description]'")
    name, type_, default = parts[:3]
    description = parts[3] if len(parts) > 3 else ""
    if not _NAME.match(name):
        raise SavedQueryError(f"{where}: bad parameter name {name!r}")
    if type_ not in PARAM_TYPES:
        raise SavedQueryError(
            f"{where}: parameter {name!r} has type {type_!r}; use one of {', '.join(PARAM_TYPES)}"
        )
    try:
        to_term(name, type_, default)
    except ValueError as error:
        raise SavedQueryError(f"{where}: default of {error}") from error
    return Param(name, type_, default, description)


def load(path: Path | str) -> SavedQuery:
    """Read one ``.rq`` file."""
    path = Path(path)
    if not _QUERY_NAME.match(path.stem):
        raise SavedQueryError(f"{path}: bad query name {path.stem!r}")
    text = path.read_text(encoding="utf-8")
    title, description, params = parse_header(text, source=str(path))
    return SavedQuery(path.stem, path, title, description, tuple(params), text)


def list_queries(folder: Path | str) -> list[SavedQuery]:
    """Every saved query in ``folder`` (not recursive), sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [load(p) for p in sorted(folder.glob("*.rq")) if p.is_file()]


def find(folder: Path | str, name: str) -> SavedQuery:
    """The saved query called ``name``; ``KeyError`` if there is none."""
    if not _QUERY_NAME.match(name):
        raise KeyError(name)
    path = Path(folder) / f"{name}.rq"
    if not path.is_file():
        raise KeyError(name)
    return load(path)
