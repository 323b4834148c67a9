"""The interface's message catalogues (service/locale): complete in every language, in step
with the phrases of the code, placeholders kept; and pages that use them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from loaders.settings import LANGUAGES
from service.pages.message_catalogue import LOCALE_DIR, catalogue_path

from .conftest import REPO

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def read(path):
    with open(path, "rb") as po:
        return read_po(po)


def ids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_phrase_is_translated_with_its_placeholders(lang):
    template = read(LOCALE_DIR / "messages.pot")
    catalogue = read(catalogue_path(lang))
    assert ids(catalogue) == ids(template)
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, (lang, message.id)
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            assert form.strip(), (lang, message.id)
            wanted = set(PLACEHOLDER.findall(singular)) - {"num"}
            assert wanted <= set(PLACEHOLDER.findall(form)), (lang, message.id, form)


def test_the_template_is_in_step_with_the_code(tmp_path):
    """Every phrase the code marks is in messages.pot (run pybabel extract after a change)."""
    extracted = tmp_path / "messages.pot"
    command = "from babel.messages.frontend import main; main()"
    subprocess.run(
        [sys.executable, "-c", command, "-q", "extract", "-F", "babel.cfg", "-k", "N_",
         "-k", "_t", "--no-location", "-o", str(extracted), "."],
        cwd=REPO,
        check=True,
    )  # fmt: skip
    assert ids(read(extracted)) == ids(read(LOCALE_DIR / "messages.pot"))


@pytest.fixture(scope="module")
def client():
    from pathlib import Path

    from loaders.settings import Settings
    from service.app import create_app

    return create_app(Settings.from_env({}, data_dir=Path(REPO))).test_client()


NAVIGATION = {"ja": "会員", "ko": "회원", "zh": "成员", "ru": "Члены", "mn": "Гишүүд"}


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("path", ["/", "/sparql", "/queries", "/shapes", "/def", "/nowhere"])
def test_pages_speak_the_readers_language(client, lang, path):
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    text = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in text
    assert f">{NAVIGATION[lang]}</a>" in text
    assert "Skip to the content" not in text and "Back to the home page" not in text


# What a template's _() and gettext() give (message_catalogue.template_gettext), as Jinja's
# new-style i18n gives it: the reader's words as markup, values escaped into them, and the
# text always formatted, so "%%" is "%".
TEMPLATE_WORDS = [
    ("en", '{{ _("Site") }}', "Site"),
    ("ja", '{{ _("Site") }}', "サイト"),
    ("ja", '{{ gettext("Breadcrumbs") }}', "パンくずリスト"),
    ("en", '{{ _("%(what)s and more", what="<b>&") }}', "&lt;b&gt;&amp; and more"),
    ("en", '{{ _("100%% sure") }}', "100% sure"),
    ("en", '{{ ngettext("%(num)s row", "%(num)s rows", 3) }}', "3 rows"),
]


@pytest.mark.parametrize(("lang", "source", "expected"), TEMPLATE_WORDS)
def test_template_words_are_translated_and_escaped(client, lang, source, expected):
    app = client.application
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        assert app.jinja_env.from_string(source).render() == expected


# the home page's Kind column and a graph page's breadcrumb: what a named graph holds
DATA_GRAPHS = {
    "en": "Data", "ja": "データ", "ko": "데이터", "zh": "数据", "ru": "Данные", "mn": "Өгөгдөл",
}  # fmt: skip
HTML = {"Accept": "text/html"}


def test_every_kind_of_graph_has_a_name():
    from loaders.layout import FOLDERS
    from loaders.snapshot import DESCRIPTION_FOLDER
    from service.pages.kind_names import GRAPH_KINDS

    assert set(GRAPH_KINDS) == {*FOLDERS, DESCRIPTION_FOLDER}


@pytest.mark.parametrize("lang", sorted(DATA_GRAPHS))
def test_the_kinds_of_graphs_are_in_the_readers_language(client, lang):
    home = client.get(f"/?lang={lang}").get_data(as_text=True)
    kinds = set(re.findall(r"<tr><td><code>[^<]*</code></td><td>([^<]*)</td>", home))
    assert DATA_GRAPHS[lang] in kinds and len(kinds) == 4, kinds
    if lang != "en":
        assert not kinds & {"data", "ontology", "shapes", "description", "Data"}, kinds
    page = client.get(f"/graph/data/members?lang={lang}", headers=HTML).get_data(as_text=True)
    assert f"› {DATA_GRAPHS[lang]}</nav>" in page


@pytest.mark.parametrize("lang", sorted(DATA_GRAPHS))
def test_a_graph_title_or_source_in_another_language_is_marked(client, lang):
    """The graphs' titles are English, the 1995 conference page's name English and Japanese:
    marked as such on a page in another language."""
    page = client.get(f"/graph/data/members?lang={lang}", headers=HTML).get_data(as_text=True)
    assert re.search(r"<h1[^>]*>", page).group(0) == ("<h1>" if lang == "en" else '<h1 lang="en">')
    page = client.get(f"/graph/data/conferences/1995?lang={lang}", headers=HTML)
    source = re.search(r'<a href="[^"]*/id/source/khabarovsk-1995-en[^>]*>', page.get_data(True))
    marked = ' lang="en">' if lang not in ("en", "ja") else '">'
    assert source.group(0).endswith(marked)
