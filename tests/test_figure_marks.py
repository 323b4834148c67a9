"""A conference's page marks itself on the timeline, and only itself, though the timeline is
drawn once and kept (issue 22); the figure block is kept per page and language."""

from __future__ import annotations

import re
from pathlib import Path

from service.figures import views

from .conftest import make_app

REPO = Path(__file__).resolve().parent.parent
NEAR = "https://w3id.org/near/id/conference/"


def _marked(page: str) -> list[str]:
    """The conferences whose timeline row is drawn marked (the larger circle)."""
    rows = re.findall(r'<g class="conference" data-conference="([^"]+)">(.*?)</g>', page, re.S)
    return [iri for iri, row in rows if 'r="9"' in row]


def test_each_conference_page_marks_only_itself(monkeypatch):
    client = make_app(REPO, validator=True, allow_invalid=True).test_client()
    years = ["1993", "1995", "1996", "1993"]  # the first again: from what is kept
    pages = {}
    for year in years:
        page = client.get(f"/doc/conference/{year}.html?lang=ja").get_data(as_text=True)
        assert _marked(page) == [NEAR + year]
        assert f'href="http://localhost/id/conference/{year}?lang=ja"' in page
        pages.setdefault(year, page)
        assert page == pages[year]
    unmarked = client.get("/figures?lang=ja").get_data(as_text=True)
    assert _marked(unmarked) == []
    # the kept blocks stay within their bound: the oldest go first
    monkeypatch.setattr(views, "EMBEDS_KEPT_CHARS", len(pages["1993"]) // 4)
    for year in ("1994", "1997", "1998"):
        client.get(f"/doc/conference/{year}.html")
    assert 0 < views._embeds_chars <= views.EMBEDS_KEPT_CHARS
