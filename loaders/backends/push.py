"""Publishing a built, validated snapshot to a remote SPARQL store (``nearkg load --to``).

With an update endpoint (atomic per graph, and all at once where the store runs one update
request as one transaction, as Oxigraph does):

1. drop staging graphs a failed earlier load left behind;
2. write every graph into its staging graph ``{base}graph/staging/{version}/{folder}/{path}``
   (Graph Store PUT, or SPARQL Update in chunks where there is no Graph Store endpoint), and check
   its triple count; on any failure drop the staging graphs and stop: the published graphs are
   untouched;
3. one SPARQL Update request: ``MOVE`` each staging graph onto its published graph, drop
   published graphs that are no longer in the dataset, and rewrite the metadata graph;
4. check the triple count of every published graph.

With only a Graph Store endpoint, graphs are replaced in place one by one (not atomic; printed).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ..loading import GraphInfo
from ..snapshot import Snapshot
from . import metadata
from .http import RemoteStoreError, SparqlClient

CHUNK_TRIPLES = 500


def push(client: SparqlClient, snapshot: Snapshot, *, say: Callable[[str], None]) -> None:
    base = snapshot.base
    if not client.endpoints.update:
        _push_in_place(client, snapshot, say=say)
        return
    staging = f"{metadata.staging_root(base)}{snapshot.version[:16]}/"
    targets = {info.iri: staging + info.iri[len(base + "graph/") :] for info in snapshot.graphs}
    how = "Graph Store PUT" if client.endpoints.gsp else "SPARQL Update INSERT in chunks"
    say(f"staging {len(targets)} graphs under <{staging}> with {how}")
    previous = published_graphs(client, base)
    drop_staging(client, base)
    try:
        for info in snapshot.graphs:
            sent = _write_graph(client, snapshot.store, info, targets[info.iri])
            for line in changed_terms(client, targets[info.iri], sent)[:5]:
                say(f"warning: the store changed a triple of {info.file}: {line}")
    except BaseException:
        say("the load failed before the swap: dropping the staging graphs; published data kept")
        _drop_quietly(client, targets.values())
        raise
    removed = sorted(set(previous) - set(targets))
    say(
        f"swapping {len(targets)} graphs in one SPARQL Update request (MOVE staging TO graph)"
        + (f", dropping {len(removed)} graphs no longer in the data" if removed else "")
        + "; each graph switches atomically, all of them at once only where the store runs one"
        " update request as one transaction (Oxigraph does)"
    )
    client.update(_swap_request(snapshot, targets, removed))
    check_counts(client, snapshot.graphs, phase="after the swap")


def _push_in_place(client: SparqlClient, snapshot: Snapshot, *, say) -> None:
    if not client.endpoints.gsp:
        raise RemoteStoreError(
            "cannot write to the store: set NEARKG_SPARQL_UPDATE_ENDPOINT or "
            "NEARKG_SPARQL_GSP_ENDPOINT"
        )
    say(
        "no SPARQL Update endpoint: replacing each graph in place with Graph Store PUT; this is "
        "NOT atomic: readers may see some graphs new and some old until the last PUT, and a "
        "failure half-way leaves them mixed (the metadata graph is written last)"
    )
    for info in snapshot.graphs:
        _write_graph(client, snapshot.store, info, info.iri)
    client.put_graph(metadata.meta_graph(snapshot.base), _ntriples(metadata.triples(snapshot)))


def _write_graph(
    client: SparqlClient, store: ox.Store, info: GraphInfo, target: str
) -> list[ox.Triple]:
    graph_triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(info.iri))
    ]
    if client.endpoints.gsp:
        client.put_graph(target, _ntriples(graph_triples))
    else:
        client.update(f"DROP SILENT GRAPH <{target}>")
        for chunk in chunks(graph_triples, CHUNK_TRIPLES):
            client.update(insert_request(target, chunk))
    check_counts(client, [GraphInfo(target, info.folder, info.file, info.triples)], phase="staged")
    return graph_triples


def changed_terms(client: SparqlClient, target: str, sent: list[ox.Triple]) -> list[str]:
    """Triples (without blank nodes) the store holds differently from how they were sent, e.g.
    Virtuoso 7 turns a large xsd:integer into xsd:decimal."""
    stored = {str(t) for t in client.graph_triples(target)}
    return sorted(
        str(t)
        for t in sent
        if not isinstance(t.subject, ox.BlankNode)
        and not isinstance(t.object, ox.BlankNode)
        and str(t) not in stored
    )


def check_counts(client: SparqlClient, graphs: Iterable[GraphInfo], *, phase: str) -> None:
    for info in graphs:
        found = client.count(info.iri)
        if found != info.triples:
            raise RemoteStoreError(
                f"{phase}: graph <{info.iri}> ({info.file}) holds {found} triples in the store, "
                f"{info.triples} were sent"
            )


def _swap_request(snapshot: Snapshot, targets: dict[str, str], removed: list[str]) -> str:
    counts = {info.iri: info.triples for info in snapshot.graphs}
    operations = []
    for graph, staged in targets.items():
        # a store may not keep an empty graph: an empty published graph is simply dropped
        if counts[graph]:
            operations.append(f"MOVE <{staged}> TO <{graph}>")
        else:
            operations.append(f"DROP SILENT GRAPH <{staged}>")
            operations.append(f"DROP SILENT GRAPH <{graph}>")
    operations += [f"DROP SILENT GRAPH <{graph}>" for graph in removed]
    meta = metadata.meta_graph(snapshot.base)
    body = " ".join(str(t) + " ." for t in metadata.triples(snapshot))
    operations.append(f"DROP SILENT GRAPH <{meta}>")
    operations.append(f"INSERT DATA {{ GRAPH <{meta}> {{ {body} }} }}")
    return " ;\n".join(operations)


def published_graphs(client: SparqlClient, base: str) -> list[str]:
    """The graphs the metadata graph lists (empty for a store near-kg never wrote)."""
    rows = client.select(metadata.read_query(base))
    if not rows:
        return []
    return [g["iri"] for g in json.loads(rows[0]["json"].value)["graphs"]]


def drop_staging(client: SparqlClient, base: str) -> None:
    root = metadata.staging_root(base)
    rows = client.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{root}")) }}'
    )
    _drop_quietly(client, [row["g"].value for row in rows])


def _drop_quietly(client: SparqlClient, graphs: Iterable[str]) -> None:
    graphs = list(graphs)
    if not graphs:
        return
    # if this fails too, the next load drops them: staging graphs are never published data
    with contextlib.suppress(RemoteStoreError):
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def chunks(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Triples in chunks of about ``size``; the triples of one blank-node structure stay in one
    chunk (a blank node label means the same node only within one request)."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.setdefault(label, label) != label:
            label = parent[label]
        return label

    for t in triples:
        labels = [x.value for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)]
        for label in labels[1:]:
            parent[find(label)] = find(labels[0])
    groups: dict[str, list[ox.Triple]] = {}
    plain: list[list[ox.Triple]] = []
    for t in triples:
        node = next((x for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)), None)
        if node is None:
            plain.append([t])
        else:
            groups.setdefault(find(node.value), []).append(t)
    result: list[list[ox.Triple]] = []
    current: list[ox.Triple] = []
    for group in [*groups.values(), *plain]:
        if current and len(current) + len(group) > size:
            result.append(current)
            current = []
        current.extend(group)
    if current:
        result.append(current)
    return result


def insert_request(graph: str, triples: list[ox.Triple]) -> str:
    body = " ".join(str(t) + " ." for t in triples)
    if any(isinstance(x, ox.BlankNode) for t in triples for x in (t.subject, t.object)):
        # Virtuoso refuses blank nodes in INSERT DATA; INSERT ... WHERE {} means the same here
        return f"INSERT {{ GRAPH <{graph}> {{ {body} }} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"
