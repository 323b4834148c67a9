"""The words of the site's own interface, from gettext message catalogues (data labels come
from the data).

Decision (README "Languages"): the catalogues are the ``.po`` files in ``service/locale/``
(one per language, made and updated with Babel's ``pybabel extract/update``). Babel compiles
one in memory the first time its language is asked for, so no compiled ``.mo`` file is
committed or can go stale. A phrase a catalogue lacks is shown in
English (tests/test_message_catalogue.py keeps every catalogue complete and in step with
the phrases of the code).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from markupsafe import Markup

from loaders.settings import LANGUAGES
from service.http.request_view import current

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"  # service/locale
DOMAIN = "messages"


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of ``lang`` (English, and a language without one: none)."""
    path = catalogue_path(lang)
    if lang == "en" or lang not in LANGUAGES or not path.is_file():
        return Translations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def N_(message: str) -> str:
    """Marks a phrase for the catalogue (``pybabel extract -k N_``); translated when shown."""
    return message


# the titles of error pages (werkzeug's names of the statuses), translated when shown
HTTP_TITLES = (
    N_("Bad Request"), N_("Not Found"), N_("Method Not Allowed"), N_("Not Acceptable"),
    N_("Request Entity Too Large"), N_("Request-URI Too Large"), N_("Unsupported Media Type"),
    N_("Too Many Requests"), N_("Internal Server Error"), N_("Service Unavailable"),
    N_("Forbidden"), N_("Unauthorized"), N_("Request Header Fields Too Large"),
    N_("Gateway Timeout"), N_("Unprocessable Entity"), N_("Precondition Failed"),
)  # fmt: skip


def current_language() -> str:
    return current().language


def gettext(message: str, **values) -> str:
    text = translations(current_language()).ugettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    text = translations(current_language()).ungettext(singular, plural, n)
    return text % {"num": n, **values}


def template_gettext(message: str, /, **values) -> Markup:
    """``_()`` and ``gettext()`` in templates: what Jinja's new-style i18n callables do (the
    translation taken as markup, ``values`` escaped into it, always formatted, so ``%%`` is
    ``%``), called directly rather than through the template context three times (a tenth of
    a small page's template time went to those calls). Every template is HTML, so
    autoescaped."""
    text = translations(current_language()).ugettext(message)
    return Markup(text) % values  # noqa: S704 - our own catalogue's words, as Jinja's i18n takes them


def register(app) -> None:
    """``_()``, ``gettext`` and ``ngettext`` in every template (Jinja's i18n extension, new
    style: ``_("%(n)s rows", n=3)``, escaped like any other value; ``_`` and ``gettext``
    then replaced by ``template_gettext``, which does the same in one call)."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
