"""A path sent to mislead the links of the page it asks for (service/pages/page_links.py):
a browser reads ``/\\host``, ``/<TAB>/host`` and ``//host`` as another site, so every link the
page makes from its own path must stay a path on this host."""

from __future__ import annotations

import re

import pytest

HOSTILE_PATHS = (
    "/%5Cevil.example",  # a backslash: /\evil.example
    "/%5C%5Cevil.example",
    "/%09/evil.example",  # a tab, which browsers drop from URLs
    "/%0D/evil.example",  # a carriage return, also dropped
    "/%0A/evil.example",
    "/%20/evil.example",
    "/%2F/evil.example",  # an encoded slash: //evil.example once decoded
    "/search/%5Cevil.example",
)
HREF = re.compile(r'href="([^"]*)"')


@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("lang", ["", "?lang=ja"])
def test_every_link_of_the_page_stays_on_this_host(client, path, lang):
    page = client.get(path + lang, headers={"Accept": "text/html"})
    assert page.status_code == 404
    links = HREF.findall(page.get_data(as_text=True))
    assert any("lang=ja" in link for link in links)  # the language switcher is there
    for link in links:
        if link.startswith("/"):
            assert not link.startswith(("//", "/\\")), link
        elif not link.startswith("#"):  # (the skip link)
            assert link.startswith("http://localhost/"), link
        assert not re.search(r"[\\\x00-\x20\x7f]", link), link
