"""The words of the figures in the six languages: titles, captions, headings, ordinals.

The phrases are in the site's message catalogue (service/locale, gettext); a figure drawn
for a language other than the page's (``/figures/x.svg?lang=ko``) asks that language's.

Headings prefer the ontology's ``rdfs:label`` in the page's language of the term they stand for
(``near:Region``..., given to ``FigureText`` as ``term_labels``); these words are the fallback.
A phrase missing in a language falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.numbers import format_decimal

from service.pages.message_catalogue import N_, translations

# phrase key -> its English words, the msgid of the catalogue (service/locale)
# fmt: off
# ruff: noqa: E501 (one line per phrase reads best)
WORDS: dict[str, str] = {
    "title:conference-timeline": N_("Timeline of the NEAR conferences"),
    "title:participation-matrix": N_("Which regions took part in which conference"),
    "title:members-by-country": N_("Members and observers by country"),
    "title:coordination-network": N_("Subcommittees and their coordinator regions"),
    "caption:conference-timeline": N_("Each NEAR conference by year, with its ordinal where a source states it (an ordinal only inferred is marked as inferred) and the region that hosted it, or where it was only planned."),
    "caption:participation-matrix": N_("The regions each conference page lists as participants; below, the number of participants the page states and the number it lists."),
    "caption:members-by-country": N_("How many regional governments of each country are NEAR members and how many are observers."),
    "caption:coordination-network": N_("Each subcommittee joined to the regional government that coordinates it, grouped by country."),
    "Region": N_("Region"),
    "Conference": N_("Conference"),
    "Country": N_("Country"),
    "Subcommittee": N_("Subcommittee"),
    "Members": N_("Members"),
    "Observers": N_("Observers"),
    "Host region": N_("Host region"),
    "stated": N_("stated"),
    "listed": N_("listed"),
    "{ordinal} (inferred)": N_("{ordinal} (inferred)"),
    "Planned host region": N_("Planned host region"),
    "ordinal not stated": N_("ordinal not stated"),
    "not stated": N_("not stated"),
    "took part": N_("took part"),
    "listed as taking part": N_("listed as taking part"),
    "not listed": N_("not listed"),
    "no list in the source": N_("no list in the source"),
    "No data": N_("No data"),
    "Figures": N_("Figures"),
    "Figures intro": N_("Pictures drawn from the live data. Each names the saved query that produces it; its data can be downloaded."),
    "Saved query": N_("Saved query"),
    "Data": N_("Data"),
    "All figures": N_("All figures"),
    "{shown} of {total} shown here.": N_("{shown} of {total} shown here."),
    "The whole figure": N_("The whole figure"),
}
# fmt: on

# "1st" / "第1回" ...: how a conference's ordinal is written
ORDINALS = {
    "ja": "第{n}回",
    "ko": "제{n}회",
    "zh": "第{n}届",
    "ru": "{n}-я",
    "mn": "{n}-р",
}


def english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# headings whose words the ontology may give (rdfs:label of near:{term})
HEADING_TERMS = {
    "Region": "Region",
    "Conference": "Conference",
    "Country": "Country",
    "Subcommittee": "Subcommittee",
}


@dataclass(frozen=True)
class FigureText:
    """The words of one figure language; ``term_labels`` are the ontology's labels in it."""

    lang: str
    term_labels: dict[str, str] = field(default_factory=dict)

    def __call__(self, phrase: str) -> str:
        return translations(self.lang).ugettext(WORDS.get(phrase, phrase))

    def heading(self, phrase: str) -> str:
        term = HEADING_TERMS.get(phrase)
        label = self.term_labels.get(term) if term else None
        if label:
            return label[:1].upper() + label[1:]
        return self(phrase)

    def number(self, n: int) -> str:
        """``n`` written as the language writes numbers (1,008; 1 008 in Russian)."""
        return format_decimal(n, locale=self.lang)

    def title(self, figure: str) -> str:
        return self(f"title:{figure}")

    def caption(self, figure: str) -> str:
        return self(f"caption:{figure}")

    def ordinal(self, n: int | None, inferred: int | None = None) -> str:
        """The stated ordinal; else the inferred one, marked as inferred; else "not stated"."""
        if n is None and inferred is not None:
            return self("{ordinal} (inferred)").format(ordinal=self.ordinal(inferred))
        if n is None:
            return self("ordinal not stated")
        if self.lang in ORDINALS:
            return ORDINALS[self.lang].format(n=n)
        return english_ordinal(n)
