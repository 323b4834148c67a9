"""``/reconcile``: the W3C Entity Reconciliation Service API (Reconciliation Community Group,
version 0.2), so that OpenRefine and other tools can match a column of names against NEAR.

- ``GET /reconcile``: the service manifest; with ``queries`` (or ``extend``), the answers;
- ``POST /reconcile``: form fields ``queries`` or ``extend`` (what OpenRefine sends);
- ``/reconcile/suggest/{entity,type,property}?prefix=``: auto-completion;
- ``/reconcile/preview?id=``: a small HTML card; ``/reconcile/propose_properties?type=``.

Identifiers are ``kind/key`` (``region/JP-32``) relative to the identifierSpace
``{base}id/``; types are kinds. Every answer allows any origin (CORS, required since 0.2);
JSONP is not offered, as 0.2 replaced it with CORS. See README.md, "Reconciliation".
"""

from __future__ import annotations

from flask import Blueprint, Response, json, render_template

from loaders.names import fold
from service.http.errors import ApiError
from service.http.request_view import RequestView, current
from service.linked_data.labels import LANGUAGE_NAMES, chosen_label, label_of
from service.linked_data.name_finder import finder
from service.linked_data.things import entity_index
from service.pages.kind_names import kind_name
from service.pages.message_catalogue import gettext
from service.pages.page_links import page_url

from .properties import DEFAULT_TYPES, PROPERTIES, TYPES, facts
from .queries import MAX_TEXT, entity_iri, extend, reconcile_batch, type_of

blueprint = Blueprint("reconcile", __name__, url_prefix="/reconcile")
SUGGEST_LIMIT = 10
PREVIEW = {"width": 400, "height": 120}


def _json(value, status: int = 200) -> Response:
    response = Response(json.dumps(value, ensure_ascii=False), status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def manifest(view: RequestView) -> dict:
    base = view.base
    absolute = view.absolute
    return {
        "versions": ["0.2"],
        "name": "NEAR knowledge graph (regions, governments, conferences of NEAR)",
        "identifierSpace": base + "id/",
        "schemaSpace": base + "def#",
        "documentation": absolute("/reconcile/docs"),
        "view": {"url": absolute("/id/{{id}}")},
        "defaultTypes": [type_of(kind) for kind in DEFAULT_TYPES],
        "preview": {"url": absolute("/reconcile/preview?id={{id}}"), **PREVIEW},
        "suggest": {
            name: {"service_url": absolute("/reconcile"), "service_path": f"/suggest/{name}"}
            for name in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {
                "service_url": absolute("/reconcile"),
                "service_path": "/propose_properties",
            },
            "property_settings": [],
        },
    }


def _field(view: RequestView, name: str):
    """A JSON field from the query string or the form, parsed; None when absent."""
    raw = view.value(name)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, f"{name} is not valid JSON") from None
    except RecursionError:  # arrays or objects nested about a thousand deep
        raise ApiError(400, f"{name} is nested too deeply") from None


@blueprint.route("", methods=["GET", "POST"])
def service():
    view = current()
    queries, extension = _field(view, "queries"), _field(view, "extend")
    if queries is not None:
        return _json(reconcile_batch(queries, view.language))
    if extension is not None:
        return _json(extend(extension, view.language))
    if view.method == "POST":
        raise ApiError(400, "POST a form with a queries or an extend field")
    return _json(manifest(view))


def _property_name(key: str) -> str:
    """What the documentation calls a property, in the reader's language."""
    if key.startswith("name_"):
        return gettext("Name in %(language)s", language=LANGUAGE_NAMES[key.removeprefix("name_")])
    return gettext(PROPERTIES[key][0])


@blueprint.get("/docs")
def docs():
    return render_template(
        "reconcile/docs.html",
        manifest=manifest(current()),
        types=[(kind, kind_name(kind)) for kind in TYPES],
        properties=[(key, _property_name(key)) for key in PROPERTIES],
    )


def _prefix(view: RequestView) -> str:
    prefix = view.args.get("prefix", "")
    if len(prefix) > MAX_TEXT:
        raise ApiError(400, f"prefix is at most {MAX_TEXT} characters")
    return prefix


def _cursor(view: RequestView) -> int:
    try:
        return min(max(int(view.args.get("cursor", 0)), 0), 1000)
    except ValueError:
        raise ApiError(400, "cursor is a whole number") from None


@blueprint.get("/suggest/entity")
def suggest_entity():
    view = current()
    prefix, cursor = _prefix(view), _cursor(view)
    kind = view.args.get("type", "")
    accept = (lambda thing: thing.kind == kind) if kind else None
    index = entity_index()
    hits = finder().find(prefix, cursor + SUGGEST_LIMIT, accept=accept) if prefix.strip() else []
    result = [
        {
            "id": hit.thing.iri[len(index.thing_prefix) :],
            "name": label_of(index, hit.thing.iri, view.language),
            "description": TYPES.get(hit.thing.kind, hit.thing.kind),
            "notable": [type_of(hit.thing.kind)],
        }
        for hit in hits[cursor:]
    ]
    return _json({"result": result})


def _matching(names: dict[str, str], prefix: str) -> list[dict]:
    wanted = fold(prefix.strip())
    return [
        {"id": key, "name": name}
        for key, name in names.items()
        if wanted in fold(key) or wanted in fold(name)
    ]


@blueprint.get("/suggest/type")
def suggest_type():
    view = current()
    known = {k: v for k, v in TYPES.items() if k in entity_index().kinds}
    return _json({"result": _matching(known, _prefix(view))[_cursor(view) :]})


@blueprint.get("/suggest/property")
def suggest_property():
    view = current()
    names = {key: name for key, (name, _types) in PROPERTIES.items()}
    return _json({"result": _matching(names, _prefix(view))[_cursor(view) :]})


@blueprint.get("/propose_properties")
def propose_properties():
    view = current()
    kind = view.args.get("type", "")
    if kind not in TYPES:
        raise ApiError(400, "type is one of the service's types", types=sorted(TYPES))
    try:
        limit = min(max(int(view.args.get("limit", len(PROPERTIES))), 1), len(PROPERTIES))
    except ValueError:
        raise ApiError(400, "limit is a whole number") from None
    proposed = [
        {"id": key, "name": name} for key, (name, types) in PROPERTIES.items() if kind in types
    ]
    return _json({"type": kind, "properties": proposed[:limit], "limit": limit})


@blueprint.get("/preview")
def preview():
    view = current()
    iri = entity_iri(view.args.get("id", ""))
    language = view.language
    index = entity_index()
    kind, key = index.kind_and_key(iri) or ("", "")
    names = index.labels.get(iri, {})

    def shown(thing: str) -> tuple[str, str | None]:
        """Its name, and the name's language where it is not the reader's (a fallback)."""
        label, label_lang = chosen_label(index, thing, language)
        return label, label_lang if label_lang and label_lang != language else None

    label, label_lang = shown(iri)
    parent, parent_lang = shown(index.parents[iri]) if iri in index.parents else ("", None)
    text = render_template(
        "reconcile/preview.html",
        label=label,
        label_lang=label_lang,
        kind=kind_name(kind) if kind in TYPES else kind,
        names=names,
        iso=facts().of(iri, "iso"),
        parent=parent,
        parent_lang=parent_lang,
        url=page_url(view.absolute(f"/doc/{kind}/{key}")),
        size=PREVIEW,
    )
    response = Response(text, mimetype="text/html")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
