"""Reconciliation queries and data extension requests: checked, answered from the name
matcher and the facts (the Reconciliation Service API 0.2 wire format, which OpenRefine
speaks)."""

from __future__ import annotations

from loaders.names import EXACT, fold
from service.http.errors import ApiError
from service.linked_data.labels import label_of
from service.linked_data.name_finder import finder
from service.linked_data.things import entity_index

from .properties import PROPERTIES, TYPES, facts

MAX_QUERIES = 200  # OpenRefine sends batches of 10
MAX_IDS = 500
MAX_TEXT = 200
MAX_LIMIT = 50
MISMATCH = 0.5  # a candidate whose property contradicts the query keeps this share of score


def entity_id(iri: str) -> str | None:
    """``region/JP-32`` for the IRI of a thing (identifiers relative to identifierSpace)."""
    index = entity_index()
    return iri[len(index.thing_prefix) :] if iri in index.thing_set else None


def entity_iri(identifier: object) -> str:
    index = entity_index()
    iri = index.thing_prefix + str(identifier)
    if not isinstance(identifier, str) or iri not in index.thing_set:
        raise ApiError(400, "an entity id is kind/key, as in region/JP-32", id=str(identifier))
    return iri


def type_of(kind: str) -> dict:
    return {"id": kind, "name": TYPES.get(kind, kind)}


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ApiError(400, f"{what} is a string of at most {MAX_TEXT} characters")
    return value


def reconcile_batch(batch: object, lang: str) -> dict:
    if not isinstance(batch, dict) or not batch or len(batch) > MAX_QUERIES:
        raise ApiError(400, f"queries is a JSON object of 1 to {MAX_QUERIES} queries (q0, q1 ...)")
    return {str(key): {"result": reconcile_one(query, lang)} for key, query in batch.items()}


def reconcile_one(query: object, lang: str) -> list[dict]:
    if not isinstance(query, dict):
        raise ApiError(400, "each query is a JSON object with a query string")
    text = _text(query.get("query", ""), "query")
    kinds = query.get("type") or []
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ApiError(400, "type is a type id or a list of them (region, country ...)")
    limit = query.get("limit", 5)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit is a whole number from 1 to {MAX_LIMIT}")
    constraints = _constraints(query.get("properties") or [])
    index, known = entity_index(), facts()
    accept = (lambda thing: thing.kind in kinds) if kinds else None
    hits = finder().find(text, max(limit, 10), accept=accept) if text.strip() else []
    scored = []
    for hit in hits:
        agreement = [_agrees(known.of(hit.thing.iri, p), wanted) for p, wanted in constraints]
        score = hit.score * (MISMATCH ** agreement.count(False))
        scored.append((score, hit, all(agreement)))
    scored.sort(key=lambda item: -item[0])
    exact = [hit for _, hit, agreed in scored if hit.tier == EXACT and agreed]
    results = []
    for score, hit, agreed in scored[:limit]:
        certain = len(exact) == 1 and exact[0] is hit
        results.append(
            {
                "id": hit.thing.iri[len(index.thing_prefix) :],
                "name": label_of(index, hit.thing.iri, lang),
                "description": _description(hit, index, lang),
                "score": round(score * 100, 1),
                "match": certain,
                "type": [type_of(hit.thing.kind)],
                "features": [
                    {"id": "name_score", "value": round(hit.score * 100, 1)},
                    {"id": "properties_agree", "value": agreed},
                ],
            }
        )
    return results


def _description(hit, index, lang: str) -> str:
    parent = index.parents.get(hit.thing.iri)
    where = f" · {label_of(index, parent, lang)}" if parent else ""
    return f"{TYPES.get(hit.thing.kind, hit.thing.kind)}{where} (matched: {hit.name})"


def _constraints(properties: object) -> list[tuple[str, list[str]]]:
    """[(property id, the values asked for, folded)] from ``[{"pid": ..., "v": ...}]``."""
    if not isinstance(properties, list) or len(properties) > len(PROPERTIES):
        raise ApiError(400, "properties is a list of {pid, v} objects")
    found = []
    for item in properties:
        if not isinstance(item, dict) or item.get("pid") not in PROPERTIES:
            raise ApiError(400, "a property's pid is one of the proposed properties")
        values = item.get("v")
        values = values if isinstance(values, list) else [values]
        wanted = []
        for value in values[:10]:
            if isinstance(value, dict):  # an entity: {"id": "country/JP"}
                value = value.get("id", "")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            wanted.append(fold(_text(value, "a property value")))
        found.append((item["pid"], wanted))
    return found


def _agrees(have: list[str], wanted: list[str]) -> bool:
    """Whether a thing's values meet the query's: equal to the value, its id, or a name of it
    (a country asked for as "Japan", "JP", "country/JP" or its IRI)."""
    index = entity_index()
    forms = set()
    for value in have:
        forms.add(fold(value))
        if value in index.thing_set:
            forms.add(fold(value[len(index.thing_prefix) :]))
            forms.update(fold(label) for label in index.labels.get(value, {}).values())
            forms.update(fold(code) for code in facts().of(value, "iso"))
    return any(w in forms for w in wanted)


def extend(request_body: object, lang: str) -> dict:
    """The data extension response: ``{"meta": [...], "rows": {id: {property: [values]}}}``."""
    if not isinstance(request_body, dict):
        raise ApiError(400, "extend is a JSON object with ids and properties")
    ids, properties = request_body.get("ids"), request_body.get("properties")
    if not isinstance(ids, list) or not 0 < len(ids) <= MAX_IDS:
        raise ApiError(400, f"ids is a list of 1 to {MAX_IDS} entity ids")
    # each property at most once: the work is ids x properties, and a 300 KB body could ask for
    # the same property 17,000 times (a minute of a web worker's time)
    if not isinstance(properties, list) or not 0 < len(properties) <= len(PROPERTIES):
        raise ApiError(400, f"properties is a list of 1 to {len(PROPERTIES)} {{id}} objects")
    asked = [p.get("id") if isinstance(p, dict) else None for p in properties]
    wanted = [p for p in asked if isinstance(p, str) and p in PROPERTIES]
    if len(wanted) != len(asked):
        raise ApiError(400, "unknown property; see propose_properties", known=sorted(PROPERTIES))
    if len(set(wanted)) != len(wanted):
        raise ApiError(400, "each property is asked for once")
    index, known = entity_index(), facts()
    meta = [_meta(p) for p in wanted]
    rows = {}
    for identifier in ids:
        iri = entity_iri(identifier)
        rows[identifier] = {p: [_cell(v, index, lang) for v in known.of(iri, p)] for p in wanted}
    return {"meta": meta, "rows": rows}


def _meta(prop: str) -> dict:
    meta: dict[str, object] = {"id": prop, "name": PROPERTIES[prop][0]}
    if prop == "country":
        meta["type"] = type_of("country")
    return meta


def _cell(value: str, index, lang: str) -> dict:
    if value in index.thing_set:
        return {"id": value[len(index.thing_prefix) :], "name": label_of(index, value, lang)}
    if value.startswith(index.base + "def#"):  # a role: near:MemberRole
        return {"str": value.rsplit("#", 1)[1].removesuffix("Role").lower()}
    return {"str": value}
