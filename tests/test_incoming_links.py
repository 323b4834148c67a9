"""A much-linked thing's "Linked from", kept once per data version (issue 22): the same pages
as when every statement is read and ordered on each request."""

from __future__ import annotations

import re

from service.http import context
from service.linked_data import incoming_links
from service.linked_data.entity_index import index_for
from service.linked_data.incoming_links import kept_for

from .linked_data_fixture import make_app, make_dataset

JP = "https://w3id.org/near/id/country/JP"
REPORTS = 260  # past KEPT_FROM: kept


def _dataset(tmp_path):
    lines = [
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix near: <https://w3id.org/near/def#> .",
        "@prefix org: <http://www.w3.org/ns/org#> .",
    ]
    for n in range(1, REPORTS + 1):
        # names in the reverse order of the addresses, two of each (ties keep the store's
        # order), in English and some in Japanese
        lines.append(
            f'<https://w3id.org/near/id/publication/P{n:03d}> rdfs:label "Report {n // 2}"@en ;'
            + (f' rdfs:label "報告 {n}"@ja ;' if n % 3 == 0 else "")
            + f" near:about <{JP}> ; near:mentions <{JP}> ."
        )
    for n in range(40):  # records: 30 shown in full, not listed again under "Linked from"
        lines.append(f"<https://w3id.org/near/id/membership/M{n:02d}> org:member <{JP}> .")
    lines.append(f'[] near:about <{JP}> ; rdfs:label "a note"@en .')
    return make_dataset(tmp_path, {"data/turtle/reports.ttl": "\n".join(lines)})


PATHS = [
    f"/doc/country/JP.html{query}"
    for query in ("", "?page=2", "?page=3&lang=ja", "?page=6&lang=ko", "?lang=ja", "?page=9")
]


def test_kept_pages_are_those_read_in_full(tmp_path, monkeypatch):
    root = _dataset(tmp_path)
    kept_app = make_app(root)
    kept = {path: kept_app.test_client().get(path).get_data() for path in PATHS}
    with kept_app.test_request_context("/"):
        index = index_for(context.store(), context.snapshot())
        assert kept_for(index).get(JP) is not None  # the kept path was taken
    monkeypatch.setattr(incoming_links, "KEPT_FROM", 10**9)
    read_app = make_app(root)
    for path in PATHS:
        assert read_app.test_client().get(path).get_data() == kept[path], path
    text = kept["/doc/country/JP.html"].decode()
    assert f"<small>({REPORTS})</small>" in text  # each predicate's statements all counted
    assert text.count("/id/membership/M") == 40  # 30 shown in full, 10 linked from


def test_kept_linked_from_is_ordered_by_name_across_pages(tmp_path):
    client = make_app(_dataset(tmp_path)).test_client()
    about, mentions = [], []
    for page in range(1, 7):
        text = client.get(f"/doc/country/JP.html?page={page}&lang=en").get_data(as_text=True)
        numbers = [int(n) for n in re.findall(r"<bdi>Report (\d+)</bdi>", text)]
        half = len(numbers) // 2  # the two predicates' tables, each with this page's window
        about += numbers[:half]
        mentions += numbers[half:]
    expected = sorted(n // 2 for n in range(1, REPORTS + 1))
    assert about == expected and mentions == expected
