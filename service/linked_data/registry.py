"""Registers the linked-data blueprints (things and documents, the site, discovery, the
ontology) and what their templates share."""

from __future__ import annotations

from flask import Flask

from service.linked_data import discovery
from service.linked_data import graphs as graph_documents
from service.linked_data import ontology as ontology_pages
from service.linked_data import things as resources
from service.linked_data.labels import LANGUAGE_NAMES
from service.pages import search, site
from service.pages.kind_names import graph_kind, kind_heading, kind_name
from service.pages.message_catalogue import gettext


def register(app: Flask) -> None:
    for module in (resources, graph_documents, site, search, discovery, ontology_pages):
        app.register_blueprint(module.blueprint)

    @app.context_processor
    def shared_template_names():
        return {
            "_t": gettext,
            "kind_name": kind_name,
            "kind_heading": kind_heading,
            "graph_kind": graph_kind,
            "language_names": LANGUAGE_NAMES,
        }
