"""Parse the dataset's Turtle files into a fresh store, one named graph per file."""

from __future__ import annotations

import errno
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .layout import SourceFile, discover
from .settings import DEFAULT_BASE

# progress(done_files, total_files, current file display name)
Progress = Callable[[int, int, str], None]


class LoadError(Exception):
    """A file could not be loaded; ``str()`` reads ``file:line:col: message``."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class StoreError(LoadError):
    """The store folder cannot be used (not writable, disk full, an I/O error). The message
    names the store folder, never a data file."""

    exit_code = 4


def store_error(root: Path, error: BaseException, doing: str) -> StoreError:
    """A ``StoreError`` in words: disk full and a read-only folder are named as such."""
    text = str(error)
    code = getattr(error, "errno", None)
    if code == errno.ENOSPC or "No space left" in text:
        why = "the disk is full"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "Permission denied" in text:
        why = "the folder is not writable"
    else:
        why = f"I/O error: {text}"
    return StoreError(f"store {root}: cannot {doing}: {why}")


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    folder: str  # ontology, data, shapes
    file: str  # path relative to the data directory
    triples: int


def fingerprint(files: Iterable[SourceFile], base: str, root: Path) -> str:
    """A digest of the dataset: changes exactly when a file, a path or the base changes."""
    digest = hashlib.sha256(base.encode())
    for source in files:
        digest.update(b"\0" + source.display(root).encode() + b"\0")
        digest.update(source.path.read_bytes())
    return digest.hexdigest()


def files_changed_at(files: Iterable[SourceFile]) -> datetime | None:
    """The newest modification time of the dataset's files, in UTC (None: no files)."""
    newest = max((source.path.stat().st_mtime for source in files), default=None)
    return None if newest is None else datetime.fromtimestamp(newest, UTC)


XSD_ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"


def _rebase(term, old: str, new: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(old):
        return ox.NamedNode(new + term.value[len(old) :])
    if isinstance(term, ox.Literal):
        # IRIs written as xsd:anyURI literals (the shapes' sh:namespace) move with the base
        if term.datatype.value == XSD_ANY_URI and term.value.startswith(old):
            return ox.Literal(new + term.value[len(old) :], datatype=term.datatype)
        if term.datatype.value.startswith(old):
            return ox.Literal(term.value, datatype=_rebase(term.datatype, old, new))
    return term


def writing_failed(error: BaseException) -> bool:
    """Whether an error from the engine is about writing its own files (RocksDB's "IO error",
    a full disk), not about the file being read."""
    text = str(error)
    return text.startswith(("IO error", "Corruption")) or "No space left" in text


def _load_file(
    store: ox.Store,
    source: SourceFile,
    graph: ox.NamedNode,
    base: str,
    root: Path,
    bulk: bool,
    store_root: Path | None = None,
):
    display = source.display(root)
    try:
        if base == DEFAULT_BASE:
            load = store.bulk_load if bulk else store.load
            load(path=str(source.path), format=ox.RdfFormat.TURTLE, to_graph=graph)
            return
        quads = [
            ox.Quad(
                _rebase(q.subject, DEFAULT_BASE, base),
                _rebase(q.predicate, DEFAULT_BASE, base),
                _rebase(q.object, DEFAULT_BASE, base),
                graph,
            )
            for q in ox.parse(path=str(source.path), format=ox.RdfFormat.TURTLE)
        ]
        store.extend(quads)
    except SyntaxError as error:
        raise LoadError(
            _parser_message(error), file=display, line=error.lineno, column=error.offset
        ) from error
    except (OSError, RuntimeError) as error:
        if writing_failed(error):
            raise store_error(store_root or Path("(in memory)"), error, "write") from error
        raise LoadError(f"cannot read: {error}", file=display) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise LoadError(f"cannot read: {visible(str(error))}", file=display) from error
    except MemoryError as error:  # the parser's bound on one token (a 50 MB literal)
        raise LoadError(
            f"a term is too long for the parser ({error}): the limit is 16 MiB per literal or IRI",
            file=display,
        ) from error


def _parser_message(error: SyntaxError) -> str:
    message = error.msg or str(error)
    return visible(message.removeprefix("Parser error ").strip()) if message else "syntax error"


def visible(text: str) -> str:
    """``text`` with invisible characters written out (a byte order mark would otherwise show
    as nothing at all in the message): ``<U+FEFF>``."""
    return "".join(
        char if char.isprintable() or char in "\n\t" else f"<U+{ord(char):04X}>" for char in text
    )


def parse_into(
    store: ox.Store,
    root: Path,
    base: str,
    *,
    files: list[SourceFile] | None = None,
    progress: Progress | None = None,
    bulk: bool = False,
    store_root: Path | None = None,
) -> list[GraphInfo]:
    """Load every dataset file below ``root`` into ``store``; the first error stops it.
    ``bulk`` uses pyoxigraph's bulk loader (no transaction: for a fresh on-disk generation,
    which is thrown away if the load fails; several times faster there, slower in memory)."""
    files = discover(root) if files is None else files
    infos: list[GraphInfo] = []
    for index, source in enumerate(files):
        display = source.display(root)
        if progress:
            progress(index, len(files), display)
        graph = ox.NamedNode(source.graph_iri(base))
        _load_file(store, source, graph, base, root, bulk, store_root)
        _name_blank_nodes_stably(store, graph)
        count = _count(store, graph)
        infos.append(GraphInfo(graph.value, source.folder, display, count))
    if progress:
        progress(len(files), len(files), "")
    return infos


def _name_blank_nodes_stably(store: ox.Store, graph: ox.NamedNode) -> None:
    """Give the graph's blank nodes names that are the same at every load of the same file.

    The parser names each blank node afresh at random, so two loads of the same data (a
    restart, another replica) wrote its dumps and documents with other labels: other bytes
    under the same strong ETag, and a download resumed with ``If-Range`` joined pieces of two
    different files. The statements with a blank node (the shapes' lists and property shapes,
    a few hundred) are renamed by RDF Dataset Canonicalization (RDFC-1.0), prefixed with a
    digest of the graph's name so that two graphs' nodes never meet."""
    rows = store.query(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }",
        substitutions={ox.Variable("g"): graph},
    )
    found = [ox.Quad(row["s"], row["p"], row["o"]) for row in rows]  # type: ignore[arg-type]
    if not found:
        return
    canonical = ox.Dataset(found)
    canonical.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    prefix = "g" + hashlib.sha256(graph.value.encode()).hexdigest()[:12]

    def renamed(term):
        return ox.BlankNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term

    for quad in found:
        store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
    stable = [ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), graph) for q in canonical]
    store.extend(sorted(stable, key=str))  # in one order too: the store keeps it


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    """Triples in one graph, counted by the engine (iterating quads in Python is the slowest
    part of a large load on disk)."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started
