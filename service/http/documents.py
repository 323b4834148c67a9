"""A document at a fixed path in several formats: negotiated by Accept, or fixed by a suffix.

Things' documents (``/doc/...``), ``/graph/...``, ``/def``, ``/shapes``, ``/validation`` and the
VoID answer alike: the generic path negotiates (``Content-Location`` names the variant),
``{path}.{suffix}`` always gives that format, ``?format=`` names one too, and every variant
lists the others in ``Link`` headers. 406 lists the alternatives with their URLs.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.http.errors import ApiError
from service.http.formats import BY_SUFFIX, DOCUMENT, HTML, Format
from service.http.negotiation import choose
from service.http.representation import Variant, link_value
from service.http.request_view import RequestView


def format_of_suffix(suffix: str | None, what: str) -> Format | None:
    """The format a ``.suffix`` asks for (None: no suffix); 404 for a suffix we do not serve."""
    if suffix is None:
        return None
    if suffix not in BY_SUFFIX:
        raise ApiError(404, f"{what} is not available as .{suffix}", formats=sorted(BY_SUFFIX))
    return BY_SUFFIX[suffix]


def alternate_links(
    view: RequestView, doc_path: str, formats: Sequence[Format] = DOCUMENT
) -> list[str]:
    """``Link`` values naming each format-specific URL of a document."""
    return [
        link_value(view.absolute(f"{doc_path}.{f.suffix}"), "alternate", f.media_type)
        for f in formats
    ]


def suffixed_document(
    view: RequestView, doc_path: str, suffix: str | None, name: str, what: str, *, extra: str = ""
) -> tuple[Format, Variant]:
    """``document_variant`` for a route with an optional ``.{suffix}`` (404 for one we do not
    serve)."""
    fixed = format_of_suffix(suffix, what)
    return document_variant(view, doc_path, fixed, name, what, extra=extra)


def document_variant(
    view: RequestView,
    doc_path: str,
    fixed: Format | None,
    name: str,
    what: str,
    *,
    extra: str = "",
    offers: Sequence[Format] = DOCUMENT,
    suffixed: bool = True,
) -> tuple[Format, Variant]:
    """The format to send and what distinguishes it; 406 when Accept allows none of ours.

    ``name`` names the resource in its ETag (with ``extra``); ``suffixed``: the document has
    format-specific URLs ``{doc_path}.{suffix}`` (Content-Location and Link name them)."""
    choice = choose(offers, view.accept, fixed=fixed, format_name=view.format_name)
    links = alternate_links(view, doc_path, offers) if suffixed else []
    if choice is None:
        raise not_acceptable(view, doc_path, what, offers, suffixed=suffixed)
    chosen = choice.format
    negotiated = fixed is None and suffixed and choice.vary
    variant = Variant(
        f"{name}-{chosen.name}",
        language=view.language if chosen is HTML else None,
        extra=extra,
        vary=list(choice.vary),
        links=links,
        content_location=view.absolute(f"{doc_path}.{chosen.suffix}") if negotiated else None,
    )
    return chosen, variant


def not_acceptable(
    view: RequestView,
    doc_path: str,
    what: str,
    offers: Sequence[Format] = DOCUMENT,
    *,
    suffixed: bool = True,
) -> ApiError:
    """406 naming every format of the document, with its URL where it has one."""
    alternatives = [
        f"{f.media_type} {view.absolute(f'{doc_path}.{f.suffix}')}" if suffixed else f.media_type
        for f in offers
    ]
    links = alternate_links(view, doc_path, offers) if suffixed else []
    return ApiError(
        406,
        f"none of the formats {what} is available in is acceptable: "
        + ", ".join(f.media_type for f in offers),
        alternatives=alternatives,
        headers={"Link": ", ".join(links)} if links else None,
    )
