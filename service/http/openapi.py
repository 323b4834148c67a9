"""``/openapi.json``: an OpenAPI 3.0 description of the HTTP interface.

Kept in step with the Flask routes by tests/test_openapi.py (every rule has a path, every path
a rule, with the same methods) and driven by schemathesis there: no 5xx, and every response in
a media type declared here.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from loaders.settings import LANGUAGES
from service.http import formats
from service.http.errors import ERROR_TYPES
from service.http.request_view import current
from service.linked_data.discovery import DUMPS, dump_media_type

blueprint = Blueprint("openapi", __name__)

# media types and format names come from the one format registry (service.formats)
HTML = formats.HTML.media_type
DOCUMENT_TYPES = tuple(f.media_type for f in formats.DOCUMENT)
RESULT_TYPES = tuple(f.media_type for f in formats.SPARQL_RESULTS)
GRAPH_TYPES = tuple(f.media_type for f in formats.SPARQL_GRAPH)
PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}
KEY = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "maxLength": 120}


def _content(types, schema: dict | None = None) -> dict:
    return {t: ({"schema": schema} if schema and "json" in t else {}) for t in types}


def _operation(summary: str, types, *, params=(), ok: str = "200", schema=None, extra=None):
    responses = {
        ok: {"description": summary, "content": _content(types, schema)},
        "304": {"description": "the client's copy is current"},
        "default": {
            "description": "an error (RFC 9457 problem details)",
            "content": _content(ERROR_TYPES, PROBLEM),
        },
    }
    responses.update(extra or {})
    return {"summary": summary, "parameters": [_LANG, *params], "responses": responses}


def _parameter(where: str, name: str, schema: dict | None, description: str) -> dict:
    """An OpenAPI parameter; path parameters are required, query parameters are not."""
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema or {"type": "string"},
        "description": description,
    }


def _path(name: str, schema: dict | None = None, description: str = "") -> dict:
    return _parameter("path", name, schema, description)


def _query(name: str, schema: dict | None = None, description: str = "") -> dict:
    return _parameter("query", name, schema, description)


_LANG = _query("lang", {"type": "string", "enum": list(LANGUAGES)}, "language of the page")
_FORMAT = _query(
    "format",
    {"type": "string"},
    "a format name (overrides Accept; a family name such as n3 lets Accept pick a member): "
    + ", ".join(formats.format_names([*formats.SPARQL_RESULTS, *formats.SPARQL_GRAPH])),
)
_DATASET = [
    _query("default-graph-uri", {"type": "string", "format": "uri"}),
    _query("named-graph-uri", {"type": "string", "format": "uri"}),
]
_SPARQL_TYPES = (*RESULT_TYPES, *GRAPH_TYPES, HTML)
SUFFIXES = [f.suffix for f in formats.DOCUMENT]
_SUFFIX = _path("suffix", {"type": "string", "enum": SUFFIXES})


def document(server_url: str) -> dict:
    """The OpenAPI description of the service at ``server_url`` (scheme and host)."""
    kind = _path("kind", {"type": "string", "pattern": "^[a-z-]+$"}, "kind of thing (region...)")
    get = "get"
    paths = {
        "/": {get: _operation("home page", [HTML])},
        "/healthz": {
            get: _operation(
                "status of the service",
                ["application/json"],
                schema={"type": "object", "required": ["status"]},
            )
        },
        "/openapi.json": {get: _operation("this description", ["application/json"])},
        "/favicon.ico": {get: _operation("the site's icon", ["image/svg+xml"])},
        "/static/{filename}": {
            get: _operation(
                "style sheets, scripts and other static files",
                ["text/css", "text/javascript"],
                params=[_path("filename")],
            )
        },
        "/id/{kind}/{key}": {
            get: _operation(
                "a thing: 303 See Other to its document",
                ["text/plain"],
                ok="303",
                params=[kind, _path("key", KEY)],
            )
        },
        "/doc/{kind}/{name}": {
            get: _operation(
                "the document about a thing, negotiated, or with a suffix (.ttl .html ...)",
                DOCUMENT_TYPES,
                params=[kind, _path("name", KEY), _query("page", {"type": "integer"})],
            )
        },
        "/graph/{path}": {get: _operation("a named graph", DOCUMENT_TYPES, params=[_path("path")])},
        "/members": {get: _operation("member governments by country", [HTML])},
        "/conferences": {get: _operation("the conferences", [HTML])},
        "/browse/{kind}": {get: _operation("every thing of a kind", [HTML], params=[kind])},
        "/search": {
            get: _operation(
                "search names in six languages",
                [HTML, "application/json"],
                params=[_query("q", {"type": "string", "maxLength": 200})],
            )
        },
        **_name_paths(),
        "/void": {get: _operation("VoID and DCAT description", DOCUMENT_TYPES)},
        "/void.{suffix}": {
            get: _operation(
                "VoID and DCAT description in one format", DOCUMENT_TYPES, params=[_SUFFIX]
            )
        },
        "/.well-known/void": {get: _operation("VoID and DCAT description", DOCUMENT_TYPES)},
        "/dumps/": {get: _operation("the dumps", [HTML])},
        "/dumps/{name}": {
            get: _operation(
                "a dump of the whole dataset",
                sorted({dump_media_type(name).split(";")[0] for name in DUMPS}),
                params=[_path("name", {"type": "string", "enum": list(DUMPS)})],
                extra={"206": {"description": "the byte range asked for (Range)"}},
            )
        },
        "/sitemap.xml": {get: _operation("every page", ["application/xml"])},
        "/robots.txt": {get: _operation("robots rules", ["text/plain"])},
        "/def": {get: _operation("the ontology", DOCUMENT_TYPES)},
        "/def.{suffix}": {
            get: _operation(
                "the ontology in one format",
                DOCUMENT_TYPES,
                params=[_SUFFIX],
            )
        },
        "/def/{version}": {
            get: _operation(
                "the ontology by its version IRI (the loaded version only)",
                DOCUMENT_TYPES,
                params=[_path("version")],
            )
        },
        "/def/shapes": {
            get: _operation(
                "the shapes' namespace: 303 See Other to /shapes", ["text/plain"], ok="303"
            )
        },
        "/shapes": {get: _operation("the SHACL shapes", DOCUMENT_TYPES)},
        "/shapes.{suffix}": {
            get: _operation("the SHACL shapes in one format", DOCUMENT_TYPES, params=[_SUFFIX])
        },
        "/validation": {
            get: _operation("the validation report", (*DOCUMENT_TYPES, "application/json"))
        },
        "/validation.{suffix}": {
            get: _operation(
                "the validation report in one format (or .json)",
                (*DOCUMENT_TYPES, "application/json"),
                params=[_path("suffix", {"type": "string", "enum": [*SUFFIXES, "json"]})],
            )
        },
        "/figures": {get: _operation("the figures", [HTML])},
        "/figures/{filename}": {
            get: _operation(
                "a figure: SVG, or its table as CSV or JSON (negotiated, or by suffix)",
                ["image/svg+xml", "text/csv", "application/json"],
                params=[_path("filename")],
            )
        },
        "/sparql": {
            get: _operation(
                "SPARQL query (without a query: the query page or the service description)",
                _SPARQL_TYPES,
                params=[_query("query", {"type": "string"}), *_DATASET, _FORMAT],
            ),
            "post": {
                **_operation(
                    "SPARQL query or update (form or direct)",
                    _SPARQL_TYPES,
                    extra={"204": {"description": "the update was applied"}},
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "query": {"type": "string"},
                                    "update": {"type": "string"},
                                },
                            }
                        },
                        "application/sparql-query": {"schema": {"type": "string"}},
                        "application/sparql-update": {"schema": {"type": "string"}},
                    },
                },
            },
        },
        "/sparql/result-limit": {
            get: _operation("what a cut answer's link points to", ["text/plain"])
        },
        "/queries": {get: _operation("the saved queries", [HTML, "application/json"])},
        "/queries/{name}": {
            get: _operation("a saved query", [HTML, "application/json"], params=[_path("name")])
        },
        "/queries/{name}/results": {
            get: _operation(
                "the results of a saved query (its parameters as query parameters)",
                _SPARQL_TYPES,
                params=[_path("name"), _FORMAT],
            )
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "near-kg",
            "version": "1",
            "description": "The NEAR knowledge graph: linked data and SPARQL.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }


@blueprint.get("/openapi.json")
def openapi():
    response = jsonify(document(current().host_url))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _name_paths() -> dict:
    """/suggest and the reconciliation service (service/pages/search.py, service/reconcile/)."""
    json_only = ["application/json"]
    text = {"type": "string", "maxLength": 200}
    reconcile_fields = [_query("queries", {"type": "string"}), _query("extend", {"type": "string"})]
    suggest = {
        "get": _operation(
            "suggestions as you type",
            json_only,
            params=[_query("prefix", text), _query("cursor", {"type": "integer"})],
        )
    }
    return {
        "/suggest": {
            "get": _operation(
                "names completing the text typed so far",
                json_only,
                params=[
                    _query("q", text),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 50}),
                    _query("kind", {"type": "string"}),
                ],
            )
        },
        "/reconcile": {
            method: _operation(
                "W3C reconciliation service: the manifest, or the answers to queries or extend",
                json_only,
                params=reconcile_fields,
            )
            for method in ("get", "post")
        },
        "/reconcile/docs": {"get": _operation("how to use the reconciliation service", [HTML])},
        "/reconcile/suggest/entity": suggest,
        "/reconcile/suggest/type": suggest,
        "/reconcile/suggest/property": suggest,
        "/reconcile/propose_properties": {
            "get": _operation(
                "the properties a type offers for data extension",
                json_only,
                params=[_query("type"), _query("limit", {"type": "integer"})],
            )
        },
        "/reconcile/preview": {
            "get": _operation("a small HTML card of an entity", [HTML], params=[_query("id")])
        },
    }
