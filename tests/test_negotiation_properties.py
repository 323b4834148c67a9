"""Properties of content negotiation and of the IRI mapping, for any input (hypothesis)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.settings import LANGUAGES
from service.http import context
from service.http.negotiation import negotiate, negotiate_language, parse_accept

from .linked_data_fixture import make_app, make_dataset

OFFERS = ["text/turtle", "application/ld+json", "application/rdf+xml", "text/html"]
TOKEN_CHARS = st.sampled_from("abcdefghijklmnopqrstuvwxyz+-.*/ ")
media_type = st.one_of(
    st.sampled_from([*OFFERS, "*/*", "text/*", "application/*", "image/png"]),
    st.text(TOKEN_CHARS, max_size=20),
)
q_value = st.one_of(
    st.sampled_from(["0", "0.0", "1", "0.5", "1.0", "nan", "inf", "-1", "2", "1e400", "", "x"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
PARAMETERS = st.sampled_from(["", ";charset=utf-8", ";level=1", ";;", ";q"])
accept_range = st.builds(lambda t, q, extra: f"{t};q={q}{extra}", media_type, q_value, PARAMETERS)
accept_header = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(media_type, accept_range), max_size=12).map(", ".join),
)
KEY = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,40}", fullmatch=True)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(header=st.one_of(st.none(), accept_header), offers=st.lists(media_type, max_size=6))
def test_negotiate_never_raises_and_returns_an_offer_or_none(header, offers):
    parse_accept(header)
    chosen = negotiate(header, offers)
    assert chosen is None or chosen in offers


@SETTINGS
@given(header=accept_header, refused=st.sampled_from(OFFERS))
def test_an_offer_with_q_zero_is_never_chosen(header, refused):
    # (a client that also names the same type with a higher q gets it: the higher q wins)
    header = ",".join(r for r in header.split(",") if refused not in r.lower())
    for zero in ("0", "0.0", "0.000"):
        with_refusal = f"{header}, {refused};q={zero}" if header else f"{refused};q={zero}"
        assert negotiate(with_refusal, OFFERS) != refused


@SETTINGS
@given(header=st.one_of(st.none(), st.text(max_size=300), accept_header))
def test_negotiate_language_never_raises_and_returns_a_supported_language(header):
    assert negotiate_language(header, LANGUAGES) in LANGUAGES


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(make_dataset(tmp_path_factory.mktemp("iri")))


@SETTINGS
@given(key=KEY, kind=st.sampled_from(["region", "country", "conference", "figure"]))
def test_local_url_and_canonical_iri_round_trip(app, key, kind):
    path = f"id/{kind}/{key}"
    with app.test_request_context("/", base_url="http://127.0.0.1:8080"):
        iri = context.canonical_iri(path)
        assert iri == f"https://w3id.org/near/{path}"
        assert context.local_url(iri) == f"http://127.0.0.1:8080/{path}"
        assert context.canonical_iri("/" + path) == iri


@SETTINGS
@given(key=st.text(min_size=1, max_size=60), accept=st.one_of(st.none(), accept_header))
def test_any_key_answers_on_our_host(app, key, accept):
    client = app.test_client()
    headers = {"Accept": accept} if accept is not None and accept.isprintable() else {}
    response = client.get("/id/region/" + quote(key, safe=""), headers=headers)
    assert response.status_code in (303, 308, 404, 406)  # 308: "//" merged by Werkzeug
    location = response.headers.get("Location")
    assert location is None or location.startswith("http://localhost/")
    if response.status_code == 303:
        assert key in ("JP-32", "JP-31")
