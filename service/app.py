"""The Flask application factory."""

from __future__ import annotations

from flask import Flask, g, request

from loaders.settings import LANGUAGES, Settings
from loaders.store import KnowledgeStore

from . import security
from .errors import register_error_handlers
from .front_cache import FrontCache
from .negotiation import negotiate_language
from .request_body import BodyGate
from .response_cache import response_cache_of
from .sparql import execute


def create_app(settings: Settings | None = None, *, store: KnowledgeStore | None = None) -> Flask:
    """Build the app. Settings come from ``NEARKG_*`` now (not at import); a store may be
    given (tests, the CLI's preloaded store), else one is opened and loaded."""
    settings = settings or (store.settings if store else Settings.from_env())
    if store is None:
        store = KnowledgeStore.open(settings)
    app = Flask(__name__)
    app.config["NEARKG_SETTINGS"] = settings
    if settings.trusted_hosts:  # another Host gets 400 before it reaches a link or Location
        app.config["TRUSTED_HOSTS"] = list(settings.trusted_hosts)
    app.extensions["nearkg_store"] = store
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    execute.install_runner(app)  # the store's queries run in bounded query processes
    register_error_handlers(app)
    _register_hooks(app)  # the language first: error pages are written in it
    security.register(app)

    # imported here: route modules read the app's settings through the request context
    from . import contract_pages, home, linked_data, openapi
    from .figures import views as figure_views
    from .sparql import blueprint as sparql_blueprint

    app.register_blueprint(home.blueprint)
    app.register_blueprint(openapi.blueprint)
    app.register_blueprint(contract_pages.blueprint)
    linked_data.register(app)
    app.register_blueprint(sparql_blueprint)
    figure_views.register(app)
    if not settings.rate_limit:  # the limit is counted in a Flask hook, which a hit skips
        app.wsgi_app = FrontCache(app.wsgi_app, store, response_cache_of(app))
    # outermost: no body reaches the app unread, unbounded or late
    app.wsgi_app = BodyGate(
        app.wsgi_app, max_bytes=3 * settings.max_query_bytes + 4096, timeout=settings.body_timeout
    )
    return app


# Request headers a page script may send to any route (answers to a CORS preflight)
PREFLIGHT_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"


def _register_hooks(app: Flask) -> None:
    @app.before_request
    def choose_language():
        requested = request.args.get("lang")
        if requested in LANGUAGES:
            g.lang = requested
            g.lang_chosen_by = "query"
        else:
            g.lang = negotiate_language(request.headers.get("Accept-Language"), LANGUAGES)
            g.lang_chosen_by = "header"

    @app.after_request
    def cors_header(response):
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        if request.method == "OPTIONS" and "Allow" in response.headers:
            # a browser's preflight (e.g. for If-None-Match, which is not a "simple" header)
            response.headers.setdefault("Access-Control-Allow-Methods", response.headers["Allow"])
            response.headers.setdefault("Access-Control-Allow-Headers", PREFLIGHT_HEADERS)
            response.headers.setdefault("Access-Control-Max-Age", "86400")
        return response
