"""NEARKG_TRUSTED_HOSTS: the Host header is written into links and Location, so a service that
names its hosts refuses any other with 400 before it writes anything."""

from __future__ import annotations

import json

import pytest

from loaders.settings import Settings

from .conftest import make_app


def make_client(tiny_dataset, **overrides):
    return make_app(tiny_dataset, **overrides).test_client()


def test_read_from_the_environment():
    settings = Settings.from_env({"NEARKG_TRUSTED_HOSTS": " kg.example.org, .near.example ,"})
    assert settings.trusted_hosts == ("kg.example.org", ".near.example")
    assert Settings.from_env({}).trusted_hosts == ()


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("kg.example.org", 303),
        ("kg.example.org:8080", 303),  # the port is not part of the check
        ("www.near.example", 303),  # a subdomain of .near.example
        ("evil.example", 400),
        ("kg.example.org.evil.example", 400),
    ],
)
def test_only_the_named_hosts_are_answered(tiny_dataset, host, status):
    client = make_client(tiny_dataset, trusted_hosts=("kg.example.org", ".near.example"))
    for _ in range(2):  # a refusal is never kept by a cache in front
        answer = client.get("/id/region/JP-32", headers={"Host": host, "Accept": "text/turtle"})
        assert answer.status_code == status
    if status == 303:
        assert answer.headers["Location"].startswith(f"http://{host}/doc/region/JP-32")
    else:
        assert "Location" not in answer.headers
        text = answer.get_data(as_text=True)
        assert "is not trusted" in text and f"//{host}" not in text  # named, never linked


def test_the_refusal_is_a_problem_document(tiny_dataset):
    client = make_client(tiny_dataset, trusted_hosts=("kg.example.org",))
    answer = client.get(
        "/doc/region/JP-32", headers={"Host": "evil.example", "Accept": "application/json"}
    )
    assert answer.status_code == 400
    problem = json.loads(answer.get_data())
    assert problem["status"] == 400 and problem["title"]


def test_any_host_without_the_setting(tiny_dataset):
    client = make_client(tiny_dataset)
    answer = client.get("/id/region/JP-32", headers={"Host": "mirror.example:9000"})
    assert answer.headers["Location"].startswith("http://mirror.example:9000/")
