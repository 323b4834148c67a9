"""What the front cache (http.front_cache) and the request view (http.request_view) share: the
slot through which a view lets the front keep its answer, and the headers that make a request
conditional. A module of its own so that neither imports the other."""

from __future__ import annotations

# The WSGI environ entry holding the request's FrontSlot (read once, by request_view.build)
FRONT_SLOT = "nearkg.front_slot"
# A conditional or range request (Flask answers it without rendering); the request view keeps
# these headers as sent for Werkzeug's conditional handling.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)


class FrontSlot:
    """The front cache's offer to one request: a view that keeps its answer in the response
    cache puts the representation key here (``RequestView.keep_in_front``)."""

    __slots__ = ("key",)

    def __init__(self) -> None:
        self.key: tuple | None = None  # a representation key; its second item is the stamp
