"""Who reads the request: Flask's ``request`` and ``g`` are read in a handful of modules, and
every other module and template gets what it needs from the ``RequestView``
(service.http.request_view), handed to it explicitly.

The lists below are the readers left on this branch. Once the /sparql and entity page work
is merged they shrink to: ``request`` in service.app (hooks), service.http.errors (the one
error handler), service.http.request_view (builds the view), service.http.security (Host and
client address) and the one /sparql module that reads the SPARQL protocol's body
(service.sparql.views today, which hands ``request`` to sparql.protocol); ``g`` in request_view
only; no template."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import REPO

READERS = {
    "request": {
        "service.app",
        "service.http.errors",
        "service.http.request_view",
        "service.http.security",
        "service.sparql.views",
    },
    "g": {"service.http.request_view"},
}
TEMPLATE_READERS: set[str] = set()
# Jinja sees Flask's request and g as globals; a template reads them as ``request.x``/``g.x``
_TEMPLATE_READ = re.compile(r"\b(request|g)\s*\.")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def flask_globals_read(source: str) -> set[str]:
    """Which of Flask's ``request`` and ``g`` a module reads: imported from flask (anywhere,
    also inside a function) or used as ``flask.request`` / ``flask.g``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            found.update(alias.name for alias in node.names if alias.name in READERS)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
            and node.attr in READERS
        ):
            found.add(node.attr)
    return found


def readers_of(name: str) -> set[str]:
    return {
        module_name(path)
        for path in sorted((REPO / "service").rglob("*.py"))
        if name in flask_globals_read(path.read_text(encoding="utf-8"))
    }


def test_request_and_g_are_read_only_where_listed():
    assert {name: readers_of(name) for name in READERS} == READERS


def test_templates_read_the_view_not_the_request():
    templates = REPO / "service" / "templates"
    reading = {
        path.relative_to(templates).as_posix()
        for path in sorted(templates.rglob("*.html"))
        if _TEMPLATE_READ.search(path.read_text(encoding="utf-8"))
    }
    assert reading == TEMPLATE_READERS


def test_the_checker_sees_every_way_of_reading_them():
    # the rules above can fail: each spelling of a read is found, and a local name is not
    assert flask_globals_read("def f():\n    from flask import g\n") == {"g"}
    assert flask_globals_read("import flask\nx = flask.request.args\n") == {"request"}
    assert flask_globals_read("from flask import request as r\n") == {"request"}
    assert flask_globals_read("g = 1\nrequest = g\nfrom flask import Flask\n") == set()
    assert _TEMPLATE_READ.search("{{ request.args.get('q') }}")
    assert not _TEMPLATE_READ.search("{{ view.args.get('q') }}")


def view_of(app, *args, **kwargs):
    """The request view of a request, and the request, built as the app's hook builds it."""
    from flask import request

    from service.http import request_view

    with app.test_request_context(*args, **kwargs):
        settings, store = app.config["NEARKG_SETTINGS"], app.extensions["nearkg_store"]
        view = request_view.build(request, settings, store)
        parsed_at_build = "form" in request.__dict__  # Werkzeug keeps a parsed form there
        return view, parsed_at_build, view.value("queries"), view.value("q")


def test_a_posted_form_is_read_only_when_asked(app):
    view, parsed_at_build, queries, q = view_of(
        app, "/reconcile?q=from-url", method="POST", data={"queries": "{}", "q": "from-form"}
    )
    assert not parsed_at_build  # a SPARQL body stays unread for the protocol
    assert (view.method, queries, q) == ("POST", "{}", "from-url")  # the query string first
    got, _, queries, _ = view_of(app, "/reconcile?queries=1")
    assert (got.method, queries) == ("GET", "1")


def test_the_view_carries_range_and_conditions_as_sent(app):
    view, *_ = view_of(
        app, "/dumps/near-kg.nq", headers={"Range": "bytes=1-", "If-Range": '"t"', "X-Other": "1"}
    )
    assert view.conditional_environ() == {
        "REQUEST_METHOD": "GET",
        "HTTP_RANGE": "bytes=1-",
        "HTTP_IF_RANGE": '"t"',
    }
    assert view.front is None  # no front cache in front of a test request
    view.keep_in_front(("document",))  # then keeping is a no-op, not an error
