"""The description of one thing, independent of the format it is sent in.

It holds the thing's own statements (with its blank nodes), the statements pointing to it,
the statements of the records linked to it (memberships, participations, coordinations,
resolutions, agenda items, figures), each with the named graph that holds it. Renderers turn
it into RDF (``rdf_triples``) or an HTML page (``entity_page``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.store import KnowledgeStore, Snapshot
from service.linked_data.entity_index import RECORD_KINDS, EntityIndex

FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Statement:
    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    graph: str | None

    @property
    def triple(self) -> ox.Triple:
        return ox.Triple(self.subject, self.predicate, self.object)


@dataclass
class EntityDescription:
    iri: str
    kind: str
    key: str
    own: list[Statement] = field(default_factory=list)  # about the thing and its blank nodes
    incoming: list[Statement] = field(default_factory=list)  # pointing to the thing
    records: list[Statement] = field(default_factory=list)  # about linked records

    def linked_iris(self) -> set[str]:
        found: set[str] = set()
        for statement in (*self.own, *self.incoming, *self.records):
            for term in (statement.subject, statement.object):
                if isinstance(term, ox.NamedNode) and term.value != self.iri:
                    found.add(term.value)
        return found


OWN_AND_INCOMING = """
SELECT ?this ?s ?p ?o ?g WHERE {
  GRAPH ?g {
    { ?this ?p ?o BIND(?this AS ?s) }
    UNION { ?this ?via ?s FILTER(isBlank(?s)) ?s ?p ?o }
    UNION { ?s ?p ?this BIND(?this AS ?o) }
  }
}"""

LINKED = """
SELECT DISTINCT ?this ?r WHERE { { ?this ?p ?r } UNION { ?r ?p ?this } FILTER(isIRI(?r)) }"""

RECORD = """
SELECT ?this ?s ?p ?o ?g WHERE {
  GRAPH ?g {
    { ?this ?p ?o BIND(?this AS ?s) }
    UNION { ?this ?via ?s FILTER(isBlank(?s)) ?s ?p ?o }
  }
}"""


def describe(
    store: KnowledgeStore, snapshot: Snapshot, index: EntityIndex, iri: str
) -> EntityDescription | None:
    """The description of ``iri``, or None when the dataset says nothing about it."""
    kind_key = index.kind_and_key(iri)
    if kind_key is None or iri not in index.thing_set:
        return None
    description = EntityDescription(iri, *kind_key)
    this = ox.NamedNode(iri)
    graphs = [g.value for g in snapshot.union_graphs]
    for row in store.query(
        OWN_AND_INCOMING, substitutions={"this": this}, named_graphs=graphs, snapshot=snapshot
    ):
        statement = Statement(row["s"], row["p"], row["o"], row["g"].value)
        if statement.subject == this or isinstance(statement.subject, ox.BlankNode):
            description.own.append(statement)
        else:
            description.incoming.append(statement)
    for row in store.query(LINKED, substitutions={"this": this}, snapshot=snapshot):
        record = row["r"].value
        linked = index.kind_and_key(record)
        if record == iri or not linked or linked[0] not in RECORD_KINDS:
            continue
        for rrow in store.query(
            RECORD,
            substitutions={"this": row["r"]},
            named_graphs=graphs,
            snapshot=snapshot,
        ):
            description.records.append(Statement(rrow["s"], rrow["p"], rrow["o"], rrow["g"].value))
    description.own = _unique(description.own)
    description.incoming = _unique(description.incoming)
    description.records = _unique(description.records)
    return description


def _unique(statements: list[Statement]) -> list[Statement]:
    return list(dict.fromkeys(statements))


def rdf_triples(
    description: EntityDescription,
    index: EntityIndex,
    *,
    document_iri: str,
    dataset_iri: str,
) -> list[ox.Triple]:
    """The document's triples: the description, labels of what it links to, and metadata
    tying the document to its primary topic and the dataset."""
    triples: list[ox.Triple] = [
        s.triple for s in (*description.own, *description.incoming, *description.records)
    ]
    for iri in sorted(description.linked_iris()):
        predicate = index.label_predicates.get(iri)
        if predicate is None:
            continue  # no label to add
        for lang, text in sorted(index.labels.get(iri, {}).items()):
            literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
            triples.append(ox.Triple(ox.NamedNode(iri), ox.NamedNode(predicate), literal))
    doc = ox.NamedNode(document_iri)
    thing = ox.NamedNode(description.iri)
    triples += [
        ox.Triple(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF + "Document")),
        ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), thing),
        ox.Triple(thing, ox.NamedNode(FOAF + "isPrimaryTopicOf"), doc),
        ox.Triple(doc, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(dataset_iri)),
        ox.Triple(doc, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(LICENSE)),
    ]
    return list(dict.fromkeys(triples))
