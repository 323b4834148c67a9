"""The SPARQL 1.1 Service Description of the endpoint, as a ``Result`` graph.

The service is a blank node with ``sd:endpoint`` the URL exactly as requested (Comunica
accepts an endpoint only from a blank-node or same-URL subject); the default dataset lists the
default graph (the union of the data and ontology graphs and the dataset's VoID description,
not of every named graph: the shapes are named graphs only, so ``sd:UnionDefaultGraph`` is
not claimed) and every named graph with its ``sd:name``; ``rdfs:seeAlso`` points to the
VoID description. The result formats are those of the format registry (service.formats).
"""

from __future__ import annotations

import io

import pyoxigraph as ox

from loaders.namespaces import WELL_KNOWN
from service.http import formats
from service.sparql.results import Result

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
RESULT_FORMATS = tuple(
    f.w3c_iri for f in (*formats.SPARQL_RESULTS, *formats.SPARQL_GRAPH) if f.w3c_iri
)
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
SUBSET = ox.NamedNode("http://rdfs.org/ns/void#subset")
# the namespaces the description uses, from the one table (loaders.namespaces)
PREFIXES = {name: WELL_KNOWN[name] for name in ("sd", "formats", "void", "rdfs", "dcterms")}


DEFAULT_GRAPH_NOTE = (
    "The union of the data and ontology graphs and of the dataset's VoID description. The "
    "SHACL shapes graphs are named graphs only: query them with GRAPH or FROM."
)


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(endpoint: str, void_url: str, snapshot, *, update: bool, federation: bool) -> Result:
    # blank nodes named, not made afresh: the same description is the same bytes on every
    # request (HEAD and GET agree on Content-Length), every worker and replica
    service, dataset = ox.BlankNode("service"), ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    t = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, TITLE, ox.Literal("near-kg SPARQL endpoint", language="en")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(
            service,
            sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(service, SEE_ALSO, ox.NamedNode(void_url)),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
        ox.Triple(
            default, TRIPLES, ox.Literal(str(snapshot.default_graph_triples), datatype=_INTEGER)
        ),
        ox.Triple(default, COMMENT, ox.Literal(DEFAULT_GRAPH_NOTE, language="en")),
    ]
    # the graphs the default graph is the union of (void:subset: each is part of it)
    t += [ox.Triple(default, SUBSET, graph) for graph in snapshot.default_graphs]
    if update:
        t.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if federation:
        t.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for iri in RESULT_FORMATS:
        t.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)))
    for number, info in enumerate(sorted(snapshot.graphs, key=lambda g: g.iri), 1):
        named, graph = ox.BlankNode(f"namedGraph{number}"), ox.BlankNode(f"graph{number}")
        t += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(info.iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, sd("Graph")),
            ox.Triple(graph, TRIPLES, ox.Literal(str(info.triples), datatype=_INTEGER)),
        ]
    out = io.BytesIO()
    ox.serialize(t, out, ox.RdfFormat.N_TRIPLES)
    return Result("graph", out.getvalue(), count=len(t), limit=len(t))


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
