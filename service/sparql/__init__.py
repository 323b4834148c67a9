"""The SPARQL 1.1 endpoint (``/sparql``) and the saved queries (``/queries``).

Modules: ``protocol`` reads requests (the one module here that reads them), ``front`` answers
``GET /sparql?query=`` before Flask with the route's own functions (``views.answer``),
``lexer`` checks query text, ``engine`` runs queries in killable child processes, ``results``
holds a format-independent answer, ``render`` writes it per media type, ``page`` is the HTML
query page, ``description`` the Service Description, ``update`` SPARQL Update, ``saved`` the
saved-query resources.
"""

from flask import Blueprint

from service.sparql import saved, views

blueprint = Blueprint("sparql_endpoint", __name__)
blueprint.register_blueprint(views.blueprint)
blueprint.register_blueprint(saved.blueprint)
