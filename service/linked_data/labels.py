"""Choosing what to call a thing in the reader's language: the one label rule of the web
layer (entity pages, lists, search, the query page's result tables).

Fallback chain (``loaders.ontology.fallback_chain``, shared with the ontology's pages): the
requested language, then English, then the other five languages in the order of LANGUAGES,
then an untagged label, then any label, then a name made from the IRI.
"""

from __future__ import annotations

from loaders.ontology import fallback_chain, local_name

LANGUAGE_NAMES = {
    "en": "English",
    "ja": "日本語",
    "ko": "한국어",
    "zh": "中文",
    "ru": "Русский",
    "mn": "Монгол",
}


def pick(labels: dict[str, str] | None, lang: str) -> tuple[str, str] | None:
    """(label, its language) in the best language available, or None."""
    if not labels:
        return None
    for candidate in fallback_chain(lang):
        if candidate in labels:
            return labels[candidate], candidate
    # a regional tag such as en-GB or zh-Hant
    for candidate in fallback_chain(lang):
        for tag, text in sorted(labels.items()):
            if candidate and tag.split("-")[0] == candidate:
                return text, tag
    tag, text = sorted(labels.items())[0]
    return text, tag


def humanize(name: str) -> str:
    """``hasGovernment`` -> ``has government``; ``iso3166_2`` stays readable."""
    words: list[str] = []
    current = ""
    for char in name.replace("_", " "):
        if char.isupper() and current and not current[-1].isupper():
            words.append(current)
            current = char.lower()
        else:
            current += char
    words.append(current)
    return " ".join(w for w in words if w).strip() or name


def label_of(index, iri: str, lang: str) -> str:
    """The label of a resource in ``lang`` (with the fallback chain), else a readable name."""
    return chosen_label(index, iri, lang)[0]


def language_of_label(index, iri: str, lang: str) -> str | None:
    """The language of the label ``label_of`` shows (None: untagged or no label), so that a
    name shown in a fallback language can be marked with its own ``lang``."""
    return chosen_label(index, iri, lang)[1]


def chosen_label(index, iri: str, lang: str) -> tuple[str, str | None]:
    """(``label_of``, ``language_of_label``) in one reading of the index's labels; kept by
    the entity index (one data version) for the most shown ones."""
    memo = getattr(index, "chosen_labels", None)
    if memo is None:
        return _chosen_label(index, iri, lang)
    found = memo.get((iri, lang))
    if found is None:
        found = _chosen_label(index, iri, lang)
        if len(memo) < CHOSEN_LABELS_KEPT:
            memo[(iri, lang)] = found
    return found


def shown_label(index, iri: str, lang: str) -> tuple[str, str | None]:
    """``chosen_label`` for a page in ``lang``: the label, and its language only where it is
    another (a fallback, which the page marks with its own ``lang``)."""
    label, label_lang = chosen_label(index, iri, lang)
    return label, label_lang if label_lang and label_lang != lang else None


# labels kept chosen per entity index: the kinds, predicates, countries and bodies every page
# shows are met first; the bound keeps a million-triple dataset's labels from being copied
CHOSEN_LABELS_KEPT = 16_384


def _chosen_label(index, iri: str, lang: str) -> tuple[str, str | None]:
    chosen = pick(index.labels.get(iri), lang)
    if chosen:
        return chosen[0], chosen[1] or None
    kind_key = index.kind_and_key(iri)
    if kind_key:
        return f"{kind_key[0]} {kind_key[1]}", None
    return humanize(local_name(iri)), None
