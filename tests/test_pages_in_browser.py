"""Pages for people (issue 19), in headless Chromium against a real ``nearkg serve``: the
chosen language survives following links, a Japanese page has no English interface words,
the 1995 conference page leads with its summary, the declaration carries its resolutions,
phones get no horizontal scroll, the query editor loads only from our origin and marks a
syntax error's line, and axe-core finds no serious or critical problem."""

from __future__ import annotations

import json
import os
import re

import pytest
from babel.messages.pofile import read_po

from service.pages.message_catalogue import catalogue_path

from .browser_support import open_browser, screenshot, serious_accessibility_problems
from .conftest import ServerProcess, free_port

pytestmark = [pytest.mark.server, pytest.mark.optional]

PHONE = (390, 844)


@pytest.fixture(scope="module")
def server(tmp_path_factory):

    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    process = ServerProcess([], dict(os.environ), port, log)
    process.wait_ready()
    yield process
    process.stop()


@pytest.mark.parametrize("lang", ["ja", "mn", "en"])
def test_the_chosen_language_survives_five_clicks(server, tmp_path, lang):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/")
        page.locator(f"header.site a[hreflang={lang}]").click()
        steps = [
            "header.site nav a[href*='/members']",
            "main ul.things a >> nth=0",
            "main nav.crumbs a >> nth=1",
            "header.site nav a[href*='/conferences']",
            "main ul.things a >> nth=2",
        ]
        for step in steps:
            page.locator(step).first.click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == lang, (step, page.url)
            assert f"lang={lang}" in page.url, (step, page.url)
        screenshot(page, f"five-clicks-{lang}", full_page=False)


def english_phrases() -> list[str]:
    """Interface phrases whose Japanese differs from the English (longer than one word)."""
    with catalogue_path("ja").open("rb") as po:
        catalogue = read_po(po)
    return [
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and message.id
        and message.string
        and message.string != message.id
        and len(re.sub(r"%\([a-z]+\)s", "", message.id).strip()) > 6
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/", "/members", "/doc/conference/1995", "/sparql", "/search?q=toyama", "/def",
        "/nowhere", "/queries", "/queries/conference-participants", "/shapes", "/validation",
        "/void", "/dumps/", "/figures", "/browse/participation", "/doc/region/JP-32",
        "/doc/source/brochure-ja", "/doc/declaration/khabarovsk-1995", "/reconcile/docs",
    ],
)  # fmt: skip
def test_no_english_interface_words_on_a_japanese_page(server, tmp_path, path):
    with open_browser(tmp_path / "profile", locale="ja-JP") as browser:
        page = browser.new_page()
        page.goto(server.url + path)
        leaked = english_interface_phrases(page, english_phrases())
        assert not leaked, (path, leaked)


def english_interface_phrases(page, phrases: list[str]) -> list[str]:
    """Which of ``phrases`` a Japanese reader sees or hears on ``page``: visible text and the
    names and tooltips (aria-label, title, placeholder) of what claims to be Japanese
    (English data and messages are marked lang=en)."""
    text = page.evaluate(
        """() => { const out = []; const walk = document.createTreeWalker(document.body,
           NodeFilter.SHOW_TEXT); const japanese = (element) =>
             (element.closest('[lang]') || document.documentElement).lang === 'ja';
           while (walk.nextNode()) { const node = walk.currentNode;
           const owner = node.parentElement;
           if (!owner || owner.closest('script,style,code,pre,textarea')) continue;
           if (!japanese(owner) || !owner.checkVisibility()) continue;
           out.push(node.textContent); }
           const named = document.body.querySelectorAll('[aria-label],[title],[placeholder]');
           for (const element of named) {
             if (!japanese(element)) continue;
             for (const name of ['aria-label', 'title', 'placeholder']) {
               if (element.hasAttribute(name)) out.push(element.getAttribute(name)); } }
           return out.join(' | '); }"""
    )
    return [  # as words: "Conference" in an identifier such as ConferenceShape is code
        phrase
        for phrase in phrases
        if re.search(rf"(?<![\w:#/-]){re.escape(phrase)}(?![\w-])", text)
    ]


def test_the_editor_shows_a_syntax_error_in_japanese(server, tmp_path):
    """YASGUI's own English (its error panel, its buttons' names and tooltips, the error
    mark's tooltip) is replaced from the catalogue: the keys of the page's word list are
    YASGUI's English, and none of them, nor an interface phrase, is left."""
    with open_browser(tmp_path / "profile", locale="ja-JP") as browser:
        page = browser.new_page()
        page.goto(server.url + "/sparql?lang=ja")
        yasgui_english = [
            key
            for key in json.loads(page.locator("#query-words").text_content())
            if " " in key or key[0].isupper()
        ]
        editor = page.locator(".CodeMirror")
        editor.click()
        page.keyboard.press("Control+A")
        # the editor's grammar accepts this; the server's parser does not (?x is not grouped)
        page.keyboard.type("SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?p")
        page.keyboard.press("Control+Enter")
        panel = page.locator("#query-results .query-error")
        panel.wait_for()
        assert "クエリを実行できませんでした" in panel.inner_text()
        assert page.locator("#query-results .yasr_tryQuery").count() == 0

        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("SELECT ?x WHERE {\n?x ?p ?o\nFILTER(?x = )\n}")
        icon = page.locator(".CodeMirror .parseErrorIcon").first
        icon.wait_for()
        icon.hover()
        tooltip = page.locator(".yasqe_tooltip").first
        tooltip.wait_for()
        page.wait_for_function(
            "() => !document.querySelector('.yasqe_tooltip').textContent.startsWith('This line')"
        )
        screenshot(page, "sparql-syntax-error-ja")
        leaked = english_interface_phrases(page, english_phrases() + yasgui_english)
        assert not leaked, leaked
        assert "This line is invalid" not in tooltip.inner_text()


