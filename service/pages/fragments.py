"""The parts of every page that depend only on the reader's language and on whether they
chose it in the address (``?lang=``): the site's menu, the skip link and brand, the footer.

Rendered once per app, part and language and then kept (a dozen translated words and links
were a fifth of a small entity page's template time); the language switcher, whose links
carry the page's own address, is written per page in one call."""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup, escape

from service.http.request_view import current
from service.linked_data.labels import LANGUAGE_NAMES
from service.pages.page_links import language_switch_prefix

KEPT = "nearkg_fragments"


def fragment(template: str) -> Markup:
    """``template`` rendered in the reader's language, kept per (template, language, chosen
    in the address or not): only templates whose words and links depend on nothing else."""
    view = current()
    kept = current_app.extensions.setdefault(KEPT, {})
    key = (template, view.language, view.language_query)
    found = kept.get(key)
    if found is None:
        found = kept[key] = Markup(render_template(template))  # noqa: S704 - autoescaped
    return found


def language_switcher() -> Markup:
    """A link per language to this page in it (the address ``page_links.language_switch_url``
    gives): the page's own address is encoded and escaped once (``language_switch_prefix``)
    and each language's code added to it (six encodings of the same query were a thirtieth of
    a small page)."""
    view = current()
    prefix = escape(language_switch_prefix())
    links = []
    for code, name in LANGUAGE_NAMES.items():
        here = ' aria-current="true"' if view.language == code else ""
        link = f'<a href="{prefix}{code}" hreflang="{code}" lang="{code}"{here}>{name}</a>'
        links.append(f"\n      {link}\n    ")
    return Markup("".join(links))  # noqa: S704 - the page's address escaped above


def register(app) -> None:
    app.add_template_global(fragment, "fragment")
    app.add_template_global(language_switcher, "language_switcher")
