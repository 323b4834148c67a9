"""A small SPARQL lexer: enough to check a request before it reaches the engine.

It never decides what a query means, and keeps no one safe: the query processes have no
network whatever it finds (``sandbox``). It gives early refusals with clear messages, and finds
what must be adjusted first:
- how deeply brackets nest (pyoxigraph 0.5 crashes on ~850 nested ``FILTER NOT EXISTS { }``
  and takes seconds to parse 100 nested collections ``( ( ... ) )``, minutes for 300);
- the targets of ``SERVICE`` and ``LOAD`` (no outbound connection unless allowed);
- whether the text has its own dataset (``FROM``, ``WITH``, ``USING``);
- where the top-level ``WHERE`` of each update operation starts (to add ``USING`` clauses for
  ``using-graph-uri``, since pyoxigraph's ``Store.update`` takes no dataset).

Like the engine, it first replaces ``\\uXXXX``/``\\UXXXXXXXX`` escapes (SPARQL applies them to
the whole text before parsing), so an escaped keyword cannot slip past it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Real queries nest a dozen brackets; 128 keeps every construct far from pyoxigraph's crashes
# (850 nested NOT EXISTS groups segfault the parser) and its slow paths (nested collections).
MAX_NESTING = 128

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][^\s{}()\[\],;.<>"'#]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<word>[A-Za-z_\u00C0-\U000EFFFF][\w\-.:\u00B7\u00C0-\U000EFFFF%\\]*|:[^\s{}()\[\],;<>"'#]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class LexError(ValueError):
    """The text cannot be checked (unterminated string or IRI); the engine will say more."""


@dataclass
class Facts:
    depth: int = 0
    services: list[str | None] = field(default_factory=list)  # IRI, or None for a variable
    loads: list[str | None] = field(default_factory=list)
    has_from: bool = False
    has_with_or_using: bool = False
    where_offsets: list[int] = field(default_factory=list)  # top-level WHERE of updates
    text: str = ""  # the text after \\u unescaping (offsets refer to it)


def unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


# Substrings without which a query has nothing the scan looks for (a keyword, or an escape that
# could spell one): most queries have none, and skipping the scan saves most of its cost
_QUERY_WORDS = ("service", "load", "from", "\\u")
_BRACKETS = re.compile(r"[{(\[]")


def scan(text: str, *, update: bool = False) -> Facts:
    """What the checks need to know about a query or update text. An update is always read
    whole (its ``WHERE`` offsets, ``WITH``/``USING``)."""
    lowered = "" if update else text.lower()
    if not update and not any(word in lowered for word in _QUERY_WORDS):
        # no keyword, so no target or dataset; every bracket counted is an upper bound of depth
        brackets = len(_BRACKETS.findall(text))
        if brackets <= MAX_NESTING:
            return Facts(depth=brackets, text=text)
    text = unescape(text)
    facts = Facts(text=text)
    tokens: list[tuple[str, str, int]] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "open":
            depth += 1
            facts.depth = max(facts.depth, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        tokens.append((kind, value, depth - 1 if kind == "open" else depth))
        if kind == "word":
            _keyword(facts, tokens, match.start())
    _targets(facts, tokens)
    return facts


def _keyword(facts: Facts, tokens, offset: int) -> None:
    kind, value, depth = tokens[-1]
    word = value.lower()
    if word == "from":
        facts.has_from = True
    elif word in ("with", "using"):
        facts.has_with_or_using = True
    elif word == "where" and depth == 0:
        previous = tokens[-2][1].lower() if len(tokens) > 1 else ""
        if previous != "delete":  # DELETE WHERE takes no USING
            facts.where_offsets.append(offset)


def _targets(facts: Facts, tokens) -> None:
    prefixes: dict[str, str] = {}
    for index, (kind, value, _) in enumerate(tokens):
        if kind == "word" and value.lower() == "prefix" and index + 2 < len(tokens):
            name, iri = tokens[index + 1][1], tokens[index + 2][1]
            if tokens[index + 2][0] == "iri":
                prefixes[name[:-1] if name.endswith(":") else name] = iri[1:-1]
    for index, (kind, value, _) in enumerate(tokens):
        if kind != "word" or value.lower() not in ("service", "load"):
            continue
        following = [t for t in tokens[index + 1 : index + 3] if t[1].lower() != "silent"]
        target = _resolve(following[0], prefixes) if following else None
        (facts.services if value.lower() == "service" else facts.loads).append(target)


def _resolve(token, prefixes: dict[str, str]) -> str | None:
    kind, value, _ = token
    if kind == "iri":
        return value[1:-1]
    if kind == "word" and ":" in value:
        prefix, _, local = value.partition(":")
        base = prefixes.get(prefix)
        return base + local if base is not None else None
    return None  # a variable or something the lexer cannot read: treated as unknown


def insert_using(facts: Facts, default: list[str], named: list[str]) -> str:
    """The update text with ``USING``/``USING NAMED`` before each top-level ``WHERE``.
    The IRIs must already be checked (``pyoxigraph.NamedNode``) and written as ``<iri>``."""
    clause = "".join(f" USING {iri}" for iri in default) + "".join(
        f" USING NAMED {iri}" for iri in named
    )
    text = facts.text
    for offset in reversed(facts.where_offsets):
        text = text[:offset] + clause + " " + text[offset:]
    return text
