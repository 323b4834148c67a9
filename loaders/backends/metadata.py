"""The metadata graph a remote store keeps for every replica: ``{base}graph/meta``.

Written by the load that publishes the data, in the same update as the swap: the data version
(the fingerprint of the files, ``loaders.loading.fingerprint``), when it was loaded, and each graph
with its file and triple count. Replicas read it instead of keeping any state of their own::

    <{base}graph/meta> owl:versionInfo "<version>" ;
        dcterms:modified "<loaded_at>"^^xsd:dateTime ;
        rdf:value "<the snapshot metadata as JSON>" .
    <{base}graph/data/regions> void:triples 1234 .    # one per graph, for people and VoID
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..snapshot import Snapshot

OWL_VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
MODIFIED = ox.NamedNode("http://purl.org/dc/terms/modified")
VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
XSD = "http://www.w3.org/2001/XMLSchema#"


def meta_graph(base: str) -> str:
    return f"{base}graph/meta"


def staging_root(base: str) -> str:
    return f"{base}graph/staging/"


def triples(snapshot: Snapshot) -> list[ox.Triple]:
    subject = ox.NamedNode(meta_graph(snapshot.base))
    found = [
        ox.Triple(subject, OWL_VERSION, ox.Literal(snapshot.version)),
        ox.Triple(
            subject,
            MODIFIED,
            ox.Literal(snapshot.loaded_at.isoformat(), datatype=ox.NamedNode(XSD + "dateTime")),
        ),
        ox.Triple(subject, VALUE, ox.Literal(json.dumps(snapshot.metadata(), sort_keys=True))),
    ]
    for info in snapshot.graphs:
        count = ox.Literal(str(info.triples), datatype=ox.NamedNode(XSD + "integer"))
        found.append(ox.Triple(ox.NamedNode(info.iri), VOID_TRIPLES, count))
    return found


def read_query(base: str) -> str:
    graph = meta_graph(base)
    return f"SELECT ?version ?json WHERE {{ GRAPH <{graph}> {{ <{graph}> <{OWL_VERSION.value}> ?version ; <{VALUE.value}> ?json }} }}"  # noqa: E501


def version_query(base: str) -> str:
    graph = meta_graph(base)
    return f"SELECT ?version ?modified WHERE {{ GRAPH <{graph}> {{ <{graph}> <{OWL_VERSION.value}> ?version ; <{MODIFIED.value}> ?modified }} }}"  # noqa: E501
