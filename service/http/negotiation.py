"""Content negotiation: one pure function, used by every negotiated route.

Rules (RFC 9110 §12.5.1), where Werkzeug's ``best_match`` alone goes wrong:
- no or empty ``Accept`` -> the caller's default;
- each offer takes the q of the *most specific* range that matches it (``type/sub`` over
  ``type/*`` over ``*/*``); duplicate ranges of the same specificity keep the highest q;
- ``q=0`` means "not acceptable", even if a wildcard would accept it;
- parameters other than ``q`` (``charset=utf-8``) do not prevent a match;
- a wildcard (``type/*``, ``*/*``) matches an offer's own media type only, never one of its
  aliases: ``application/*`` does not accept Turtle because ``application/x-turtle`` names it
  (the answer would be ``text/turtle``, which is not ``application/*``); an alias matches when
  the client names it exactly;
- ties go to the offer matched more specifically, then to the one the *client* listed first,
  then to the server's order of preference;
- a malformed range is ignored, never an error; nothing acceptable -> ``None`` (the caller
  answers 406 listing its offers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from service.http import formats
from service.http.formats import Format

MAX_HEADER = 8192  # longer Accept headers are cut; nobody needs more ranges than fit here
MAX_RANGES = 64


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """2 exact, 1 ``type/*``, 0 ``*/*``, -1 no match."""
        offered_type, _, offered_sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == offered_type and self.subtype == "*":
            return 1
        if self.type == offered_type and self.subtype == offered_sub:
            return 2
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, malformed ones dropped."""
    if not header:
        return []
    ranges: list[MediaRange] = []
    for position, item in enumerate(header[:MAX_HEADER].split(",")[:MAX_RANGES]):
        parts = [p.strip() for p in item.split(";")]
        full = parts[0].lower()
        if full == "*":  # seen from old clients: means */*
            full = "*/*"
        type_, slash, subtype = full.partition("/")
        if not slash or not type_ or not subtype or (type_ == "*" and subtype != "*"):
            continue
        if not _is_token(type_) or not _is_token(subtype):
            continue
        q: float | None = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = _parse_q(value.strip())
                break
        if q is None:
            continue
        ranges.append(MediaRange(type_, subtype, q, position))
    return ranges


def _is_token(text: str) -> bool:
    return all(c.isalnum() or c in "!#$&^_.+-*" for c in text)


def _parse_q(value: str) -> float | None:
    try:
        q = float(value)
    except ValueError:
        return None
    if not 0.0 <= q <= 1.0 or value.lower() in {"nan", "inf"}:
        return None
    return q


def negotiate(
    accept: str | None,
    offers: Sequence[str],
    *,
    default: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """The offer to send for this Accept header, or ``None`` if none is acceptable.

    ``offers`` are in the server's order of preference; ``default`` (else the first offer) is
    sent when the client states no preference. ``aliases`` maps other names of a type
    (``application/x-turtle``) to the offer they stand for.
    """
    if not offers:
        return None
    ranges = parse_accept(accept)
    if not ranges:  # none, or only garbage: no preference, rather than refusing everything
        return default or offers[0]
    names: dict[str, list[str]] = {offer: [offer] for offer in offers}
    for alias, target in (aliases or {}).items():
        if target in names:
            names[target].append(alias)
    best: tuple | None = None
    chosen: str | None = None
    for server_rank, offer in enumerate(offers):
        match = _quality(ranges, names[offer])
        if match is None:
            continue
        q, specificity, position = match
        if q <= 0:
            continue
        key = (-q, -specificity, position, server_rank)
        if best is None or key < best:
            best, chosen = key, offer
    return chosen


def _quality(ranges: list[MediaRange], names: list[str]) -> tuple[float, int, int] | None:
    """(q, specificity, client position) of the most specific ranges matching the offer.

    ``names[0]`` is the offer's media type, the one its answer is sent as; any range may match
    it. The others are aliases: only a range naming one exactly matches it (RFC 9110 §12.5.1,
    a ``type/*`` range accepts the types the answer can have)."""
    found: tuple[float, int, int] | None = None
    for index, media_type in enumerate(names):
        for r in ranges:
            s = r.specificity(media_type)
            if s < 0 or (index > 0 and s < 2):
                continue
            candidate = (r.q, s, r.position)
            # more specific wins; among equals the higher q, then the earlier position
            if found is None or (s, r.q, -r.position) > (found[1], found[0], -found[2]):
                found = candidate
    return found


def negotiate_language(header: str | None, supported: Sequence[str], *, default: str = "en") -> str:
    """The best of ``supported`` languages for an Accept-Language header (prefix match)."""
    if not header:
        return default
    best_q, best = 0.0, None
    for item in header[:MAX_HEADER].split(",")[:MAX_RANGES]:
        parts = [p.strip() for p in item.split(";")]
        tag = parts[0].lower()
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = _parse_q(value.strip()) or 0.0
        if q <= 0 or not tag:
            continue
        candidates = (
            list(supported)
            if tag == "*"
            else [lang for lang in supported if tag == lang or tag.split("-")[0] == lang]
        )
        for lang in candidates:
            if q > best_q:
                best_q, best = q, lang
            break
    return best or default


@dataclass(frozen=True)
class Choice:
    """The representation one request gets, and the request headers that choice read."""

    format: Format
    vary: tuple[str, ...]  # "Accept" when the Accept header decided (or could have)


def choose(
    offers: Sequence[Format],
    accept: str | None,
    *,
    fixed: Format | None = None,
    format_name: str | None = None,
) -> Choice | None:
    """The one negotiation step: a URL suffix (``fixed``) wins, then a ``format=`` name, then
    ``Accept``. A family name (``format=n3``) lets Accept pick among its members. ``None``:
    nothing acceptable (406); a ``format=`` naming nothing offered is left to Accept."""
    if fixed is not None:
        return Choice(fixed, ())
    if format_name:
        members = formats.named(format_name, offers)
        if len(members) == 1:
            return Choice(members[0], ())
        if members:
            named_in_accept = [
                f
                for f in members
                if any(
                    r.q > 0 and f"{r.type}/{r.subtype}" in f.all_media_types
                    for r in parse_accept(accept)
                )
            ]
            pick = _best(named_in_accept, accept) if named_in_accept else None
            return Choice(pick or members[0], ("Accept",))
    chosen = _best(offers, accept)
    return Choice(chosen, ("Accept",)) if chosen else None


def _best(offers: Sequence[Format], accept: str | None) -> Format | None:
    by_type = {f.media_type: f for f in offers}
    chosen = negotiate(
        accept, list(by_type), default=offers[0].media_type, aliases=formats.aliases(offers)
    )
    return by_type.get(chosen) if chosen else None
