"""Helpers for the figure tests: reading SVG, WCAG contrast, editing a copy of the data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox

SVG_NS = "{http://www.w3.org/2000/svg}"
FIGURE_NAMES = (
    "conference-timeline",
    "participation-matrix",
    "members-by-country",
    "coordination-network",
)


def parse_svg(data: bytes | str) -> ET.Element:
    """The root of an SVG document (raises if it is not well-formed XML)."""
    return ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG_NS}text")]


def relative_luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)))
    return (dark + 0.05) / (light + 0.05)


def remove_resource(turtle_file: Path, iri: str) -> int:
    """Remove every triple of ``turtle_file`` whose subject or object is ``iri``; the number
    removed. The file is rewritten as N-Triples (which is also Turtle)."""
    quads = list(ox.parse(path=str(turtle_file), format=ox.RdfFormat.TURTLE))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    node = ox.NamedNode(iri)
    kept = [t for t in triples if t.subject != node and t.object != node]
    turtle_file.write_bytes(ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES))
    return len(triples) - len(kept)
