"""``/openapi.json`` matches the Flask routes, and schemathesis drives every operation with
generated requests: never a 5xx, and every response in a media type the document declares."""

from __future__ import annotations

import re
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from service.http import openapi

from .conftest import REPO, make_app
from .hostile_fixture import make_hostile_dataset

AUTOMATIC = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = make_hostile_dataset(tmp_path_factory.mktemp("openapi") / "data")
    shutil.copytree(REPO / "sparql", root / "sparql")
    return make_app(root, query_timeout=5.0)


def openapi_path(rule: str) -> str:
    """``/doc/<kind>/<name>`` and ``/graph/<path:path>`` as OpenAPI writes them."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_route_is_described_with_its_methods(app):
    document = app.test_client().get("/openapi.json").get_json()
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        routes.setdefault(openapi_path(rule.rule), set()).update(rule.methods - AUTOMATIC)
    described = {
        path: {method.upper() for method in operations}
        for path, operations in document["paths"].items()
    }
    assert described == routes


def test_the_document_is_openapi_3_naming_this_server(app):
    document = app.test_client().get("/openapi.json", base_url="http://127.0.0.1:9").get_json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://127.0.0.1:9"}]


def operation_labels() -> list[str]:
    paths = openapi.document("http://127.0.0.1:9")["paths"]
    return [
        f"{method.upper()} {path}" for path, operations in paths.items() for method in operations
    ]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.mark.parametrize("label", operation_labels())
def test_generated_requests_get_declared_answers(api_schema, label):
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def answered_as_declared(case):
        case.call_and_validate(
            checks=[not_a_server_error, content_type_conformance, response_schema_conformance]
        )

    answered_as_declared()
