"""``nearkg validate``: run one engine or both on a loaded snapshot and time them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from loaders.ontology import rewrite_base
from loaders.validation import ValidationReport, validate_snapshot, validate_with_pyshacl


@dataclass
class ValidationOutcome:
    report: ValidationReport
    seconds: dict[str, float] = field(default_factory=dict)  # engine -> wall time
    disagreement: str | None = None

    def timing_lines(self) -> list[str]:
        lines = [f"{engine}: {seconds:.3f} s" for engine, seconds in self.seconds.items()]
        phases = ", ".join(f"{k} {v:.3f} s" for k, v in self.report.timing.items())
        if phases:
            lines.append(f"{self.report.engine} phases: {phases}")
        if self.report.query_count:
            lines.append(f"queries run: {self.report.query_count}")
        return lines


def _pyshacl(snapshot, data_dir: Path) -> ValidationReport:
    """pyshacl on the Turtle files as written: the store would hand it xsd:positiveInteger
    values as xsd:integer (pyoxigraph keeps the value, not the derived type)."""
    data, shapes = Graph(), Graph()
    for info in snapshot.graphs:
        if not info.file:  # made by the load (the VoID description): no file to read
            continue
        target = shapes if info.folder == "shapes" else data
        target += rewrite_base(Graph().parse(data_dir / info.file, format="turtle"), snapshot.base)
    return validate_with_pyshacl(data, shapes)


def run_validation(snapshot, engine: str, data_dir: Path) -> ValidationOutcome:
    """Validate with ``fast``, ``pyshacl`` or ``both`` (the fast report, checked against
    pyshacl's)."""
    runners = {"fast": validate_snapshot, "pyshacl": lambda s: _pyshacl(s, Path(data_dir))}
    chosen = ["fast", "pyshacl"] if engine == "both" else [engine]
    reports, seconds = {}, {}
    for name in chosen:
        started = time.perf_counter()
        reports[name] = runners[name](snapshot)
        seconds[name] = time.perf_counter() - started
    outcome = ValidationOutcome(reports[chosen[0]], seconds)
    if engine == "both" and reports["fast"].keys() != reports["pyshacl"].keys():
        only_fast = len(reports["fast"].keys() - reports["pyshacl"].keys())
        only_ref = len(reports["pyshacl"].keys() - reports["fast"].keys())
        outcome.disagreement = (
            f"{only_fast} result(s) only in the fast path, {only_ref} only in pyshacl"
        )
    return outcome
