"""A shape that is wrong whatever the data: reported against its own file.

A malformed ``sh:select`` or a ``sh:pattern`` that does not compile would otherwise show as a
crash or as violations of every focus node; the validator raises ``BrokenShape`` with the
literal at fault, found here in its shapes graph and file (``file:line:col``).
"""

from __future__ import annotations

from pathlib import Path

from .literals import graph_holding, locate
from .loading import LoadError


class ShapeError(LoadError):
    """A shape that is wrong whatever the data (a malformed sh:select, a broken sh:pattern):
    reported against its shapes file, not against the data it would have failed."""

    exit_code = 2


def validate_naming_broken_shapes(validator, snapshot, root: Path):
    """Run the SHACL gate; a shape that cannot be right is a ``ShapeError`` naming its file."""
    from .validation import BrokenShape

    try:
        return validator(snapshot)
    except BrokenShape as error:
        graph = graph_holding(snapshot.store, error.text)
        file = snapshot.file_of_graph().get(graph) if graph else None
        line, column = locate(root / file, error.text, typed=False) if file else (None, None)
        raise ShapeError(f"shape error: {error}", file=file, line=line, column=column) from error
