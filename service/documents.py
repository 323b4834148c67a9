"""A document at a fixed path in several formats: negotiated by Accept, or fixed by a suffix.

``/graph/...``, ``/def``, ``/shapes`` and ``/validation`` answer alike: the generic path
negotiates (``Vary: Accept``, ``Content-Location`` naming the variant), ``{path}.{suffix}``
always gives that format, and every variant lists the others in ``Link`` headers.
"""

from __future__ import annotations

from flask import g, request

from .errors import ApiError
from .rdf_formats import BY_SUFFIX, DOCUMENT_FORMATS, HTML, DocFormat, choose_format
from .representation import Variant, link_value
from .resources import absolute


def format_of_suffix(suffix: str | None, what: str) -> DocFormat | None:
    """The format a ``.suffix`` asks for (None: no suffix); 404 for a suffix we do not serve."""
    if suffix is None:
        return None
    if suffix not in BY_SUFFIX:
        raise ApiError(404, f"{what} is not available as .{suffix}", formats=sorted(BY_SUFFIX))
    return BY_SUFFIX[suffix]


def document_variant(
    doc_path: str, fixed: DocFormat | None, name: str, what: str, *, extra: str = ""
) -> tuple[DocFormat, Variant]:
    """The format to send and what distinguishes it; 406 when Accept allows none of ours."""
    links = [
        link_value(absolute(f"{doc_path}.{f.suffix}"), "alternate", f.media_type)
        for f in DOCUMENT_FORMATS
    ]
    if fixed is None:
        chosen = choose_format(request.headers.get("Accept"))
        if chosen is None:
            offered = ", ".join(f.media_type for f in DOCUMENT_FORMATS)
            raise ApiError(406, f"{what} comes in {offered}", formats=sorted(BY_SUFFIX))
        vary, location = ["Accept", "Accept-Language"], absolute(f"{doc_path}.{chosen.suffix}")
    else:
        chosen, location = fixed, None
        vary = ["Accept-Language"] if fixed is HTML else []
    variant = Variant(
        f"{name}-{chosen.name}",
        language=g.lang if chosen is HTML else None,
        extra=extra,
        vary=vary,
        links=links,
        content_location=location,
    )
    return chosen, variant
