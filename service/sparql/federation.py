"""Which hosts a federated query may reach, decided from a real parse of its text.

Only with ``NEARKG_FEDERATION_ALLOW``. Such a query runs in a federation process, which the
kernel lets connect to the TCP ports of the allowed hosts and nothing else (``sandbox``). Before
the engine sees the text, that process parses it with rdflib's SPARQL parser, which resolves
prefixed names, ``BASE`` and relative IRIs and ``\\u`` escapes as the grammar says; every
``SERVICE`` and ``LOAD`` target must then be an IRI on an allowed host and port. A text that
rdflib cannot parse is refused: its targets cannot be known.

Landlock limits ports, not hosts: the host check rests on this parse (see SECURITY.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(ValueError):
    """The text reaches, or may reach, a host that is not allowed; the message says which."""


def allowed_ports(allowed: tuple[str, ...]) -> tuple[int, ...]:
    """The TCP ports a federation process may connect to: those named in the allow-list
    (``host:port``), and 80 and 443 for entries without a port."""
    ports: set[int] = set()
    for entry in allowed:
        host, _, port = entry.strip().rpartition(":") if _has_port(entry) else (entry, "", "")
        if port:
            ports.add(int(port))
        else:
            ports.update(DEFAULT_PORTS.values())
    return tuple(sorted(ports))


def _has_port(entry: str) -> bool:
    head, _, tail = entry.strip().rpartition(":")
    return bool(head) and tail.isdigit() and not head.endswith(":")


def host_allowed(iri: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``SERVICE``/``LOAD`` may reach this IRI: http(s), and its host listed with its
    port, or listed alone and the scheme's own port."""
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:  # a port out of range or not a number
        return False
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return False
    host = parts.hostname.lower()
    names = {a.strip().lower() for a in allowed}
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        return host in names or f"{host}:{DEFAULT_PORTS[parts.scheme]}" in names
    return f"{host}:{port}" in names


def targets(text: str, *, update: bool, base_iri: str | None) -> list[tuple[str, object]]:
    """``(keyword, target)`` for every ``SERVICE`` and ``LOAD`` of the text, as rdflib parses
    it (an IRI as ``URIRef``, a variable as ``Variable``). Raises ``Refused`` when rdflib
    cannot parse the text."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    algebra: object
    try:
        if update:
            algebra = translateUpdate(parseUpdate(text), base=base_iri).algebra
        else:
            algebra = translateQuery(parseQuery(text), base=base_iri).algebra
    except RecursionError:
        raise Refused("the text nests too deeply for the federation check") from None
    except Exception as error:  # noqa: BLE001 - any failure of the parser is a refusal
        raise Refused(
            "with federation on, a query must be readable by rdflib's SPARQL parser, which "
            f"could not read this one ({type(error).__name__})"
        ) from None
    found: list[tuple[str, object]] = []
    _walk(algebra, found)
    return found


def _walk(node, found: list) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(("SERVICE", node.get("term")))
        elif node.name == "Load":
            found.append(("LOAD", node.get("iri")))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            _walk(value, found)


def check(text: str, *, update: bool, base_iri: str | None, allowed: tuple[str, ...]) -> None:
    """Refuse the text unless every target rdflib finds is an IRI on an allowed host."""
    from rdflib import URIRef

    for keyword, target in targets(text, update=update, base_iri=base_iri):
        if not isinstance(target, URIRef):
            raise Refused(f"{keyword} needs an IRI, not a variable, on this endpoint")
        if not host_allowed(str(target), allowed):
            raise Refused(
                f"{keyword} <{target}> is not allowed: this endpoint reaches only the hosts "
                f"listed in NEARKG_FEDERATION_ALLOW ({', '.join(allowed)})"
            )
