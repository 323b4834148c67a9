"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from . import context

blueprint = Blueprint("home", __name__)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("near-kg")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


@blueprint.get("/")
def index():
    from .site import overview

    snapshot = context.snapshot()
    if snapshot.allow_invalid:  # the banner says whether the data breaks its shapes
        context.store().validation_report(snapshot)
    text = render_template(
        "home.html",
        snapshot=snapshot,
        graphs=sorted(snapshot.graphs, key=lambda g: (g.folder, g.iri)),
        overview=overview(),
    )
    # the page is in the reader's language; it links the dataset description for harvesters
    return (
        text,
        200,
        {
            "Vary": "Accept-Language",
            "Link": '</.well-known/void>; rel="describedby"; type="text/turtle"',
        },
    )


@blueprint.get("/healthz")
def healthz():
    snapshot = context.snapshot()
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
