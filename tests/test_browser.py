"""What a person sees in a real browser (headless Chromium) against a real ``nearkg serve``:
the home page and its figures, switching language, following a member region, the SPARQL
page running a saved query. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest

from .browser_support import open_browser, rendered_size, screenshot

pytestmark = [pytest.mark.server, pytest.mark.optional]


def assert_drawn(page, figure: str) -> None:
    width, height = rendered_size(page, f"svg#figure-{figure}")
    assert width > 100 and height > 100, (figure, width, height)


def test_home_figures_and_languages(start_server, tmp_path):
    server = start_server()
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/")
        assert page.locator("h1").inner_text() == "NEAR knowledge graph"
        assert page.get_by_role("group", name="Members and observers by country").is_visible()
        assert_drawn(page, "members-by-country")
        assert_drawn(page, "conference-timeline")
        screenshot(page, "home-en")

        page.locator("header.site a[hreflang=ja]").click()
        page.wait_for_url("**/?lang=ja")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert page.get_by_role("group", name="国別の会員・オブザーバー自治体数").is_visible()
        assert "第3回" in page.locator("svg#figure-conference-timeline").text_content()
        assert page.locator("header.site nav").get_by_text("図表").is_visible()
        assert_drawn(page, "members-by-country")
        screenshot(page, "home-ja")

        page.locator("header.site a[hreflang=ru]").click()
        page.wait_for_url("**/?lang=ru")
        assert page.get_by_role("group", name="Члены и наблюдатели по странам").is_visible()
        assert "Монголия" in page.locator("svg#figure-members-by-country").text_content()
        screenshot(page, "home-ru")

        page.goto(server.url + "/figures?lang=ko")
        for figure in (
            "conference-timeline",
            "participation-matrix",
            "members-by-country",
            "coordination-network",
        ):
            assert_drawn(page, figure)
        assert "경상북도" in page.locator("svg#figure-coordination-network").text_content()
        screenshot(page, "figures-ko")


def test_follow_a_member_region_in_japanese(start_server, tmp_path):
    server = start_server()
    with open_browser(tmp_path / "profile", locale="ja-JP") as browser:
        page = browser.new_page()
        page.goto(server.url + "/")
        assert page.locator("html").get_attribute("lang") == "ja"
        page.locator("header.site nav").get_by_role("link", name="会員").click()
        page.wait_for_url("**/members")
        page.get_by_role("link", name="島根県政府", exact=True).click()
        assert page.locator("h1").inner_text() == "島根県政府"
        page.locator("main").get_by_role("link", name="島根県", exact=True).first.click()
        assert page.locator("h1").inner_text() == "島根県"
        assert "/doc/region/JP-32" in page.url
        screenshot(page, "region-ja", full_page=False)

        page.goto(server.url + "/doc/conference/1995")
        assert_drawn(page, "conference-timeline")
        highlighted = page.locator("svg#figure-conference-timeline g.conference").nth(2)
        assert "第3回" in highlighted.text_content()
        screenshot(page, "conference-ja", full_page=False)


def test_sparql_page_runs_a_saved_query_without_javascript(start_server, tmp_path):
    server = start_server()
    with open_browser(tmp_path / "profile", javascript=False) as browser:
        page = browser.new_page()
        page.goto(server.url + "/")
        page.locator("header.site nav").get_by_role("link", name="SPARQL").click()
        page.wait_for_url("**/sparql")
        assert page.locator("textarea#query").is_visible()
        page.get_by_role("link", name="Figure: NEAR members and observers by country").click()
        table = page.locator("table.results")
        assert table.is_visible()
        text = table.inner_text()
        assert "Mongolia" in text and "22" in text
        screenshot(page, "sparql-saved-query")

        page.goto(server.url + "/sparql")
        page.locator("textarea#query").fill(
            "PREFIX near: <https://w3id.org/near/def#>\n"
            "SELECT (COUNT(?m) AS ?memberships) WHERE { ?m a near:Membership }"
        )
        page.get_by_role("button", name="Run query").click()
        assert page.locator("table.results td").first.inner_text().split()[0] == "76"
        screenshot(page, "sparql-query")


def test_search_suggests_as_you_type(start_server, tmp_path):
    server = start_server()
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/search")
        page.locator("form[role=search] input[name=q]").press_sequentially("しまね", delay=50)
        link = page.locator("#suggestions").get_by_role(
            "link", name="Shimane Prefecture", exact=True
        )
        link.wait_for()
        assert "島根県" in page.locator("#suggestions").inner_text()  # the name in kana's script
        screenshot(page, "search-suggest")
        link.click()
        page.wait_for_url("**/doc/region/JP-32")
        assert "Shimane Prefecture" in page.locator("h1").inner_text()
