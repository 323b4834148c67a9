"""The statement tables of an entity page and the names it links, written as HTML in Python.

They were Jinja macros called once per value: at a conference's page (30 records, each with
its table) calling them was a third of the page's time. The markup is the same; every text
and address from the data goes through ``markupsafe.escape`` (as the templates' autoescape did)
before the one ``Markup`` each function returns.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from service.pages.message_catalogue import gettext as _


def _lang(lang: str | None) -> str:
    return f' lang="{escape(lang)}"' if lang else ""


def named(item) -> Markup:
    """A thing's name, linked where it has an address (``entity_summary.Named``)."""
    label = escape(item.label)
    if item.href:
        html = f'<a href="{escape(item.href)}"{_lang(item.lang)}><bdi>{label}</bdi></a>'
    else:
        html = f"<bdi{_lang(item.lang)}>{label}</bdi>"
    return Markup(html)  # noqa: S704 - every part from the data escaped above


def _value(value) -> str:
    link = value.link
    if link is not None:
        if link.href:
            return (
                f'<a href="{escape(link.href)}"{_lang(link.lang)}>'
                f"<bdi>{escape(link.label)}</bdi></a>"
            )
        return f"<code>{escape(link.iri)}</code>"
    text = f"<bdi{_lang(value.lang)}>{escape(value.text)}</bdi>"
    if value.lang:
        text += f' <small class="tag">@{escape(value.lang)}</small>'
    if value.datatype:
        text += f' <small class="tag">{escape(value.datatype)}</small>'
    return text


def _sources(value) -> str:
    return "; ".join(
        f'<a class="source" href="{escape(s.href)}"{_lang(s.lang)}>{escape(s.label)}</a>'
        if s.href
        else str(escape(s.label))
        for s in value.sources
    )


def _predicate(group) -> str:
    predicate = group.predicate
    label = str(escape(predicate.label))
    if predicate.href:
        label = f'<a href="{escape(predicate.href)}"{_lang(predicate.lang)}>{label}</a>'
    count = f" <small>({group.total})</small>" if group.total > len(group.values) else ""
    return (
        f'<th scope="row" rowspan="{len(group.values)}" title="{escape(predicate.iri)}">'
        f"{label}{count}</th>"
    )


def property_table(groups) -> Markup:
    """The table of ``entity_page.PropertyGroup``s: a row per value, the predicate spanning
    its group's rows; the Source column only where a statement's source differs from the
    page's Sources box."""
    marked = any(value.sources for group in groups for value in group.values)
    # the words outside the f-strings: pybabel (on Python 3.11) does not look inside them
    source, prop, value = _("Source"), _("Property"), _("Value")
    source_head = f"<th>{source}</th>" if marked else ""
    parts = [
        f'\n\n<table class="props{"" if marked else " no-sources"}">\n'
        f"<thead><tr><th>{prop}</th><th>{value}</th>{source_head}</tr></thead>\n"
        "<tbody>\n"
    ]
    for group in groups:
        parts.append("\n  ")
        for position, value in enumerate(group.values):
            head = _predicate(group) if position == 0 else ""
            source = f'<td class="src">{_sources(value)}</td>' if marked else ""
            parts.append(
                f"\n  <tr>\n    {head}\n    <td>{_value(value)}</td>\n    {source}\n  </tr>\n  "
            )
        parts.append("\n")
    parts.append("\n</tbody>\n</table>")
    return Markup("".join(parts))  # noqa: S704 - every part from the data escaped above
