"""A figure on another page shows a part of itself at scale (issue 22): a conference's page
draws the timeline rows around itself, a subcommittee's page the coordinations that concern
it, the home page the latest conferences; each says how much it shows and links to the whole
figure on /figures. NEAR's own data is drawn whole, as before."""

from __future__ import annotations

import re

import pytest

from benchmarks import synthetic
from loaders.figure_models import (
    CoordinatorRegion,
    CountryGroup,
    Subcommittee,
    TimelineEntry,
    coordination_count,
    coordination_window,
    timeline_window,
)
from service.figures.catalog import EMBEDDED_MARKS

from .conftest import make_app

LIMIT = 5


def _entries(n: int) -> list[TimelineEntry]:
    return [TimelineEntry(f"c{i}", 1990 + i, i + 1, f"C{i}", "", "", "", "") for i in range(n)]


# (entries, highlighted position or None, expected first position of the window)
TIMELINE_CASES = [
    (3, 1, 0),  # fewer than the limit: all of them
    (20, 0, 0),  # the first: the window starts there
    (20, 10, 8),  # in the middle: centred
    (20, 19, 15),  # the last: the window ends there
    (20, None, 15),  # nothing highlighted: the latest
]


@pytest.mark.parametrize(("count", "marked", "first"), TIMELINE_CASES)
def test_the_timeline_window(count, marked, first):
    entries = _entries(count)
    highlight = entries[marked].conference if marked is not None else None
    window = timeline_window(entries, highlight, LIMIT)
    assert window == entries[first : first + min(LIMIT, count)]
    if highlight:
        assert highlight in [entry.conference for entry in window]


def _network(regions: int, each: int) -> list[CountryGroup]:
    groups = [CountryGroup("AA", "A"), CountryGroup("BB", "B")]
    for r in range(regions):
        subs = [Subcommittee(f"s{r}-{s}", f"S{r}-{s}") for s in range(each)]
        groups[r % 2].regions.append(CoordinatorRegion(f"r{r}", f"R{r}", subs))
    return groups


def _rows(groups: list[CountryGroup]) -> list[tuple[str, str]]:
    return [(r.region, s.iri) for g in groups for r in g.regions for s in r.subcommittees]


@pytest.mark.parametrize(
    ("highlight", "expected"),
    [
        ("s3-0", [("r3", "s3-0"), ("r3", "s3-1")]),  # a subcommittee: its coordinator's rows
        ("r2", [("r2", "s2-0"), ("r2", "s2-1")]),  # a region: its own rows
        (None, [("r0", "s0-0"), ("r0", "s0-1"), ("r2", "s2-0"), ("r2", "s2-1"), ("r4", "s4-0")]),
    ],
)
def test_the_network_window(highlight, expected):
    network = _network(6, 2)
    assert coordination_count(network) == 12
    window = coordination_window(network, highlight, LIMIT)
    assert _rows(window) == expected
    assert coordination_window(_network(2, 2), highlight, LIMIT) == _network(2, 2)


def test_a_region_coordinating_many_keeps_the_highlighted_subcommittee():
    network = _network(1, 12)
    window = coordination_window(network, "s0-9", LIMIT)
    rows = _rows(window)
    assert len(rows) == LIMIT and ("r0", "s0-9") in rows


@pytest.fixture(scope="module")
def large_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic-figures")
    synthetic.write(folder, 30_000, 1)  # 29 conferences, 29 subcommittees
    return make_app(folder, allow_invalid=True).test_client()


def _timeline_rows(page: str) -> list[tuple[str, bool]]:
    rows = re.findall(r'<g class="conference" data-conference="([^"]+)">(.*?)</g>', page, re.S)
    return [(iri, 'r="9"' in row) for iri, row in rows]


def _part_note(page: str) -> tuple[int, int] | None:
    found = re.search(r'class="near-figure-part">(\d+) of (\d+) shown here\.', page)
    return (int(found[1]), int(found[2])) if found else None


def test_a_conference_page_at_scale_shows_the_rows_around_itself(large_client):
    whole = _timeline_rows(large_client.get("/figures").get_data(as_text=True))
    assert len(whole) > EMBEDDED_MARKS
    for position in (0, len(whole) // 2, len(whole) - 1):
        iri = whole[position][0]
        path = iri.split("/id/", 1)[1]
        page = large_client.get(f"/doc/{path}.html").get_data(as_text=True)
        rows = _timeline_rows(page)
        assert len(rows) == EMBEDDED_MARKS
        assert [i for i, marked in rows if marked] == [iri]
        order = [i for i, _ in whole]
        start = order.index(rows[0][0])
        assert [i for i, _ in rows] == order[start : start + EMBEDDED_MARKS]  # in a row
        assert _part_note(page) == (EMBEDDED_MARKS, len(whole))
        assert 'href="/figures#conference-timeline"' in page
    home = large_client.get("/").get_data(as_text=True)
    assert [i for i, _ in _timeline_rows(home)] == [i for i, _ in whole[-EMBEDDED_MARKS:]]


def test_a_subcommittee_page_at_scale_shows_its_coordination(large_client):
    network = large_client.get("/figures/coordination-network.csv").get_data(as_text=True)
    rows = network.strip().splitlines()[1:]
    assert len(rows) > EMBEDDED_MARKS
    key = re.search(r"/id/subcommittee/([^,\s]+)", network)[1]
    page = large_client.get(f"/doc/subcommittee/{key}.html?lang=ja").get_data(as_text=True)
    drawn = re.findall(r'data-subcommittee="([^"]+)"', page)
    assert 0 < len(drawn) <= EMBEDDED_MARKS
    assert any(iri.endswith(f"/subcommittee/{key}") for iri in drawn)
    assert re.search(rf"全{len(rows)}件のうち{len(drawn)}件を表示", page)
    assert 'href="/figures?lang=ja#coordination-network"' in page


def test_near_data_is_drawn_whole():
    client = make_app().test_client()  # NEAR's data: 4 conferences, 14 coordinations
    for path in ("/doc/conference/1995.html", "/", "/doc/subcommittee/agriculture.html"):
        page = client.get(path).get_data(as_text=True)
        assert "<svg" in page, path
        assert _part_note(page) is None, path


@pytest.mark.parametrize(
    ("lang", "written"), [("en", "1,008"), ("ja", "1,008"), ("ru", "1\u00a0008"), ("mn", "1,008")]
)
def test_the_counts_are_written_as_the_language_writes_numbers(lang, written):
    from service.figures.text import FigureText

    assert FigureText(lang).number(1008) == written
