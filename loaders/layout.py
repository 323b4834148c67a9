"""Which files make up the dataset, and the named graph each one goes into.

The rule (docs/model.md): ``{base}graph/{folder}/{path}`` where folder is ``ontology``, ``data``
or ``shapes`` and path is the file's path below ``ontology/``, ``data/turtle/`` or ``shapes/``
without its ``.ttl`` suffix.
"""

from __future__ import annotations

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


def discover(root: Path) -> list[SourceFile]:
    """Every ``.ttl`` file of the dataset below ``root``, in a stable order."""
    found: list[SourceFile] = []
    for folder, sub in FOLDERS.items():
        directory = root / sub
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*.ttl")):
            if path.is_file():
                found.append(SourceFile(path, folder, path.relative_to(directory).as_posix()))
    return found


def folder_of_graph(graph_iri: str, base: str) -> str | None:
    prefix = base + "graph/"
    if not graph_iri.startswith(prefix):
        return None
    folder = graph_iri[len(prefix) :].split("/", 1)[0]
    return folder if folder in FOLDERS else None
