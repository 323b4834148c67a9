"""SHACL validation of the dataset: a SPARQL fast path on pyoxigraph and pyshacl as reference.

Both engines return the same format-independent :class:`ValidationReport` (results with severity,
focus node and its label, path, value, messages, source shape and constraint component, and the
file of the offending triple), rendered by ``to_text()``, ``to_turtle()`` and ``to_json()``.

The fast path (:func:`validate_store`) compiles the shapes graph into SPARQL queries, one per
constraint, each joined with the shape's targets, and runs them on the pyoxigraph store over the
union of the data and ontology graphs. It supports a fixed set of SHACL features (see
``SUPPORTED``); any other constraint makes it raise :class:`UnsupportedShape`, naming the shape and
the component, so it never validates less than the shapes say. Callers then use
:func:`validate_with_pyshacl`, the reference. ``tests/test_shapes.py`` checks that both engines
report the same results on every fixture and on the real data.

Pure Python: no Flask, no service imports.

Modules: ``report`` (the report model), ``terms`` and ``paths`` (RDF terms and SHACL paths),
``datatypes`` (datatype checks), ``components`` (what the fast path supports), ``compiler``
(shapes to SPARQL) and ``engines`` (the fast path, pyshacl, and the entry points).
"""

from __future__ import annotations

from .compiler import BrokenShape, UnsupportedShape, compile_shapes
from .components import SUPPORTED
from .datatypes import normalize_value as normalize_value
from .engines import validate, validate_snapshot, validate_store, validate_with_pyshacl
from .report import ValidationReport, ValidationResult

__all__ = [
    "BrokenShape",
    "SUPPORTED",
    "UnsupportedShape",
    "ValidationReport",
    "ValidationResult",
    "compile_shapes",
    "validate_snapshot",
    "validate_store",
    "validate_with_pyshacl",
    "validate",
]
