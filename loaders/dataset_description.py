"""The dataset's VoID/DCAT description, made once per data version from the data itself.

``describe(store, snapshot)`` computes it at load time from the build store; the loader keeps
it in the named graph ``{base}graph/void`` (``DESCRIPTION_GRAPH``), which is part of the
default graph ``/sparql`` queries see, is written into every on-disk generation and pushed to
a remote store with the other graphs. The web layer serves the same triples at
``/.well-known/void`` with the service's own addresses (``SERVICE_PATHS``: the endpoint, the
dumps, the pages) moved from the canonical base onto the host a request came to (``localize``).

In the store every IRI is canonical: ``ASK { ?d void:sparqlEndpoint <{base}sparql> }`` is
true; the same ASK with a local host's address (``http://127.0.0.1:8000/sparql``) is false,
since the store holds no host-specific IRIs.

Counting: ``void:triples`` is the number of triples in the data and ontology graphs (what the
description describes and the dumps contain); the description's own graph is not counted,
nor are its subjects in ``void:distinctSubjects``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pyoxigraph as ox

from .layout import UNION_FOLDERS
from .loading import GraphInfo
from .snapshot import DESCRIPTION_FOLDER, Snapshot

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
OWL_VERSION = "http://www.w3.org/2002/07/owl#versionInfo"
SKOS_EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GZIP = "application/gzip"

VOCABULARIES = (
    "http://www.w3.org/ns/org#",
    "http://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2006/time#",
    "http://xmlns.com/foaf/0.1/",
)
# name in the URL -> (media type of the data, gzipped); an uncompressed N-Quads file too, since
# Jena, rapper, rdflib and Comunica read no .nq.gz from a URL
DUMP_FILES: dict[str, tuple[str, bool]] = {
    "near-kg.nq": ("application/n-quads", False),
    "near-kg.nq.gz": ("application/n-quads", True),
    "near-kg.ttl": ("text/turtle", False),
    "near-kg.ttl.gz": ("text/turtle", True),
}
EXAMPLE_KEYS = ("region/JP-32", "organization/near", "conference/1993", "country/JP")
# namespace of the linked IRIs -> (the dataset they belong to, its name): the linksets' targets
LINK_TARGETS = {
    "http://www.wikidata.org/entity/": ("https://www.wikidata.org/", "Wikidata"),
    "https://sws.geonames.org/": ("https://www.geonames.org/", "GeoNames"),
}
# the service's own addresses the description names (relative to the base): on a local host
# the web layer serves them on that host; every other IRI stays canonical
SERVICE_PATHS = ("", "sparql", "def", "shapes", "validation", *(f"dumps/{n}" for n in DUMP_FILES))
DCTERMS_MODIFIED = DCTERMS + "modified"


def description_graph(base: str) -> str:
    return base + "graph/void"


def dataset_iri(base: str) -> str:
    return base + "void#dataset"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(datatype)) if datatype else ox.Literal(str(value))


def newest_date(values) -> datetime | None:
    """The newest of ``dcterms:modified`` values, in UTC (a date counts as its midnight);
    values that are no date say nothing about when."""
    newest = None
    for value in values:
        try:
            stated = datetime.fromisoformat(value)
        except (ValueError, TypeError):
            continue
        stated = stated if stated.tzinfo else stated.replace(tzinfo=UTC)
        newest = stated if newest is None or stated > newest else newest
    return newest


def describe(store: ox.Store, snapshot: Snapshot) -> list[ox.Triple]:
    """The VoID/DCAT description of the data and ontology graphs of ``snapshot``, held in
    ``store`` (the build store), with canonical IRIs only."""
    base = snapshot.base
    union: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        _n(g.iri) for g in snapshot.graphs if g.folder in UNION_FOLDERS
    ]

    def rows(sparql: str) -> ox.QuerySolutions:
        return _solutions(store.query(sparql, default_graph=union or [ox.DefaultGraph()]))

    thing_prefix = base + "id/"
    subjects = 0
    things: list[str] = []
    for row in rows("SELECT DISTINCT ?s WHERE { ?s ?p ?o }"):
        subjects += 1
        subject = row["s"]
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(thing_prefix):
            things.append(subject.value)
    things.sort()
    thing_set = set(things)
    modified = newest_date(
        row["d"].value for row in rows(f"SELECT ?d WHERE {{ ?s <{DCTERMS_MODIFIED}> ?d }}")
    )
    sources: dict[str, list[str]] = {}
    query = f"SELECT ?g ?src WHERE {{ ?g <{PROV}wasDerivedFrom> ?src }} ORDER BY ?g ?src"
    for row in rows(query):
        if isinstance(row["src"], ox.NamedNode):
            sources.setdefault(row["g"].value, []).append(row["src"].value)

    dataset = _n(dataset_iri(base))
    triples: list[ox.Triple] = []

    def add(s, p, o):
        triples.append(ox.Triple(s, _n(p), o))

    def url(path: str) -> ox.NamedNode:
        return _n(base + path)

    description_doc = _n(base + "void")
    add(description_doc, RDF_TYPE, _n(VOID + "DatasetDescription"))
    add(description_doc, FOAF + "primaryTopic", dataset)
    for t in (VOID + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF_TYPE, _n(t))
    add(dataset, DCTERMS + "title", _lit("NEAR knowledge graph", lang="en"))
    add(
        dataset,
        DCTERMS + "description",
        _lit(
            "Open linked data about NEAR, the Association of North East Asian Regional "
            "Governments: member regions and observers, conferences, declarations, "
            "resolutions, bodies, subcommittees and coordinators, each fact traced to "
            "its source document.",
            lang="en",
        ),
    )
    add(dataset, DCTERMS + "license", _n(LICENSE))
    publisher = base + "id/organization/near"
    if publisher in thing_set:
        add(dataset, DCTERMS + "publisher", _n(publisher))
        add(dataset, VOID + "rootResource", _n(publisher))
    if modified is not None:  # what the data says, never the load time
        add(dataset, DCTERMS + "modified", _lit(modified.isoformat(), XSD + "dateTime"))
    add(dataset, OWL_VERSION, _lit(snapshot.version))
    add(dataset, VOID + "triples", _lit(snapshot.triples, XSD + "integer"))
    add(dataset, VOID + "entities", _lit(len(things), XSD + "integer"))
    add(dataset, VOID + "distinctSubjects", _lit(subjects, XSD + "integer"))
    add(dataset, VOID + "sparqlEndpoint", url("sparql"))
    add(dataset, VOID + "uriSpace", _lit(thing_prefix))
    examples = [thing_prefix + key for key in EXAMPLE_KEYS if thing_prefix + key in thing_set]
    for iri in examples or things[:3]:
        add(dataset, VOID + "exampleResource", _n(iri))
    add(dataset, VOID + "vocabulary", _n(base + "def#"))
    for vocabulary in VOCABULARIES:
        add(dataset, VOID + "vocabulary", _n(vocabulary))
    for name, (media_type, gzipped) in DUMP_FILES.items():
        download = url(f"dumps/{name}")
        add(dataset, VOID + "dataDump", download)
        distribution = _n(f"{dataset.value}-{name}")
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE, _n(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", download)
        # DCAT: the media type of the data, as an IANA term; a gzipped file says so apart
        add(distribution, DCAT + "mediaType", _n(IANA_MEDIA_TYPES + media_type))
        if gzipped:
            add(distribution, DCAT + "compressFormat", _n(IANA_MEDIA_TYPES + GZIP))
    for page in ("def", "shapes", "validation"):
        add(dataset, RDFS + "seeAlso", url(page))
    add(dataset, DCAT + "landingPage", url(""))
    for graph in [*snapshot.graphs_of("data"), *snapshot.graphs_of("ontology")]:
        subset = _n(graph.iri)
        add(dataset, VOID + "subset", subset)
        add(subset, RDF_TYPE, _n(VOID + "Dataset"))
        add(subset, VOID + "triples", _lit(graph.triples, XSD + "integer"))
    _linksets(store, snapshot, dataset, sources, add)
    return triples


def _linksets(store: ox.Store, snapshot: Snapshot, dataset, sources, add) -> None:
    """Each graph of ``data/links/`` as one void:Linkset per dataset it links to (VoID: a
    linkset joins two datasets), with its links counted and the graph's source named."""
    prefix = snapshot.base + "graph/data/links/"
    for graph in snapshot.graphs_of("data"):
        if not graph.iri.startswith(prefix):
            continue
        counts = dict.fromkeys(LINK_TARGETS, 0)
        query = (
            f"SELECT ?graph ?target WHERE {{ GRAPH ?graph {{ ?s <{SKOS_EXACT_MATCH}> ?target }} }}"
        )
        answer = store.query(query, substitutions={ox.Variable("graph"): _n(graph.iri)})
        for row in _solutions(answer):
            for namespace in counts:
                if row["target"].value.startswith(namespace):
                    counts[namespace] += 1
        for namespace, count in counts.items():
            if not count:
                continue
            target, name = LINK_TARGETS[namespace]
            linkset = _n(f"{graph.iri}#{name.lower()}")
            add(dataset, VOID + "subset", linkset)
            add(linkset, RDF_TYPE, _n(VOID + "Linkset"))
            add(linkset, DCTERMS + "title", _lit(f"Links to {name} ({graph.file})", lang="en"))
            add(linkset, VOID + "linkPredicate", _n(SKOS_EXACT_MATCH))
            add(linkset, VOID + "subjectsTarget", dataset)
            add(linkset, VOID + "objectsTarget", _n(target))
            add(linkset, VOID + "triples", _lit(count, XSD + "integer"))
            add(linkset, DCTERMS + "isPartOf", _n(graph.iri))
            for source in sources.get(graph.iri, []):
                add(linkset, DCTERMS + "source", _n(source))
            add(_n(target), RDF_TYPE, _n(VOID + "Dataset"))
            add(_n(target), DCTERMS + "title", _lit(name, lang="en"))
            add(_n(target), VOID + "uriSpace", _lit(namespace))


