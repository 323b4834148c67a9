"""The near-kg ontology (``ontology/near.ttl``) for checks and for the service.

Pure Python on rdflib: load the ontology, list its terms, pick a term's label or definition in a
language (requested -> English -> any), read the declared reused vocabularies, and render the
HTML documentation page served at ``/def``. Nothing here imports Flask or pyoxigraph; the
renderer also accepts a store snapshot (anything with ``.store.query`` and ``.graphs_of``) and
reads its ontology graphs through SPARQL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .namespaces import WELL_KNOWN
from .settings import DEFAULT_BASE, LANGUAGES

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "near.ttl"
SCHEMA = "http://schema.org/"
VANN = "http://purl.org/vocab/vann/"
DOMAIN_INCLUDES = URIRef(SCHEMA + "domainIncludes")
RANGE_INCLUDES = URIRef(SCHEMA + "rangeIncludes")

# kind key, rdf:type IRIs that make a term that kind, in the order the page lists them
KINDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("class", (OWL.Class, RDFS.Class)),
    ("object-property", (OWL.ObjectProperty,)),
    ("datatype-property", (OWL.DatatypeProperty,)),
    ("annotation-property", (OWL.AnnotationProperty, RDF.Property)),
    ("individual", ()),  # anything else typed in the namespace
)
CHARACTERISTICS = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
)
WELL_KNOWN_PREFIXES = WELL_KNOWN  # the one table (loaders.namespaces)


def namespace(base: str = DEFAULT_BASE) -> str:
    """The ontology namespace for a base: ``{base}def#``."""
    return base + "def#"


