"""Which files make up the dataset, and the named graph each one goes into.

The rule (docs/model.md): ``{base}graph/{folder}/{path}`` where folder is ``ontology``, ``data``
or ``shapes`` and path is the file's path below ``ontology/``, ``data/turtle/`` or ``shapes/``
without its ``.ttl`` suffix.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# folder name in graph IRIs -> folder below the data directory
FOLDERS: dict[str, str] = {"ontology": "ontology", "data": "data/turtle", "shapes": "shapes"}
# graphs of these folders make up the default graph queries see
UNION_FOLDERS = ("data", "ontology")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    folder: str  # "ontology", "data" or "shapes"
    relative: str  # path below the folder, posix, with suffix

    def graph_iri(self, base: str) -> str:
        return f"{base}graph/{self.folder}/{PurePosixPath(self.relative).with_suffix('')}"

    def display(self, root: Path) -> str:
        try:
            return str(self.path.relative_to(root))
        except ValueError:
            return str(self.path)


class UnreadableSource(ValueError):
    """A ``.ttl`` path of the dataset that is not a readable regular file (a dangling
    symbolic link, a folder, a FIFO...): the load stops rather than publish without it."""

    def __init__(self, path: Path, root: Path, why: str) -> None:
        try:
            shown = str(path.relative_to(root))
        except ValueError:
            shown = str(path)
        super().__init__(f"{shown}: {why}")
        self.file = shown
        self.why = why


def discover(root: Path) -> list[SourceFile]:
    """Every ``.ttl`` file of the dataset below ``root``, in a stable order; raises
    ``UnreadableSource`` for a ``.ttl`` path that is not a readable regular file, and for a
    dangling symbolic link of any name (a linked folder of data that is gone)."""
    found: list[SourceFile] = []
    for folder, sub in FOLDERS.items():
        directory = root / sub
        if not directory.is_dir():
            continue
        for path in sorted(_entries(directory)):
            dangling = path.is_symlink() and not path.exists()
            if path.suffix != ".ttl" and not dangling:
                continue
            problem = _not_a_readable_file(path)
            if problem:
                raise UnreadableSource(path, root, problem)
            found.append(SourceFile(path, folder, path.relative_to(directory).as_posix()))
    return found


def _entries(directory: Path) -> list[Path]:
    """Every path below ``directory`` that is not a folder, through linked folders too (each
    real folder once: a link loop ends)."""
    entries: list[Path] = []
    seen: set[str] = set()
    for folder, subfolders, names in os.walk(directory, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            continue
        seen.add(real)
        here = Path(folder)
        entries += [here / name for name in names]
        # a folder named like a Turtle file is reported, not walked into
        entries += [here / name for name in subfolders if name.endswith(".ttl")]
        subfolders[:] = [name for name in subfolders if not name.endswith(".ttl")]
    return entries


def _not_a_readable_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file, or None. Never opens it (a FIFO blocks)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"a symbolic link to {os.readlink(path)}, which does not exist"
        return "vanished while the folder was read"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if stat.S_ISDIR(mode):
        return "a folder named like a Turtle file (expected a file)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device): it cannot be loaded"
    if not os.access(path, os.R_OK):
        return "cannot be read: permission denied"
    return None


def folder_of_graph(graph_iri: str, base: str) -> str | None:
    prefix = base + "graph/"
    if not graph_iri.startswith(prefix):
        return None
    folder = graph_iri[len(prefix) :].split("/", 1)[0]
    return folder if folder in FOLDERS else None
