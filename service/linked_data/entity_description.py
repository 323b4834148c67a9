"""The description of one thing, independent of the format it is sent in.

It holds the thing's own statements (with its blank nodes), the statements pointing to it,
the statements of the records linked to it (memberships, participations, coordinations,
resolutions, agenda items, figures), each with the named graph that holds it. Renderers turn
it into RDF (``rdf_triples``) or an HTML page (``entity_page``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.store import KnowledgeStore, Snapshot
from service.linked_data.entity_index import RECORD_KINDS, EntityIndex

FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(unsafe_hash=True, slots=True)  # not frozen: a frozen __init__ was a third of describe
class Statement:
    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    graph: str | None
    # the store's own triple when read from it (a tenth of the cost of making one anew)
    stored: ox.Triple | None = field(default=None, compare=False, repr=False)

    @property
    def triple(self) -> ox.Triple:
        return self.stored or ox.Triple(self.subject, self.predicate, self.object)


@dataclass
class EntityDescription:
    iri: str
    kind: str
    key: str
    own: list[Statement] = field(default_factory=list)  # about the thing and its blank nodes
    incoming: list[Statement] = field(default_factory=list)  # pointing to the thing
    records: list[Statement] = field(default_factory=list)  # about linked records
    # every linked record described in the data (sorted); ``records`` holds the statements of
    # those read (all, unless ``describe`` was asked for fewer)
    record_iris: list[str] = field(default_factory=list)

    def linked_iris(self) -> set[str]:
        found: set[str] = set()
        for statement in (*self.own, *self.incoming, *self.records):
            for term in (statement.subject, statement.object):
                if isinstance(term, ox.NamedNode) and term.value != self.iri:
                    found.add(term.value)
        return found


def describe(
    store: KnowledgeStore,
    snapshot: Snapshot,
    index: EntityIndex,
    iri: str,
    *,
    records_read: Callable[[list[str]], Iterable[str]] | None = None,
) -> EntityDescription | None:
    """The description of ``iri``, or None when the dataset says nothing about it.

    Read by pattern from the store's indexes (``KnowledgeStore.matching_quads``), not by
    SPARQL: the thing's statements and those of its blank nodes, the statements pointing to it
    (those from blank nodes count as its own), then each linked record's statements and those
    of its blank nodes. What a document is made of is the same as with the queries it replaced;
    parsing and planning them was most of a first-time document's cost.

    ``records_read(record_iris)`` names the records whose statements are read (a page shows
    30 of an organization's 2,000 memberships); without it, all are (RDF documents)."""
    read = _read(store, snapshot, index, iri, records_read)
    if read is None:
        return None
    description = EntityDescription(iri, *read.kind_key)
    description.own = _unique([_statement(quad) for quad in read.own])
    description.incoming = _unique([_statement(quad) for quad in read.incoming])
    description.records = _unique([_statement(quad) for quad in read.records])
    description.record_iris = read.record_iris
    return description


@dataclass(slots=True)
class _Read:
    """The quads of a description as read, before they become ``Statement``s (an RDF document
    needs only their triples: ``document_triples``)."""

    kind_key: tuple[str, str]
    own: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)
    records: list[ox.Quad] = field(default_factory=list)
    record_iris: list[str] = field(default_factory=list)


def _read(
    store: KnowledgeStore,
    snapshot: Snapshot,
    index: EntityIndex,
    iri: str,
    records_read: Callable[[list[str]], Iterable[str]] | None,
) -> _Read | None:
    """What ``describe`` reads, in its order (see there)."""
    kind_key = index.kind_and_key(iri)
    if kind_key is None or iri not in index.thing_set:
        return None
    read = _Read(kind_key)
    this = ox.NamedNode(iri)
    linked: set[str] = set()
    for quad in _with_blank_nodes(store, snapshot, this):
        read.own.append(quad)
        if quad.subject == this and isinstance(quad.object, ox.NamedNode):
            linked.add(quad.object.value)
    for quad in store.matching_quads(obj=this, snapshot=snapshot):
        if isinstance(quad.subject, ox.BlankNode):
            read.own.append(quad)
        else:
            read.incoming.append(quad)
            if isinstance(quad.subject, ox.NamedNode):
                linked.add(quad.subject.value)
    for record in sorted(linked):
        if record == iri or record not in index.thing_set:  # (the cheaper tests first)
            continue
        kind = index.kind_and_key(record)
        if kind and kind[0] in RECORD_KINDS:
            read.record_iris.append(record)
    wanted = read.record_iris if records_read is None else records_read(read.record_iris)
    for record in wanted:
        read.records += _with_blank_nodes(store, snapshot, ox.NamedNode(record))
    return read


def _with_blank_nodes(store: KnowledgeStore, snapshot: Snapshot, subject: ox.NamedNode):
    """The subject's quads, each followed by those of the blank node it points to (one level,
    in the same graph)."""
    found = []
    for quad in store.matching_quads(subject=subject, snapshot=snapshot):
        found.append(quad)
        if isinstance(quad.object, ox.BlankNode):
            found += [
                inner
                for inner in store.matching_quads(subject=quad.object, snapshot=snapshot)
                if inner.graph_name == quad.graph_name
            ]
    return found


def _statement(quad: ox.Quad) -> Statement:
    # from a data or ontology graph (named), of RDF 1.1 data (no quoted triples)
    subject, obj, graph = quad.subject, quad.object, quad.graph_name
    return Statement(subject, quad.predicate, obj, graph.value, quad.triple)  # type: ignore[arg-type, union-attr]


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
    statements = (*description.own, *description.incoming, *description.records)
    return _document(
        description.iri, [s.triple for s in statements], document_iri, dataset_iri, index
    )


def document_triples(
    store: KnowledgeStore,
    snapshot: Snapshot,
    index: EntityIndex,
    iri: str,
    *,
    document_iri: str,
    dataset_iri: str,
) -> list[ox.Triple] | None:
    """``rdf_triples(describe(...))`` (the same triples in the same order, so the same bytes),
    made from the quads as read: no ``Statement`` per quad, which was a fifth of a first-time
    RDF document's cost. None when the dataset says nothing about ``iri``."""
    read = _read(store, snapshot, index, iri, None)
    if read is None:
        return None
    triples = [quad.triple for quad in (*read.own, *read.incoming, *read.records)]
    return _document(iri, triples, document_iri, dataset_iri, index)


def _document(
    iri: str, triples: list[ox.Triple], document_iri: str, dataset_iri: str, index: EntityIndex
) -> list[ox.Triple]:
    linked: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode) and term.value != iri:
                linked.add(term.value)
    for other in sorted(linked):
        triples += index.label_triples(other)
    doc = ox.NamedNode(document_iri)
    thing = ox.NamedNode(iri)
    triples += [
        ox.Triple(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF + "Document")),
        ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), thing),
        ox.Triple(thing, ox.NamedNode(FOAF + "isPrimaryTopicOf"), doc),
        ox.Triple(doc, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(dataset_iri)),
        ox.Triple(doc, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(LICENSE)),
    ]
    return list(dict.fromkeys(triples))
