"""The optional per-client rate limit: off by default, 429 with Retry-After over the limit,
per client address, X-Forwarded-For only when the proxy is trusted."""

from __future__ import annotations

import pytest

from loaders.settings import Settings
from service.http.rate_limit import Rate, RateLimiter

from .conftest import make_app


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [("60/minute", 60, 60.0), ("10/second", 10, 1.0), ("5/10minutes", 5, 600.0),
     (" 1000 / hour ", 1000, 3600.0), ("2/day", 2, 86400.0)],
)  # fmt: skip
def test_rates_are_read(text, count, period):
    assert Rate.parse(text) == Rate(count, period)


@pytest.mark.parametrize("text", ["", "60", "minute", "0/minute", "-1/minute", "5/fortnight"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse(text)


def test_a_bucket_allows_the_burst_then_one_per_interval():
    clock = FakeClock()
    limiter = RateLimiter(Rate(3, 60.0), clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(20.0)
    assert limiter.take("b") == 0.0  # another client has its own bucket
    clock.now += 20.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0.0


def make_client(tiny_dataset, **overrides):
    return make_app(tiny_dataset, **overrides).test_client()


def test_off_by_default(tiny_dataset):
    client = make_client(tiny_dataset)
    assert {client.get("/healthz").status_code for _ in range(100)} == {200}


def test_over_the_limit_is_429_with_retry_after(tiny_dataset):
    client = make_client(tiny_dataset, rate_limit="3/minute")
    statuses = [client.get("/healthz").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/healthz", headers={"Accept": "application/problem+json"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert "too many requests" in refused.get_json()["detail"]
    other = client.get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200  # per client address


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(tiny_dataset):
    untrusted = make_client(tiny_dataset, rate_limit="1/minute")
    assert untrusted.get("/healthz", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
    spoofed = untrusted.get("/healthz", headers={"X-Forwarded-For": "2.2.2.2"})
    assert spoofed.status_code == 429  # a client cannot pick a fresh address

    trusted = make_client(tiny_dataset, rate_limit="1/minute", trust_proxy=True)
    assert trusted.get("/healthz", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 200
    assert trusted.get("/healthz", headers={"X-Forwarded-For": "1.1.1.1"}).status_code == 429
    forwarded = trusted.get("/healthz", headers={"X-Forwarded-For": "2.2.2.2, 10.0.0.1"})
    assert forwarded.status_code == 200


def test_the_settings_are_read_from_the_environment():
    settings = Settings.from_env({"NEARKG_RATE_LIMIT": "10/second", "NEARKG_TRUST_PROXY": "yes"})
    assert (settings.rate_limit, settings.trust_proxy) == ("10/second", True)
    assert Settings.from_env({}).rate_limit is None
    assert Settings.from_env({}).trust_proxy is False