def test_the_1995_conference_leads_with_its_summary(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/doc/conference/1995.html?lang=en")
        card = page.locator("section.summary")
        text = card.inner_text()
        for expected in ("Sep", "1995", "Khabarovsk", "21", "18", "Khabarovsk Declaration"):
            assert expected in text, (expected, text)
        box = card.bounding_box()
        assert box["y"] + box["height"] <= 900, box  # in the first screen
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, height
        assert page.get_by_role("link", name="Khabarovsk Declaration").first.is_visible()
        screenshot(page, "conference-1995-en")


def test_the_declaration_page_carries_its_resolutions(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/doc/declaration/khabarovsk-1995.html?lang=ja")
        passages = page.locator("section.passage")
        assert passages.count() >= 4  # the declaration and its three resolutions
        assert "Regional Government Representatives Conference" in passages.nth(1).inner_text()
        screenshot(page, "declaration-khabarovsk-ja", full_page=False)


@pytest.mark.parametrize("lang", ["en", "ja", "mn"])
@pytest.mark.parametrize(
    "path", ["/", "/doc/region/JP-32", "/doc/conference/1995", "/sparql", "/def"]
)
def test_no_horizontal_scroll_on_a_phone(server, tmp_path, path, lang):
    with open_browser(tmp_path / "profile", viewport=PHONE) as browser:
        page = browser.new_page()
        page.goto(f"{server.url}{path}?lang={lang}")
        page.wait_for_load_state("load")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (path, lang, widths)
        if lang == "mn" and path in ("/", "/doc/conference/1995"):
            screenshot(page, f"phone-{path.strip('/').replace('/', '-') or 'home'}-mn")


def test_the_editor_loads_only_from_our_origin_and_marks_a_syntax_error(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(server.url + "/sparql?lang=ja")
        editor = page.locator(".CodeMirror")
        editor.wait_for()
        assert page.locator("textarea#query").is_hidden()
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("SELECT ?x WHERE {\n?x ?p ?o\nFILTER(?x = )\n}")
        page.keyboard.press("Control+Enter")
        page.locator(
            ".CodeMirror .parseErrorIcon, .CodeMirror-gutter-elt .parseErrorIcon"
        ).first.wait_for()
        marked = page.locator(".CodeMirror-code > div").filter(has=page.locator(".parseErrorIcon"))
        assert "FILTER" in marked.first.inner_text()
        assert "FILTER(?x = )" in page.evaluate("document.querySelector('textarea#query').value")

        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("SELECT ?g WHERE { ?g a <https://w3id.org/near/def#Region> } LIMIT 30")
        page.keyboard.press("Control+Enter")
        page.locator("#query-results table").first.wait_for()
        assert page.locator("#query-results").inner_text().count("region") >= 10
        screenshot(page, "sparql-editor-ja")
        elsewhere = [url for url in requested if not url.startswith(server.url)]
        assert not elsewhere, elsewhere


def test_axe_finds_no_serious_problem_in_the_results_table(server, tmp_path):
    with open_browser(tmp_path / "profile", bypass_csp=True) as browser:
        page = browser.new_page()
        page.goto(server.url + "/sparql?lang=ja")
        page.locator(".CodeMirror").click()
        page.keyboard.press("Control+Enter")
        page.locator("#query-results table").first.wait_for()
        shown = page.locator("#query-results").inner_text()
        for english in ("Simple view", "Page size", "Showing", "Response"):
            assert english not in shown, english  # YASGUI's controls in Japanese
        assert "簡易表示" in shown
        assert serious_accessibility_problems(page) == []


def test_a_syntax_error_without_javascript_keeps_the_query(server, tmp_path):
    with open_browser(tmp_path / "profile", javascript=False) as browser:
        page = browser.new_page()
        page.goto(server.url + "/sparql?lang=mn")
        page.locator("textarea#query").fill("SELECT ?x WHERE { ?x ?p ?o FILTER(?x = ) }")
        page.locator("form.sparql button[type=submit]").click()
        assert page.locator("#query-error").is_visible()
        assert "FILTER(?x = )" in page.locator("textarea#query").input_value()
        assert page.locator("html").get_attribute("lang") == "mn"
        assert page.locator("header.site nav a[href*='/members']").is_visible()


@pytest.mark.parametrize("lang", ["en", "ja", "mn"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/doc/region/JP-32",
        "/doc/conference/1995",
        "/doc/declaration/khabarovsk-1995",
        "/sparql",
        "/members",
        "/nowhere",
        "/def",
        "/search?q=toyama",
        "/queries/conference-participants",
    ],
)
def test_axe_finds_no_serious_problem(server, tmp_path, path, lang):
    with open_browser(tmp_path / "profile", bypass_csp=True) as browser:
        page = browser.new_page()
        page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        page.wait_for_load_state("load")
        assert serious_accessibility_problems(page) == []


@pytest.mark.parametrize("lang", ["mn", "ru", "ja"])
def test_every_figure_label_fits_in_its_drawing(server, tmp_path, lang):
    """Text widths are estimated on the server; the browser's fonts must not clip a label."""
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(f"{server.url}/figures?lang={lang}")
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('svg.figure-svg')].flatMap(svg => {
                 const width = svg.viewBox.baseVal.width;
                 return [...svg.querySelectorAll('text')].filter(t => {
                   const box = t.getBBox(); return box.x < 0 || box.x + box.width > width + 1;
                 }).map(t => svg.id + ': ' + t.textContent); })"""
        )
        assert clipped == []


@pytest.mark.parametrize("viewport", [(1280, 900), PHONE])
def test_a_long_share_link_wraps(server, tmp_path, viewport):
    long_query = (
        "SELECT ?region WHERE { ?region a <https://w3id.org/near/def#Region> . "
        + " ".join(
            f"OPTIONAL {{ ?region <https://w3id.org/near/def#p{n}> ?v{n} }}" for n in range(40)
        )
        + " } LIMIT 3"
    )
    with open_browser(tmp_path / "profile", javascript=False, viewport=viewport) as browser:
        page = browser.new_page()
        page.goto(server.url + "/sparql?lang=en")
        page.locator("textarea#query").fill(long_query)
        page.locator("form.sparql button[type=submit]").click()
        assert page.locator("p.share a").is_visible()
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths


def test_a_property_link_lands_on_its_definition_in_the_chosen_language(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.goto(server.url + "/doc/region/JP-32.html?lang=ja")
        page.locator("details.all-statements > summary").click()
        page.locator("table.props th a[href*='/def?lang=ja#country']").first.click()
        page.wait_for_url("**/def?lang=ja#country")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert page.locator("section#country").is_visible()
        top = page.evaluate("document.getElementById('country').getBoundingClientRect().top")
        assert 0 <= top < 200, top  # scrolled to the term


def type_in_the_editor(page, url: str, text: str) -> None:
    """Open the query page and type ``text`` over the editor's example."""
    page.goto(url)
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_the_editor_completes_our_classes_and_properties(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        type_in_the_editor(
            page,
            server.url + "/sparql?lang=en",
            "PREFIX near: <https://w3id.org/near/def#>\nSELECT * WHERE { ?x a near:Reg",
        )
        hints = page.locator(".CodeMirror-hints")
        hints.wait_for()
        assert "near:Region" in hints.inner_text()
        page.keyboard.press("Escape")
        hints.wait_for(state="detached")  # the class hints gone, not read again as new ones
        page.keyboard.type(" ; near:cou")
        hints.wait_for()
        assert "near:country" in hints.inner_text()


@pytest.mark.parametrize(
    "path", ["/", "/doc/conference/1995", "/sparql", "/def", "/doc/source/brochure-ja"]
)
def test_axe_finds_no_serious_problem_on_a_phone(server, tmp_path, path):
    with open_browser(tmp_path / "profile", bypass_csp=True, viewport=PHONE) as browser:
        page = browser.new_page()
        page.goto(f"{server.url}{path}?lang=mn")
        page.wait_for_load_state("load")
        assert serious_accessibility_problems(page) == []


def test_the_results_table_sorts_and_pages(server, tmp_path):
    with open_browser(tmp_path / "profile") as browser:
        page = browser.new_page()
        type_in_the_editor(
            page, server.url + "/sparql?lang=en", "SELECT ?n WHERE { VALUES ?n { 3 1 2 } }"
        )
        page.keyboard.press("Control+Enter")
        table = page.locator("#query-results table").first
        table.wait_for()
        screenshot(page, "sparql-sort-en", full_page=False)  # the page still answers

        def column() -> list[str]:  # the numbers shown ("3"^^xsd:integer)
            cells = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
            return [re.search(r"\d+", cell).group(0) for cell in cells]

        from playwright.sync_api import expect

        first = table.locator("tbody tr td:nth-child(2)").first
        assert column() == ["3", "1", "2"]  # the order of the answer
        table.locator("thead th").nth(1).click()
        expect(first).to_contain_text("1")
        assert column() == ["1", "2", "3"]
        table.locator("thead th").nth(1).click()
        expect(first).to_contain_text("3")
        assert column() == ["3", "2", "1"]
        assert page.locator("#query-results select").first.is_visible()  # rows per page
