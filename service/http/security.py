"""What every response and request goes through at the edge: security headers, the Host
check, a body in a content coding refused (415: service.http.request_body), and the optional
per-client rate limit (service.rate_limit)."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import Headers

from service.http.client_slots import client_of
from service.http.errors import ApiError
from service.http.rate_limit import Rate, RateLimiter, retry_after
from service.http.request_body import coded_body
from service.http.request_view import readable_host

# HTML pages: no framing, scripts and styles from this host only (no inline script: the only
# inline <script> is JSON-LD data, which browsers never run), no referrer to other sites.
HTML_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Every response: a browser must take the declared type at its word (an error text or a JSON
# result is never run as a script or shown as HTML).
ALL_HEADERS = {"X-Content-Type-Options": "nosniff"}


def register(app: Flask) -> None:
    settings = app.config["NEARKG_SETTINGS"]
    limiter = None
    if settings.rate_limit:
        try:
            limiter = RateLimiter(Rate.parse(settings.rate_limit))
        except ValueError as error:
            raise ValueError(f"NEARKG_RATE_LIMIT: {error}") from None
    app.extensions["nearkg_rate_limiter"] = limiter

    @app.before_request
    def check_host_and_rate():
        if not readable_host(request):
            # Werkzeug empties a Host it cannot read; links and Location are built from it.
            raise ApiError(400, "the Host header is missing or not a valid host name")
        if limiter is not None:
            wait = limiter.take(client_of(request.environ, settings.trust_proxy))
            if wait > 0:
                raise ApiError(
                    429,
                    f"too many requests from this address (limit {settings.rate_limit}); "
                    f"try again in {retry_after(wait)} s",
                    headers={"Retry-After": retry_after(wait)},
                )
        coding = coded_body(request.environ)
        if coding is not None:  # never decoded: a gzip header on a plain body read as text
            raise ApiError(
                415,
                f"the request body is sent with Content-Encoding: {coding}; this service reads "
                "bodies as they are sent and decodes no content coding: send it without one",
                headers={"Accept-Encoding": "identity"},
            )

    @app.after_request
    def security_headers(response):
        add_security_headers(response)
        return response


def add_security_headers(response) -> None:
    """The security headers of every response (also called by service.sparql.front)."""
    add_missing(response.headers, ALL_HEADERS)
    if response.mimetype == "text/html":
        add_missing(response.headers, HTML_HEADERS)


def add_missing(headers: Headers, defaults: dict[str, str]) -> None:
    """Each default header the response does not set already (``setdefault`` for several at
    once: one pass over the headers, not two per name)."""
    present = {name.lower() for name, _ in headers}
    for name, value in defaults.items():
        if name.lower() not in present:
            headers.add(name, value)
