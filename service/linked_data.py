"""Registers the linked-data blueprints (things and documents, the site, discovery, the
ontology) and what their templates share."""

from __future__ import annotations

from flask import Flask

from . import discovery, graph_documents, ontology_pages, resources, site
from .kind_names import kind_heading, kind_name
from .labels import LANGUAGE_NAMES
from .message_catalogue import gettext


def register(app: Flask) -> None:
    for module in (resources, graph_documents, site, discovery, ontology_pages):
        app.register_blueprint(module.blueprint)

    @app.context_processor
    def shared_template_names():
        return {
            "_t": gettext,
            "kind_name": kind_name,
            "kind_heading": kind_heading,
            "language_names": LANGUAGE_NAMES,
            "name_language": site.name_language,
        }
