"""The ``backend`` fixture: the same tests against embedded pyoxigraph, Oxigraph server and
Virtuoso. Each yields a KnowledgeStore loaded with a small dataset and a Flask test client."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from loaders.settings import Settings
from loaders.store import KnowledgeStore
from service.app import create_app

from .conftest import write_dataset

BACKENDS = ("embedded", "oxigraph", "virtuoso")
REMOTE = ("oxigraph", "virtuoso")

# a blank-node structure and characters that need escaping, on top of the tiny dataset
EXTRA_DATA = """@prefix near: <https://w3id.org/near/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
<https://w3id.org/near/id/membership/JP-32> a near:Membership ;
    <http://www.w3.org/ns/org#member> <https://w3id.org/near/id/government/JP-32> ;
    <http://www.w3.org/ns/org#memberDuring> [ time:hasBeginning [ time:inXSDgYear "1996" ] ] ;
    skos:editorialNote "a \\"quoted\\" note with a } brace, a # hash and a\\nnew line"@en .
<https://w3id.org/near/id/government/JP-32> near:governs <https://w3id.org/near/id/region/JP-32> ;
    skos:prefLabel "島根県庁"@ja, "Shimane Prefectural Government"@en .
"""


def settings_for(name: str, request, dataset: Path, **env: str) -> Settings:
    values = {"NEARKG_RELOAD_CHECK_SECONDS": "0", **env}
    if name in REMOTE:
        server = request.getfixturevalue(f"{name}_server")
        values.update(server.environment())
    return Settings.from_env(values, data_dir=dataset)


@dataclass
class Loaded:
    name: str
    settings: Settings
    store: KnowledgeStore
    client: FlaskClient
    dataset: Path

    @property
    def remote(self) -> bool:
        return self.name in REMOTE


@pytest.fixture(params=BACKENDS)
def backend(request, tiny_dataset) -> Loaded:
    write_dataset(tiny_dataset, {"data/turtle/memberships.ttl": EXTRA_DATA})
    settings = settings_for(request.param, request, tiny_dataset)
    store = KnowledgeStore(settings)
    store.reload()
    app = create_app(settings, store=store)
    return Loaded(request.param, settings, store, app.test_client(), tiny_dataset)


@pytest.fixture(params=REMOTE)
def remote_name(request) -> str:
    return request.param
