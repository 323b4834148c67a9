"""The ontology (ontology/near.ttl) against the contract (docs/model.md), itself, and everything
that uses it: the data, the shapes and the saved queries, walked as they are on disk (files may
arrive later; every file present is checked), plus the HTML documentation renderer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import owlrl
import pytest
import rdflib
from owlrl.Namespaces import ERRNS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery

from loaders.ontology import (
    label,
    list_terms,
    load_ontology,
    namespace,
    render_ontology_html,
    reused_vocabularies,
)
from loaders.settings import DEFAULT_BASE, LANGUAGES

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = REPO / "ontology" / "near.ttl"
NEAR = namespace(DEFAULT_BASE)
ONTOLOGY_IRI = URIRef(DEFAULT_BASE + "def")
OURS = (DEFAULT_BASE + "id/", DEFAULT_BASE + "graph/")  # things and graphs, not terms
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
SCHEMA = rdflib.Namespace("http://schema.org/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
N = rdflib.Namespace(NEAR)
# rdflib's closed XSD namespace warns when pytest inspects it as a module attribute
XSD_NS = str(rdflib.namespace.XSD)
XSD_STRING = URIRef(XSD_NS + "string")

DATA_FILES = sorted((REPO / "data" / "turtle").glob("**/*.ttl"))
SHAPE_FILES = sorted((REPO / "shapes").glob("**/*.ttl"))
QUERY_FILES = sorted((REPO / "sparql").glob("*.rq"))
TTL_FILES = [ONTOLOGY_FILE, *DATA_FILES, *SHAPE_FILES]
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def defined(onto) -> set[str]:
    return {str(t.iri) for t in list_terms(onto)}


@pytest.fixture(scope="module")
def reused(onto) -> list[str]:
    return reused_vocabularies(onto)


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _undefined(iris, defined: set[str], reused: list[str]) -> list[str]:
    return sorted(
        {
            iri
            for iri in map(str, iris)
            if not iri.startswith(OURS)
            and iri not in defined
            and not any(iri.startswith(ns) for ns in reused)
        }
    )


# -- files parse (so every prefix they use is declared) ---------------------------------------


def test_ontology_file_exists():
    assert ONTOLOGY_FILE.is_file()


@pytest.mark.parametrize("path", TTL_FILES, ids=_rel)
def test_turtle_file_parses(path):
    assert len(_parse(path)) > 0


@pytest.mark.parametrize("path", QUERY_FILES, ids=_rel)
def test_saved_query_parses(path):
    prepareQuery(path.read_text(encoding="utf-8"))


# -- every term used is defined here or in a declared reused vocabulary ------------------------


def _terms_of_data(graph: Graph) -> set:
    used = set()
    for s, p, o in graph:
        used.add(p)
        if p == RDF.type:
            used.add(o)
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(NEAR):
                used.add(node)
        if isinstance(o, Literal) and o.datatype is not None:
            used.add(o.datatype)
    return used


@pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
def test_data_uses_only_defined_terms(path, defined, reused):
    undefined = _undefined(_terms_of_data(_parse(path)), defined, reused)
    assert not undefined, f"{_rel(path)} uses terms defined nowhere: {undefined}"


SHAPES_NS = "https://w3id.org/near/def/shapes#"


def _shape_nodes(graph: Graph) -> set:
    """The shapes themselves (named shapes are not vocabulary terms)."""
    nodes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape)
    )
    for predicate in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
        nodes |= set(graph.objects(None, predicate))
    for predicate in (SH["and"], SH["or"], SH.xone):
        for members in graph.objects(None, predicate):
            nodes |= set(graph.items(members))
    return nodes


@pytest.mark.parametrize("path", SHAPE_FILES, ids=_rel)
def test_shapes_use_only_defined_terms(path, defined, reused):
    graph = _parse(path)
    # shapes, their SPARQL constraints and prefix declarations are described in the file itself,
    # in the shapes namespace: they are identifiers of the contract, not vocabulary terms
    own = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)}
    shapes = _shape_nodes(graph) | own
    iris = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node not in shapes
    }
    iris |= {o.datatype for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    undefined = _undefined(iris, defined, reused)
    assert not undefined, f"{_rel(path)} uses terms defined nowhere: {undefined}"


def _iris_in_algebra(node, found: set) -> set:
    if isinstance(node, URIRef):
        found.add(node)
    elif isinstance(node, dict):
        for value in node.values():
            _iris_in_algebra(value, found)
    elif isinstance(node, list | tuple | set):
        for value in node:
            _iris_in_algebra(value, found)
    elif isinstance(node, PropertyPath):
        for value in vars(node).values():
            _iris_in_algebra(value, found)
    return found


@pytest.mark.parametrize("path", QUERY_FILES, ids=_rel)
def test_saved_queries_use_only_defined_terms(path, defined, reused):
    query = prepareQuery(path.read_text(encoding="utf-8"))
    undefined = _undefined(_iris_in_algebra(query.algebra, set()), defined, reused)
    assert not undefined, f"{_rel(path)} uses terms defined nowhere: {undefined}"


def test_the_term_walk_sees_terms_and_flags_unknown_ones(defined, reused):
    """The checks above would notice a misspelt term (guards the walkers themselves)."""
    query = prepareQuery(
        "PREFIX near: <https://w3id.org/near/def#> SELECT * WHERE "
        "{ ?x near:hasGovernmnt/^near:country ?y ; a near:Region }"
    )
    assert _undefined(_iris_in_algebra(query.algebra, set()), defined, reused) == [
        NEAR + "hasGovernmnt"
    ]
    data = Graph().parse(
        data="@prefix near: <https://w3id.org/near/def#> .\n"
        "<https://w3id.org/near/id/region/X> a near:Regoin ; near:country near:Nowhere .",
        format="turtle",
    )
    assert _undefined(_terms_of_data(data), defined, reused) == [
        NEAR + "Nowhere",
        NEAR + "Regoin",
    ]


# -- the contract: docs/model.md ----------------------------------------------------------------

MODEL = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
# named in model.md only to say it is not needed
NOT_DEFINED_ON_PURPOSE = {"membershipOf"}


@pytest.mark.parametrize(
    "name", sorted(set(re.findall(r"\bnear:(\w+)", MODEL)) - NOT_DEFINED_ON_PURPOSE)
)
def test_every_core_term_of_the_model_is_defined(name, defined):
    assert NEAR + name in defined


def test_model_prefixes_are_near_or_reused(reused):
    prefixes = dict(re.findall(r"^\| `(\w+):` \| `([^`]+)`", MODEL, flags=re.MULTILINE))
    assert prefixes, "docs/model.md has no prefix table"
    missing = {
        p: ns for p, ns in prefixes.items() if p not in ("near", "nearid") and ns not in reused
    }
    assert not missing, f"prefixes of docs/model.md missing from near:reusesVocabulary: {missing}"


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (N.Country, SCHEMA.Country),
        (N.Region, SCHEMA.AdministrativeArea),
        (N.RegionalGovernment, ORG.FormalOrganization),
        (N.Association, ORG.FormalOrganization),
        (N.PartnerOrganization, ORG.FormalOrganization),
        (N.Membership, ORG.Membership),
        (N.Conference, SCHEMA.Event),
        (N.Topic, N.AgendaItem),
        (N.Decision, N.AgendaItem),
        (N.Declaration, SCHEMA.CreativeWork),
        (N.Publication, SCHEMA.CreativeWork),
        (N.Body, ORG.OrganizationalUnit),
        (N.GeneralAssembly, N.Body),
        (N.WorkingCommittee, N.Body),
        (N.Subcommittee, N.Body),
        (N.Secretariat, N.Body),
        (N.Coordination, ORG.Post),
        (N.SourceDocument, PROV.Entity),
        (N.SourceDocument, FOAF.Document),
    ],
)
def test_model_subclasses(onto, term, parent):
    assert (term, RDFS.subClassOf, parent) in onto


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        (N.MemberRole, ORG.Role),
        (N.ObserverRole, ORG.Role),
        (N.Population, N.Measure),
        (N.GRDP, N.Measure),
        (N.MemberCount, N.Measure),
    ],
)
def test_model_individuals(onto, term, kind):
    assert (term, RDF.type, kind) in onto


@pytest.mark.parametrize(
    ("forward", "back"),
    [
        (N.hasGovernment, N.governs),
        (N.hasResolution, N.declaration),
        (N.hasCoordination, N.subcommittee),
        (N.hasParticipation, N.conference),
        (N.hasAgendaItem, N.conference),
    ],
)
def test_navigation_both_ways(onto, forward, back):
    """Stating one direction entails the other (directly, or through a super-property for
    near:conference, which serves participations and agenda items alike)."""
    graph = Graph() + onto
    graph.add((URIRef("urn:a"), forward, URIRef("urn:b")))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert (URIRef("urn:b"), back, URIRef("urn:a")) in graph


def test_agenda_items_are_not_taken_for_participations(onto):
    graph = Graph() + onto
    item, conference = URIRef("urn:item"), URIRef("urn:conference")
    graph.add((item, RDF.type, N.Decision))
    graph.add((item, N.conference, conference))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert (conference, N.hasParticipation, item) not in graph
    assert (item, RDF.type, N.Participation) not in graph
    assert not _inconsistencies(graph)


# -- every term is documented -----------------------------------------------------------------


def _term_ids(graph: Graph) -> list[str]:
    return [t.name for t in list_terms(graph)]


def test_ontology_header(onto):
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in onto
    for predicate in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
    ):
        assert onto.value(o, predicate) is not None, predicate
    assert onto.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(onto.value(o, VANN.preferredNamespacePrefix)) == "near"
    assert str(onto.value(o, VANN.preferredNamespaceUri)) == NEAR
    assert str(onto.value(o, OWL.versionIRI)).startswith(str(o) + "/")


@pytest.mark.parametrize("name", _term_ids(load_ontology(ONTOLOGY_FILE)))
def test_term_is_documented(onto, name):
    term = N[name]
    by_language: dict[str, list[str]] = {}
    for value in onto.objects(term, RDFS.label):
        by_language.setdefault(value.language or "", []).append(str(value))
    missing = [lang for lang in LANGUAGES if lang not in by_language]
    assert not missing, f"near:{name} has no rdfs:label in {missing}"
    several = {lang: v for lang, v in by_language.items() if len(v) > 1}
    assert not several, f"near:{name} has several labels in one language: {several}"
    assert all(v.strip() == v and v for values in by_language.values() for v in values)
    definitions = {
        d.language for p in (SKOS.definition, RDFS.comment) for d in onto.objects(term, p)
    }
    assert "en" in definitions, f"near:{name} has no English definition"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto


def test_every_property_has_exactly_one_property_kind(onto):
    wrong = {}
    for term in list_terms(onto):
        kinds = [k for k in PROPERTY_KINDS if (term.iri, RDF.type, k) in onto]
        if term.kind.endswith("property") and len(kinds) != 1:
            wrong[term.name] = kinds
    assert not wrong


def test_ranges_match_property_kinds(onto):
    """Datatype properties range over datatypes, object properties over classes."""
    wrong = []
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in onto.objects(prop, RDFS.range):
            if not (str(rng).startswith(XSD_NS) or rng in (RDF.langString, RDFS.Literal)):
                wrong.append((prop, rng))
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        for rng in onto.objects(prop, RDFS.range):
            if str(rng).startswith(XSD_NS) or rng in (RDF.langString, RDFS.Literal):
                wrong.append((prop, rng))
    assert not wrong


def test_inverses_are_declared_on_both_sides(onto):
    one_sided = [
        (a, b) for a, b in onto.subject_objects(OWL.inverseOf) if (b, OWL.inverseOf, a) not in onto
    ]
    assert not one_sided


def test_no_term_is_redefined_from_a_reused_vocabulary(onto, reused):
    """The ontology only specialises others' terms: it never describes them as subjects
    (apart from the reused namespaces it lists and blank-node axioms)."""
    redefined = {
        s
        for s in onto.subjects()
        if isinstance(s, URIRef)
        and not str(s).startswith(DEFAULT_BASE)
        and any(str(s).startswith(ns) for ns in reused)
    }
    assert not redefined


# -- the data against the ontology --------------------------------------------------------------


@pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
def test_literal_and_iri_objects_match_property_kinds(path, onto):
    wrong = set()
    for _s, p, o in _parse(path):
        if not str(p).startswith(NEAR):
            continue
        if isinstance(o, Literal) and (p, RDF.type, OWL.ObjectProperty) in onto:
            wrong.add(f"near:{p[len(NEAR) :]} is an ObjectProperty but has literal {o!r}")
        if not isinstance(o, Literal) and (p, RDF.type, OWL.DatatypeProperty) in onto:
            wrong.add(f"near:{p[len(NEAR) :]} is a DatatypeProperty but has node {o}")
    assert not wrong, sorted(wrong)


def _literal_fits(literal: Literal, rng) -> bool:
    if rng == RDF.langString:
        return bool(literal.language)
    if rng == XSD_STRING:
        return literal.language is None and literal.datatype in (None, XSD_STRING)
    if rng == RDFS.Literal:
        return True
    return literal.datatype == rng and literal.language is None


@pytest.mark.parametrize("path", DATA_FILES, ids=_rel)
def test_literals_have_the_datatype_of_the_range(path, onto):
    wrong = set()
    for _s, p, o in _parse(path):
        if not isinstance(o, Literal):
            continue
        for rng in onto.objects(p, RDFS.range):
            if not _literal_fits(o, rng):
                wrong.add(f"{p.n3(onto.namespace_manager)} {o.n3()} (range {rng})")
    assert not wrong, sorted(wrong)


def _inconsistencies(graph: Graph) -> list[str]:
    errors = [
        str(graph.value(m, ERRNS.error)) for m in graph.subjects(RDF.type, ERRNS.ErrorMessage)
    ]
    errors += [f"{x} is typed owl:Nothing" for x in graph.subjects(RDF.type, OWL.Nothing)]
    return errors


def test_owl_rl_finds_no_inconsistency_in_ontology_and_data(onto):
    graph = Graph() + onto
    for path in DATA_FILES:
        graph.parse(path, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert not _inconsistencies(graph)


@pytest.mark.parametrize(
    "bad",
    [
        "<urn:x> a near:Region , near:RegionalGovernment .",
        "<urn:x> a near:Region ; near:governs <urn:y> .",  # governs is said of governments
        "<urn:x> a near:Participation ; near:hasResolution <urn:y> .",
        "<urn:x> a near:Topic , near:Decision .",
        "<urn:x> a near:Secretariat , near:Subcommittee .",
        '<urn:x> near:ordinal "-1"^^xsd:positiveInteger .',
    ],
)
def test_owl_rl_check_notices_contradictions(onto, bad):
    graph = Graph() + onto
    graph.parse(
        data="@prefix near: <https://w3id.org/near/def#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + bad,
        format="turtle",
    )
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert _inconsistencies(graph)


# -- the loader helpers and the HTML page -------------------------------------------------------


def test_label_fallback(onto):
    assert label(onto, N.Region, "ja") == "広域行政区域"
    assert label(onto, N.Region, "fr") == "Region"  # no French: English
    only_ru = Graph()
    only_ru.add((N.Thing, RDFS.label, Literal("Вещь", lang="ru")))
    assert label(only_ru, N.Thing, "ja") == "Вещь"  # no Japanese, no English: any
    assert label(only_ru, N.Other, "ja") is None
    assert label(only_ru, N.Other, "ja", default="Other") == "Other"


def test_reused_vocabularies_are_namespaces(reused):
    assert reused and all(ns.endswith(("#", "/")) for ns in reused)


def test_loader_imports_neither_flask_nor_pyoxigraph():
    code = (
        "import sys, loaders.ontology; "
        "bad = [m for m in ('flask', 'pyoxigraph') if m in sys.modules]; "
        "sys.exit(str(bad) if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr or result.stdout


@pytest.fixture(scope="module")
def page(onto) -> str:
    return render_ontology_html(onto, lang="ko")


def test_page_anchors_every_term_by_local_name(onto, page):
    ids = re.findall(r'\bid="([^"]+)"', page)
    for name in _term_ids(onto):
        assert ids.count(name) == 1, name
    assert len(ids) == len(set(ids))


def test_page_internal_links_resolve(page):
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= ids


def test_page_shows_labels_in_all_languages_and_links_relations(onto, page):
    assert '<html lang="ko">' in page
    for lang in LANGUAGES:
        assert escape_text(label(onto, N.RegionalGovernment, lang)) in page
    region = page.split('id="Region"', 1)[1].split("</section>", 1)[0]
    assert 'href="#RegionalGovernment"' in region  # disjoint with
    assert "http://schema.org/AdministrativeArea" in region  # super-class, linked
    governs = page.split('id="governs"', 1)[1].split("</section>", 1)[0]
    assert 'href="#hasGovernment"' in governs  # inverse


def escape_text(text: str) -> str:
    import html

    return html.escape(text)


def test_page_escapes_hostile_text():
    ns = rdflib.Namespace("https://w3id.org/near/def#")
    graph = Graph()
    hostile = '<script>alert("x")</script>'
    graph.add((ns.Evil, RDF.type, OWL.Class))
    graph.add((ns.Evil, RDFS.label, Literal(hostile, lang="en")))
    graph.add((ns.Evil, SKOS.definition, Literal("a & b <i>", lang="en")))
    graph.add((ns.Evil, RDFS.subClassOf, URIRef('http://example.org/"><script>x</script>')))
    graph.add((ns.evilProp, RDF.type, OWL.DatatypeProperty))
    graph.add((ns.evilProp, RDFS.domain, ns.Evil))
    graph.add((URIRef(DEFAULT_BASE + "def"), DCTERMS.title, Literal(hostile, lang="en")))
    html_page = render_ontology_html(graph)
    assert "<script>" not in html_page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_page
    assert "a &amp; b &lt;i&gt;" in html_page
    assert 'id="Evil"' in html_page and 'id="evilProp"' in html_page


def test_page_for_another_base(tmp_path):
    base = "http://localhost:8080/"
    graph = load_ontology(ONTOLOGY_FILE, base=base)
    html_page = render_ontology_html(graph, base=base)
    assert 'id="Region"' in html_page and f"{base}def#Region" in html_page
    assert DEFAULT_BASE + "def#Region" not in html_page


def test_def_page_is_rendered_from_the_ontology_in_the_store(onto):
    """/def reads the ontology graphs through the store and renders them in the page language."""
    from loaders.settings import Settings
    from loaders.store import KnowledgeStore
    from service.app import create_app

    settings = Settings.from_env({})
    store = KnowledgeStore(settings, validator=False)
    store.reload()
    client = create_app(settings, store=store).test_client()
    page = client.get("/def.html?lang=mn").get_data(as_text=True)
    assert 'id="Region"' in page and "Бүс нутаг" in page
    for term in list_terms(onto):
        assert f'id="{term.name}"' in page


def test_blank_nodes_are_not_terms(onto):
    assert all(not isinstance(t.iri, BNode) for t in list_terms(onto))


def test_reused_properties_in_the_data_have_labels_in_six_languages():
    """Pages name every property in the reader's language, ours and the reused ones alike."""
    from rdflib import Dataset

    labels = Graph().parse(REPO / "ontology" / "reused-labels.ttl")
    data = Dataset()
    for path in sorted((REPO / "data" / "turtle").rglob("*.ttl")):
        data.parse(path, format="turtle")
    used = {p for _s, p, _o, _g in data.quads() if not str(p).startswith(DEFAULT_BASE)}
    assert used
    for predicate in used:
        languages = {label.language for label in labels.objects(predicate, RDFS.label)}
        assert languages >= {"en", "ja", "ko", "zh", "ru", "mn"}, predicate
