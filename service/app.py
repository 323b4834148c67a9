"""The Flask application factory."""

from __future__ import annotations

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from loaders.settings import Settings
from loaders.store import KnowledgeStore
from service.http import options, request_view, security
from service.http.errors import register_error_handlers
from service.http.front_cache import FrontCache
from service.http.release import current_release
from service.http.request_body import BodyGate
from service.http.request_head import HeadLimit
from service.http.response_cache import response_cache_of
from service.http.security import add_missing, add_security_headers
from service.pages import fragments, message_catalogue, page_links
from service.sparql import execute
from service.sparql.front import QueryFront


class _JSON(DefaultJSONProvider):
    """JSON as written: UTF-8 text (島根県, not escapes), members in the order given."""

    ensure_ascii = False
    sort_keys = False


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
    app.json = _JSON(app)
    current_release()  # read before the workers fork, not once in each

    execute.install_runner(app)  # the store's queries run in bounded query processes
    register_error_handlers(app)
    message_catalogue.register(app)
    page_links.register(app)
    fragments.register(app)
    _register_hooks(app)  # the language first: error pages are written in it
    security.register(app)
    _register_options(app)  # after the Host check: an OPTIONS may run a route's function

    # imported here: route modules read the app's settings through the request context
    from service import reconcile
    from service.figures import views as figure_views
    from service.http import openapi
    from service.linked_data import contract as contract_pages
    from service.linked_data import registry as linked_data
    from service.linked_data.document_front import DocumentFront
    from service.pages import home
    from service.sparql import blueprint as sparql_blueprint

    app.register_blueprint(home.blueprint)
    app.register_blueprint(openapi.blueprint)
    app.register_blueprint(contract_pages.blueprint)
    linked_data.register(app)
    app.register_blueprint(sparql_blueprint)
    app.register_blueprint(reconcile.blueprint)
    figure_views.register(app)
    if not settings.rate_limit:  # answered before Flask with the routes' own functions:
        # /sparql queries (sparql/front.py), entity RDF documents and /id (document_front.py)
        app.wsgi_app = QueryFront(app.wsgi_app, app, finish=edge_headers)  # type: ignore[method-assign]
        app.wsgi_app = DocumentFront(app.wsgi_app, app, finish=edge_headers)  # type: ignore[method-assign]
    # the limit is counted in a Flask hook, which a hit skips; a cache of 0 bytes keeps nothing
    if not settings.rate_limit and settings.cache_bytes:
        app.wsgi_app = FrontCache(app.wsgi_app, store, response_cache_of(app))  # type: ignore[method-assign]
    # outermost: no body reaches the app unread, unbounded or late
    app.wsgi_app = BodyGate(  # type: ignore[method-assign]
        app.wsgi_app,
        max_bytes=3 * settings.max_query_bytes + 4096,
        timeout=settings.body_timeout,
        trust_proxy=settings.trust_proxy,
    )
    # outermost of all: a head over the limit that the HTTP layer let through (request_head)
    app.wsgi_app = HeadLimit(app.wsgi_app)  # type: ignore[method-assign]
    return app


# CORS, for every response (the data is public): request headers a page script may send (a
# preflight's answer) and response headers it may read.
PREFLIGHT_HEADERS = (
    "Accept, Accept-Language, If-None-Match, If-Modified-Since, Content-Type, Authorization"
)
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Content-Location, Vary, Retry-After, NearKG-Results-Truncated, "
    "Content-Range, Accept-Ranges"  # (a page script resuming a dump's download)
)
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
}


def _register_hooks(app: Flask) -> None:
    @app.before_request
    def read_the_request():
        request_view.current()  # built now: error pages are written in its language

    @app.context_processor
    def the_request_view():
        return {"view": request_view.current()}

    @app.after_request
    def cors_header(response):
        add_cors_headers(response, request.method)
        return response


def _register_options(app: Flask) -> None:
    @app.before_request
    def options_of_what_is_not_there():
        # 404 for OPTIONS where GET is 404 (service.http.options)
        return options.answer_if_missing(app, request.method, request.url_rule, request.view_args)


def add_cors_headers(response, method: str) -> None:
    add_missing(response.headers, CORS_HEADERS)
    if method == "OPTIONS" and "Allow" in response.headers:
        # a browser's preflight (e.g. for If-None-Match, which is not a "simple" header)
        response.headers.setdefault("Access-Control-Allow-Methods", response.headers["Allow"])
        response.headers.setdefault("Access-Control-Allow-Headers", PREFLIGHT_HEADERS)
        response.headers.setdefault("Access-Control-Max-Age", "86400")


def edge_headers(response, method: str) -> None:
    """What the ``after_request`` hooks add to every response, in their order (Flask runs them
    last registered first): for a response made outside Flask (service.sparql.front,
    service.linked_data.document_front)."""
    add_security_headers(response)
    add_cors_headers(response, method)


def build_shared_indexes(store: KnowledgeStore) -> None:
    """The entity index, the name matcher (``/search``, ``/suggest``, ``/reconcile``) and the
    reconciliation facts of the data served, built once: ``nearkg serve`` calls it in the
    master before the workers fork, so they share them copy-on-write and no first request
    after a start waits for them (13-19 s at 100,000 things). A later data version is built
    on its first request, as before."""
    from service.linked_data.name_finder import finder
    from service.reconcile.properties import facts

    snapshot = store.snapshot
    finder.prepare(store, snapshot)  # the entity index first, then the matcher over it
    facts.prepare(store, snapshot)
