"""The home page and the health check."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory

from service.http import context
from service.http.formats import HTML
from service.http.representation import Variant, represent
from service.http.request_view import current

blueprint = Blueprint("home", __name__)


@cache  # the installed version does not change while the process runs
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("near-kg")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


@blueprint.get("/")
def index():
    view = current()
    from service.pages.site import overview

    snapshot = view.snapshot
    if snapshot.allow_invalid:  # the banner says whether the data breaks its shapes
        context.store().validation_report(snapshot)
    text = render_template(
        "home.html",
        snapshot=snapshot,
        graphs=sorted(snapshot.graphs, key=lambda g: (g.folder, g.iri)),
        overview=overview(view),
    )
    # the page is in the reader's language; it links the dataset description for harvesters;
    # it says when the data was loaded, so its tag names the load, not only the data
    variant = Variant("home", language=view.language, extra=view.snapshot.loaded_at.isoformat())
    return represent(view, text, HTML.content_type, variant)


@blueprint.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it first (an SVG, which they all draw)."""
    response = send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
    return response


@blueprint.get("/healthz")
def healthz():
    snapshot = current().snapshot
    response = jsonify(
        **context.store().health(),  # "degraded" with the reason: the store is not as published
        triples=snapshot.triples,
        graphs=len(snapshot.graphs),
        loaded_at=snapshot.loaded_at.isoformat(),
        data_version=snapshot.version,
        allow_invalid=snapshot.allow_invalid,
        version=_version(),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
