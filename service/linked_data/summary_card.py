"""The summary card of an entity page (``entity_summary.Summary``) written as HTML in Python.

It was a part of ``ld/entity.html`` that called a macro per name: a conference's card names
every participant, grouped by country, and those calls were a tenth of its page. The markup is
the same; every text from the data goes through ``markupsafe.escape`` (as the template's
autoescape did) before the one ``Markup`` returned.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from service.linked_data.entity_summary import Fact, Passage, Summary
from service.linked_data.statement_table import named
from service.pages.message_catalogue import gettext as _


def summary_card(summary: Summary, language: str) -> Markup:
    """The card: its facts, the names grouped (participants by country), and the passages
    (a declaration's resolutions with their text)."""
    label = _("Summary")  # outside the f-string: pybabel does not look inside them
    parts = [f'\n<section class="summary" aria-label="{escape(label)}">\n<dl>\n']
    parts += [_fact(fact, language) for fact in summary.facts]
    parts.append("\n</dl>\n</section>\n")
    if summary.groups:
        parts.append(f"\n<h2>{escape(summary.group_title)}</h2>\n")
        for country, items in summary.groups:
            heading = named(country) if country else "—"
            names = "".join(f"<li>{named(item)}</li>" for item in items)
            parts.append(
                f"\n<h3>{heading} <small>({len(items)})</small></h3>\n"
                f'<ul class="things">{names}</ul>\n'
            )
        parts.append("\n")
    parts.append("\n")
    if summary.passages:
        parts.append(f"\n<h2>{escape(summary.passages_title)}</h2>\n")
        parts += [_passage(passage, language) for passage in summary.passages]
        parts.append("\n")
    parts.append("\n")
    return Markup("".join(parts))  # noqa: S704 - every part from the data escaped above


def _fact(fact: Fact, language: str) -> str:
    text = escape(fact.text)
    if fact.text_lang and fact.text_lang != language:
        text = Markup(f'<span lang="{escape(fact.text_lang)}">{text}</span>')  # noqa: S704
    between = " · " if fact.text and fact.links else ""
    names = ", ".join(named(item) for item in fact.links)
    return f"<dt>{escape(fact.label)}</dt><dd>{text}{between}{names}</dd>\n"


def _passage(passage: Passage, language: str) -> str:
    heading = f"<h3>{named(passage.heading)}</h3>" if passage.heading else ""
    lang = f' lang="{escape(passage.lang)}"' if passage.lang != language else ""
    text = escape(passage.text)
    body = (
        f'<pre class="source-text"{lang}>{text}</pre>'
        if passage.verbatim
        else f"<p{lang}>{text}</p>"
    )
    return f'\n<section class="passage">{heading}\n{body}</section>\n'