def ontology_iri(base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(base + "def")


# -- loading ------------------------------------------------------------------------------------


def rewrite_base(graph: Graph, base: str) -> Graph:
    """A copy of ``graph`` with every IRI that starts with the default base moved to ``base``."""
    if base == DEFAULT_BASE:
        return graph

    def move(node):
        if isinstance(node, URIRef) and str(node).startswith(DEFAULT_BASE):
            return URIRef(base + str(node)[len(DEFAULT_BASE) :])
        return node

    moved = Graph()
    for prefix, ns in graph.namespaces():
        moved.bind(prefix, move(URIRef(ns)), override=True)
    for s, p, o in graph:
        moved.add((move(s), move(p), move(o)))
    return moved


def load_ontology(path: str | Path | None = None, base: str = DEFAULT_BASE) -> Graph:
    """Parse the ontology (default: the repository's ``ontology/near.ttl``) for ``base``."""
    graph = Graph()
    graph.parse(str(path or ONTOLOGY_FILE), format="turtle")
    return rewrite_base(graph, base)


def rdflib_term(term):
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected RDF term {term!r}")


# -- terms and their texts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    iri: URIRef
    name: str  # local name, also the anchor on the documentation page
    kind: str  # a key of KINDS


def term_kind(graph: Graph, iri: URIRef) -> str | None:
    types = set(graph.objects(iri, RDF.type))
    if not types:
        return None
    for kind, markers in KINDS:
        if types & set(markers):
            return kind
    return "individual"


def list_terms(graph: Graph, base: str = DEFAULT_BASE) -> list[Term]:
    """Every term the ontology types in its namespace, by kind (page order) then local name."""
    ns = namespace(base)
    order = {kind: i for i, (kind, _) in enumerate(KINDS)}
    terms = set()
    for subject in set(graph.subjects(RDF.type, None)):
        if isinstance(subject, URIRef) and str(subject).startswith(ns):
            name = str(subject)[len(ns) :]
            if name:
                terms.add(Term(subject, name, term_kind(graph, subject) or "individual"))
    return sorted(terms, key=lambda t: (order[t.kind], t.name.lower(), t.name))


def texts(graph: Graph, subject, predicate) -> dict[str, str]:
    """language -> text for one predicate ("" for untagged); the first value per language."""
    found: dict[str, str] = {}
    for value in sorted(graph.objects(subject, predicate)):
        if isinstance(value, Literal):
            found.setdefault((value.language or "").lower(), str(value))
    return found


@functools.lru_cache(maxsize=64)
def fallback_chain(lang: str) -> tuple[str, ...]:
    """Requested language, English, the project's other languages, untagged (made once per
    language: a page asks for it for every label it shows)."""
    return tuple(dict.fromkeys([lang.lower(), "en", *LANGUAGES, ""]))


def pick(values: dict[str, str], lang: str) -> tuple[str, str] | None:
    """(text, language) in the best language available, or None."""
    if not values:
        return None
    for candidate in fallback_chain(lang):
        if candidate in values:
            return values[candidate], candidate
    for candidate in fallback_chain(lang):  # regional tags: en-GB, zh-Hant ...
        for tag in sorted(values):
            if candidate and tag.split("-")[0] == candidate:
                return values[tag], tag
    tag = sorted(values)[0]
    return values[tag], tag


def labels(graph: Graph, term) -> dict[str, str]:
    """The rdfs:label of a term per language."""
    return texts(graph, term, RDFS.label)


def label(graph: Graph, term, lang: str = "en", default: str | None = None) -> str | None:
    """The label of ``term`` in ``lang``, else English, else any label, else ``default``."""
    chosen = pick(labels(graph, term), lang)
    return chosen[0] if chosen else default


def definition(graph: Graph, term, lang: str = "en") -> str | None:
    """skos:definition (else rdfs:comment) in ``lang`` with the same fallback as labels."""
    for predicate in (SKOS.definition, RDFS.comment):
        chosen = pick(texts(graph, term, predicate), lang)
        if chosen:
            return chosen[0]
    return None


def reused_vocabularies(graph: Graph, base: str = DEFAULT_BASE) -> list[str]:
    """The namespaces the ontology declares with near:reusesVocabulary."""
    predicate = URIRef(namespace(base) + "reusesVocabulary")
    return sorted({str(ns) for ns in graph.objects(ontology_iri(base), predicate)})


def local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri.rstrip(separator):
            tail = iri.rstrip(separator).rsplit(separator, 1)[1]
            if tail:
                return tail
    return iri


# -- HTML ---------------------------------------------------------------------------------------

UI: dict[str, dict[str, str]] = {
    "contents": {
        "en": "Contents",
        "ja": "目次",
        "ko": "목차",
        "zh": "目录",
        "ru": "Содержание",
        "mn": "Агуулга",
    },
    "metadata": {
        "en": "About this ontology",
        "ja": "このオントロジーについて",
        "ko": "이 온톨로지에 대하여",
        "zh": "关于本本体",
        "ru": "Об онтологии",
        "mn": "Онтологийн тухай",
    },
    "class": {
        "en": "Classes",
        "ja": "クラス",
        "ko": "클래스",
        "zh": "类",
        "ru": "Классы",
        "mn": "Ангиуд",
    },
    "object-property": {
        "en": "Object properties",
        "ja": "オブジェクトプロパティ",
        "ko": "객체 속성",
        "zh": "对象属性",
        "ru": "Объектные свойства",
        "mn": "Объектын шинж чанарууд",
    },
    "datatype-property": {
        "en": "Datatype properties",
        "ja": "データ型プロパティ",
        "ko": "데이터 속성",
        "zh": "数据属性",
        "ru": "Свойства-значения",
        "mn": "Өгөгдлийн шинж чанарууд",
    },
    "annotation-property": {
        "en": "Annotation properties",
        "ja": "注釈プロパティ",
        "ko": "주석 속성",
        "zh": "注释属性",
        "ru": "Свойства-аннотации",
        "mn": "Тайлбарын шинж чанарууд",
    },
    "individual": {
        "en": "Named individuals",
        "ja": "個体",
        "ko": "개체",
        "zh": "个体",
        "ru": "Индивиды",
        "mn": "Тодорхой хувь биет",
    },
    "labels": {
        "en": "Labels",
        "ja": "ラベル",
        "ko": "레이블",
        "zh": "标签",
        "ru": "Названия",
        "mn": "Нэрс",
    },
    "reused": {
        "en": "Reused vocabularies",
        "ja": "再利用する語彙",
        "ko": "재사용 어휘",
        "zh": "复用的词表",
        "ru": "Используемые словари",
        "mn": "Дахин ашигласан толь",
    },
}


def N_(message: str) -> str:
    """Marks an English field name for the service's message catalogue (``pybabel extract``
    reads this file); ``ontology_document(words=...)`` translates it when the page is made."""
    return message


FIELD_NAMES = {
    "iri": N_("IRI"),
    "type": N_("Type"),
    "definition": N_("Definition"),
    "comment": N_("Comment"),
    "subClassOf": N_("Subclass of"),
    "superClassOf": N_("Superclass of"),
    "disjointWith": N_("Disjoint with"),
    "subPropertyOf": N_("Subproperty of"),
    "superPropertyOf": N_("Superproperty of"),
    "inverseOf": N_("Inverse of"),
    "domain": N_("Domain"),
    "range": N_("Range"),
    "domainIncludes": N_("Used on (domain includes)"),
    "rangeIncludes": N_("Values (range includes)"),
    "characteristics": N_("Characteristics"),
    "instances": N_("Individuals"),
    "editorialNote": N_("Note"),
}
META_FIELDS = (
    (N_("IRI"), None),
    (N_("Version IRI"), OWL.versionIRI),
    (N_("Version"), OWL.versionInfo),
    (N_("Creator"), DCTERMS.creator),
    (N_("Created"), DCTERMS.created),
    (N_("Modified"), DCTERMS.modified),
    (N_("License"), DCTERMS.license),
    (N_("Source"), DCTERMS.source),
    (N_("Preferred prefix"), URIRef(VANN + "preferredNamespacePrefix")),
    (N_("Namespace"), URIRef(VANN + "preferredNamespaceUri")),
)
STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.45}
code{font-size:.9em}section.term{border-top:1px solid #ccc;padding:.5rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0}table.labels td{padding:0 .6rem 0 0}.kind{color:#555;font-size:.9em}
nav ul{columns:3}
"""


def _ui(key: str, lang: str) -> str:
    return pick(UI[key], lang)[0]


class _Page:
    """Helpers bound to one graph, namespace and language."""

    def __init__(self, graph: Graph, lang: str, base: str, words=None) -> None:
        self.graph = graph
        self.lang = lang
        self.words = words or (lambda text: text)
        self.ns = namespace(base)
        self.prefixes = dict(WELL_KNOWN_PREFIXES)
        for prefix, ns in graph.namespaces():
            if prefix and str(ns) not in self.prefixes.values():
                self.prefixes[prefix] = str(ns)
        self.prefixes["near"] = self.ns

    def curie(self, iri: str) -> str:
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = prefix
        if best and iri != self.prefixes[best]:
            return f"{best}:{iri[len(self.prefixes[best]) :]}"
        return iri

    def link(self, node) -> str:
        """A term or thing as a link (own terms by anchor), a literal as text."""
        if isinstance(node, Literal):
            text = escape(str(node))
            return f'<span lang="{escape(node.language)}">{text}</span>' if node.language else text
        if isinstance(node, BNode):
            return self.describe_bnode(node)
        iri = str(node)
        if iri.startswith(self.ns) and iri[len(self.ns) :]:
            name = iri[len(self.ns) :]
            chosen = pick(labels(self.graph, node), self.lang)
            shown, shown_lang = chosen if chosen else (name, "")
            # a label in another language than the page's (a fallback) says which
            marked = f' lang="{escape(shown_lang)}"' if shown_lang not in ("", self.lang) else ""
            return (
                f'<a href="#{escape(name)}" title="{escape(self.curie(iri))}"{marked}>'
                f"{escape(shown)}</a>"
            )
        return f'<a href="{escape(iri)}"><code>{escape(self.curie(iri))}</code></a>'

    def describe_bnode(self, node: BNode) -> str:
        """owl:unionOf lists and the like, shortly; otherwise a placeholder."""
        for predicate, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
            members = self.graph.value(node, predicate)
            if members is not None:
                return word.join(self.link(m) for m in self.graph.items(members))
        return "(anonymous)"

    def links(self, nodes: Iterable) -> str:
        rendered = sorted({self.link(n) for n in nodes})
        return ", ".join(rendered)


def _row(name: str, value: str) -> str:
    return f"<dt>{escape(name)}</dt><dd>{value}</dd>" if value else ""


def _term_section(page: _Page, term: Term) -> str:
    g = page.graph
    iri = term.iri
    heading = label(g, iri, page.lang, default=term.name)
    field = {key: page.words(name) for key, name in FIELD_NAMES.items()}
    rows = [_row(field["iri"], f"<code>{escape(str(iri))}</code>")]
    types = [t for t in g.objects(iri, RDF.type) if t not in CHARACTERISTICS]
    rows.append(_row(field["type"], page.links(types)))
    chosen = pick(texts(g, iri, SKOS.definition), page.lang)
    if chosen:
        rows.append(
            _row(
                field["definition"],
                f'<span lang="{escape(chosen[1])}">{escape(chosen[0])}</span>',
            )
        )
    chosen = pick(texts(g, iri, RDFS.comment), page.lang)
    if chosen:
        rows.append(
            _row(
                field["comment"],
                f'<span lang="{escape(chosen[1])}">{escape(chosen[0])}</span>',
            )
        )
    relations = (
        ("subClassOf", g.objects(iri, RDFS.subClassOf)),
        ("superClassOf", g.subjects(RDFS.subClassOf, iri)),
        ("disjointWith", [*g.objects(iri, OWL.disjointWith), *_all_disjoint(g, iri)]),
        ("subPropertyOf", g.objects(iri, RDFS.subPropertyOf)),
        ("superPropertyOf", g.subjects(RDFS.subPropertyOf, iri)),
        ("inverseOf", [*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)]),
        ("domain", g.objects(iri, RDFS.domain)),
        ("range", g.objects(iri, RDFS.range)),
        ("domainIncludes", g.objects(iri, DOMAIN_INCLUDES)),
        ("rangeIncludes", g.objects(iri, RANGE_INCLUDES)),
        ("characteristics", [t for t in g.objects(iri, RDF.type) if t in CHARACTERISTICS]),
        ("instances", g.subjects(RDF.type, iri) if term.kind == "class" else ()),
        ("editorialNote", g.objects(iri, SKOS.editorialNote)),
    )
    for key, nodes in relations:
        rows.append(_row(field[key], page.links(n for n in nodes if n != iri)))
    all_labels = labels(g, iri)
    ordered = [lang for lang in LANGUAGES if lang in all_labels] + sorted(
        lang for lang in all_labels if lang not in LANGUAGES
    )
    label_rows = "".join(
        f"<tr><td><code>{escape(lang or '-')}</code></td>"
        f'<td lang="{escape(lang)}">{escape(all_labels[lang])}</td></tr>'
        for lang in ordered
    )
    rows.append(_row(_ui("labels", page.lang), f'<table class="labels">{label_rows}</table>'))
    return (
        f'<section class="term" id="{escape(term.name)}">'
        f'<h3>{escape(heading)} <span class="kind">(<code>near:{escape(term.name)}</code>)</span>'
        f"</h3><dl>{''.join(rows)}</dl></section>"
    )


def _all_disjoint(graph: Graph, iri: URIRef) -> list:
    """Classes declared disjoint with ``iri`` through owl:AllDisjointClasses."""
    found = []
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = graph.value(axiom, OWL.members)
        if members_list is None:
            continue
        members = list(graph.items(members_list))
        if iri in members:
            found.extend(m for m in members if m != iri)
    return found


@dataclass
class OntologyDocument:
    """The parts of the ontology's documentation page, each escaped HTML: the service puts
    them in its site template, ``render_ontology_html`` in a page of their own."""

    lang: str
    title: str
    introduction: str  # the description, the metadata and the reused vocabularies
    contents: str  # the table of contents: kinds, each with its terms
    body: str  # a section per kind, an entry per term (``id`` = its local name)


def ontology_document(
    graph, lang: str = "en", base: str = DEFAULT_BASE, words=None
) -> OntologyDocument:
    """The ontology's documentation, generated from the ontology itself.

    ``graph`` is an rdflib Graph of the ontology. Every term of the namespace ``{base}def#``
    gets a section whose ``id`` is its local name, so that each hash IRI lands on its entry.
    ``words`` translates the English field names (identity by default). All text is
    HTML-escaped.
    """
    lang = (lang or "en").lower()
    page = _Page(graph, lang, base, words)
    onto = ontology_iri(base)
    title = pick(texts(graph, onto, DCTERMS.title), lang)
    title_text = title[0] if title else "near-kg ontology"
    description = pick(texts(graph, onto, DCTERMS.description), lang)

    meta_rows = []
    for name, predicate in META_FIELDS:
        if predicate is None:
            meta_rows.append(_row(page.words(name), f"<code>{escape(str(onto))}</code>"))
        else:
            meta_rows.append(_row(page.words(name), page.links(graph.objects(onto, predicate))))
    formats = ", ".join(
        f'<a href="def.{suffix}">{escape(name)}</a>'
        for suffix, name in (
            ("ttl", "Turtle"),
            ("jsonld", "JSON-LD"),
            ("rdf", "RDF/XML"),
            ("nt", "N-Triples"),
        )
    )
    meta_rows.append(_row("RDF", formats))
    reused = reused_vocabularies(graph, base)
    reused_html = "".join(
        f'<li><a href="{escape(ns)}"><code>{escape(ns)}</code></a>'
        + (f" ({escape(page.curie(ns).rstrip(':'))}:)" if page.curie(ns) != ns else "")
        + "</li>"
        for ns in reused
    )

    terms = list_terms(graph, base)
    toc_parts, body_parts = [], []
    for kind, _ in KINDS:
        of_kind = [t for t in terms if t.kind == kind]
        if not of_kind:
            continue
        heading = escape(_ui(kind, lang))
        toc_items = "".join(
            f'<li><a href="#{escape(t.name)}">{escape(label(graph, t.iri, lang, default=t.name))}'
            f"</a></li>"
            for t in of_kind
        )
        toc_parts.append(f'<li><a href="#section-{kind}">{heading}</a><ul>{toc_items}</ul></li>')
        sections = "".join(_term_section(page, t) for t in of_kind)
        body_parts.append(f'<section id="section-{kind}"><h2>{heading}</h2>{sections}</section>')

    introduction = (
        (f'<p lang="{escape(description[1])}">{escape(description[0])}</p>' if description else "")
        + f'<section id="section-metadata"><h2>{escape(_ui("metadata", lang))}</h2>'
        f"<dl>{''.join(meta_rows)}</dl></section>"
        + (
            f'<section id="section-reused"><h2>{escape(_ui("reused", lang))}</h2>'
            f"<ul>{reused_html}</ul></section>"
            if reused
            else ""
        )
    )
    return OntologyDocument(
        lang=lang,
        title=escape(title_text),
        introduction=introduction,
        contents=f"<h2>{escape(_ui('contents', lang))}</h2><ul>{''.join(toc_parts)}</ul>",
        body="".join(body_parts),
    )


def render_ontology_html(graph, lang: str = "en", base: str = DEFAULT_BASE) -> str:
    """The ontology's documentation as a page of its own (``ontology_document``'s parts)."""
    document = ontology_document(graph, lang, base)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(document.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{document.title}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{document.title}</h1>{document.introduction}</header>"
        f"<nav>{document.contents}</nav><main>{document.body}</main></body></html>\n"
    )
