"""The description of one thing, independent of the format it is sent in.

It holds the thing's own statements (with its blank nodes), the statements pointing to it,
the statements of the records linked to it (memberships, participations, coordinations,
resolutions, agenda items, figures), each with the named graph that holds it. Renderers turn
it into an HTML page (``entity_page``); an RDF document reads the same statements as triples
(``document_triples``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.store import KnowledgeStore, Snapshot
from service.linked_data.entity_index import RECORD_KINDS, EntityIndex
from service.linked_data.incoming_links import Incoming, KeptIncoming

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
    # instead of ``incoming``, for a much-linked thing on a page: its statements as kept once
    # per data version (``incoming_links``)
    incoming_kept: Incoming | None = None

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
    kept: KeptIncoming | None = None,
) -> EntityDescription | None:
    """The description of ``iri``, or None when the dataset says nothing about it.

    Read by pattern from the store's indexes (``KnowledgeStore.matching_quads``), not by
    SPARQL: the thing's statements and those of its blank nodes, the statements pointing to it
    (those from blank nodes count as its own), then each linked record's statements and those
    of its blank nodes. What a document is made of is the same as with the queries it replaced;
    parsing and planning them was most of a first-time document's cost.

    ``records_read(record_iris)`` names the records whose statements are read (a page shows
    30 of an organization's 2,000 memberships); without it, all are (RDF documents).

    With ``kept`` (a page), the statements pointing to a much-linked thing are read once per
    data version and kept there: the description's ``incoming_kept`` holds them instead of
    ``incoming``."""
    kind_key = index.kind_and_key(iri)
    if kind_key is None or iri not in index.thing_set:
        return None
    description = EntityDescription(iri, *kind_key)
    this = ox.NamedNode(iri)
    linked: set[str] = set()
    for quad in _with_blank_nodes(store, snapshot, this):
        description.own.append(_statement(quad))
        if quad.subject == this and isinstance(quad.object, ox.NamedNode):
            linked.add(quad.object.value)
    incoming = kept.get(iri) if kept is not None else None
    if incoming is None:
        blank: list[Statement] = []
        for quad in store.matching_quads(obj=this, snapshot=snapshot):
            statement = _statement(quad)
            if isinstance(quad.subject, ox.BlankNode):
                blank.append(statement)
            else:
                description.incoming.append(statement)
        description.own += blank
        description.incoming = _unique(description.incoming)
        records = frozenset(_records(index, iri, (s.subject.value for s in description.incoming)))
        if kept is not None:
            kept.keep(iri, description.incoming, blank, records)
            incoming = kept.get(iri)
    else:
        description.own += incoming.blank
        records = incoming.records
    if incoming is not None:
        description.incoming, description.incoming_kept = [], incoming
    description.record_iris = sorted(records.union(_records(index, iri, linked)))
    wanted = (
        description.record_iris if records_read is None else records_read(description.record_iris)
    )
    for record in wanted:
        for quad in _with_blank_nodes(store, snapshot, ox.NamedNode(record)):
            description.records.append(_statement(quad))
    description.own = _unique(description.own)
    description.records = _unique(description.records)
    return description


def _records(index: EntityIndex, iri: str, linked) -> list[str]:
    """The linked things that are records described in the data (not ``iri`` itself)."""
    found = []
    for record in linked:
        kind = index.kind_and_key(record)
        if record != iri and kind and kind[0] in RECORD_KINDS and record in index.thing_set:
            found.append(record)
    return found


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


def document_triples(
    store: KnowledgeStore,
    snapshot: Snapshot,
    index: EntityIndex,
    iri: str,
    *,
    document_iri: str,
    dataset_iri: str,
) -> list[ox.Triple] | None:
    """An RDF document's triples: what ``describe`` reads (all the records), labels of what it
    links to, and metadata tying the document to its primary topic and the dataset. None when
    the dataset says nothing about ``iri``.

    Read as ``describe`` reads, but kept as the store's triples: a ``Statement`` per quad was a
    fifth of a first-time RDF document's cost, and a page needs what a document does not (the
    statements' graphs, the records a page shows)."""
    kind_key = index.kind_and_key(iri)
    if kind_key is None or iri not in index.thing_set:
        return None
    this = ox.NamedNode(iri)
    own = _with_blank_nodes(store, snapshot, this)
    incoming: list[ox.Quad] = []
    for quad in store.matching_quads(obj=this, snapshot=snapshot):
        (own if isinstance(quad.subject, ox.BlankNode) else incoming).append(quad)
    linked: set[str] = set()
    for quad in own:
        if quad.subject == this and isinstance(quad.object, ox.NamedNode):
            linked.add(quad.object.value)
    linked.update(q.subject.value for q in incoming if isinstance(q.subject, ox.NamedNode))
    records = [
        record
        for record in sorted(linked)
        if record != iri
        and (index.kind_and_key(record) or ("",))[0] in RECORD_KINDS
        and record in index.thing_set  # (a search in the index's table: the dearest test last)
    ]
    read = [*own, *incoming]
    for record in records:
        read += _with_blank_nodes(store, snapshot, ox.NamedNode(record))
    triples = list(dict.fromkeys(quad.triple for quad in read))
    for other in sorted(_named_in(triples, iri).difference(records)):
        # a record's labels are among its statements, read whole above
        triples += index.label_triples(other)
    doc = ox.NamedNode(document_iri)
    triples += [
        ox.Triple(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF + "Document")),
        ox.Triple(doc, ox.NamedNode(FOAF + "primaryTopic"), this),
        ox.Triple(this, ox.NamedNode(FOAF + "isPrimaryTopicOf"), doc),
        ox.Triple(doc, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(dataset_iri)),
        ox.Triple(doc, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(LICENSE)),
    ]
    return list(dict.fromkeys(triples))


def _named_in(triples: list[ox.Triple], iri: str) -> set[str]:
    """The IRIs other than ``iri`` that are the subject or object of a triple."""
    found: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    found.discard(iri)
    return found
