"""The layers, checked from the source: the data layer (``loaders``) never imports Flask or
the web layer (``service``), and no module imports, however indirectly, a module that imports
it (every import counts, including those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGES = ("loaders", "service")
WEB_ONLY = ("flask", "werkzeug", "jinja2", "granian", "gunicorn", "service")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, known: frozenset[str] = frozenset()) -> set[str]:
    """Absolute names of everything ``path`` imports: ``from pkg import x`` gives ``pkg.x``
    when that is one of the ``known`` modules, else ``pkg`` (and ``pkg.x``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            for alias in node.names:
                found.add(f"{base}.{alias.name}")
                if f"{base}.{alias.name}" not in known:
                    found.add(base)
    return found


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((REPO / package).rglob("*.py"))}


def test_the_data_layer_imports_no_web_code():
    offending = {
        name: sorted(i for i in imports_of(path) if i.split(".")[0] in WEB_ONLY)
        for name, path in modules("loaders").items()
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_the_checker_sees_a_web_import(tmp_path):
    # the rule above can fail: an import of Flask inside a function is found
    probe = REPO / "loaders" / "_layering_probe.py"
    probe.write_text("def f():\n    from flask import g\n    import service.app\n")
    try:
        assert {"flask", "flask.g", "service.app"} <= imports_of(probe)
    finally:
        probe.unlink()


def cycles(package: str) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    known = modules(package)
    names = frozenset(known)
    edges = {
        name: sorted(i for i in imports_of(path, names) if i in known and i != name)
        for name, path in known.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in edges:
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package):
    # a package's __init__ importing its own modules is allowed; a module importing the
    # package back then closes a circle
    assert cycles(package) == []