def _solutions(answer) -> ox.QuerySolutions:
    assert isinstance(answer, ox.QuerySolutions), "a SELECT's answer is solutions"
    return answer


def store_description(store: ox.Store, snapshot: Snapshot) -> GraphInfo:
    """Describe the data of ``snapshot`` into its own graph of ``store`` (replacing one made
    before, as after a SPARQL update), and name that graph in the snapshot's graph list."""
    iri = description_graph(snapshot.base)
    graph = _n(iri)
    triples = describe(store, snapshot)
    if any(g == graph for g in store.named_graphs()):
        store.remove_graph(graph)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    info = GraphInfo(iri, DESCRIPTION_FOLDER, "", len(set(triples)))
    snapshot.graphs = (*(g for g in snapshot.graphs if g.folder != DESCRIPTION_FOLDER), info)
    return info


def localize(triples, base: str, absolute: Callable[[str], str]) -> list[ox.Triple]:
    """The description as served on one host: the service's own addresses (``SERVICE_PATHS``)
    moved from the base onto ``absolute("/" + path)``; every other IRI unchanged."""
    moved = {base + path: _n(absolute("/" + path)) for path in SERVICE_PATHS}

    def term(t):
        return moved.get(t.value, t) if isinstance(t, ox.NamedNode) else t

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]
