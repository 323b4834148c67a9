"""Registers the linked-data blueprints (things and documents, the site, discovery, the
ontology) and what their templates share."""

from __future__ import annotations

from flask import Flask

from . import discovery, graph_documents, ontology_pages, resources, search, site
from .labels import LANGUAGE_NAMES
from .ui_text import translate


def register(app: Flask) -> None:
    for module in (resources, graph_documents, site, search, discovery, ontology_pages):
        app.register_blueprint(module.blueprint)

    @app.context_processor
    def shared_template_names():
        return {"_t": translate, "language_names": LANGUAGE_NAMES}
