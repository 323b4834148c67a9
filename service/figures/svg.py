"""A very small SVG writer: elements with escaped text and attributes, and an accessible root.

Every string that reaches the output goes through ``escape``/``quoteattr`` (data labels can
hold ``<``, ``&`` or quotes), and a character XML 1.0 cannot hold at all (a C0 control, U+FFFE,
U+FFFF; the shapes do not forbid them in labels) is drawn as U+FFFD: a figure is drawn, never
refused, and never an SVG no parser reads. Text widths are estimated (no font metrics on the
server): wide East Asian characters take about one em, Cyrillic letters about two thirds (a long
Mongolian label was clipped at 0.6), others a little more than half an em.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax import saxutils

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text content: escaped, and what XML cannot hold replaced (see the module's docstring)."""
    return saxutils.escape(_NOT_XML.sub("\ufffd", text))


def quoteattr(text: str) -> str:
    """An attribute value, quoted and escaped likewise."""
    return saxutils.quoteattr(_NOT_XML.sub("\ufffd", text))


FONT = 'system-ui, "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", sans-serif'
BACKGROUND = "#ffffff"
INK = "#1b1f23"  # 16.6:1 on white, 14.9:1 on BAND
MUTED = "#57606a"  # 6.4:1 on white, 5.7:1 on BAND
ACCENT = "#0b5cad"  # 6.7:1 on white: highlighted text and member bars
WARM = "#a34a00"  # 5.9:1 on white: observer bars, counts that disagree
LINE = "#6e7781"  # rules, connectors, empty cells (non-text: 4.6:1 on white, 4.2:1 on BAND)
BAND = "#f0f3f6"  # background of alternate groups (tests/test_figures.py checks both)


def text_width(text: str, size: float) -> float:
    """Estimated width in user units of ``text`` at font ``size``."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif "\u0400" <= char <= "\u04ff":  # Cyrillic (Russian, Mongolian): wider letters
            width += 0.8 if char.isupper() else 0.66
        elif char.isupper():
            width += 0.72
        elif char in " .,:;'!|il":
            width += 0.32
        else:
            width += 0.6
    return width * size


def _attributes(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.1f}".rstrip("0").rstrip(".")
        parts.append(f" {name}={quoteattr(str(value))}")
    return "".join(parts)


class Svg:
    """Collects elements; ``document()`` wraps them in an accessible ``<svg>``."""

    def __init__(self, figure_id: str, width: float, height: float, lang: str, link=None):
        self.figure_id = figure_id
        self.width = width
        self.height = height
        self.lang = lang
        self.link = link  # iri -> the address of its page, or None (a file drawn alone)
        self.links = 0
        self.parts: list[str] = []

    def element(self, name: str, **attrs) -> None:
        self.parts.append(f"<{name}{_attributes(attrs)}/>")

    def text(self, x: float, y: float, content: str, **attrs) -> None:
        attrs.setdefault("fill", INK)
        self.parts.append(f"<text{_attributes({'x': x, 'y': y, **attrs})}>{escape(content)}</text>")

    def rect(self, x: float, y: float, width: float, height: float, **attrs) -> None:
        self.element("rect", x=x, y=y, width=width, height=height, **attrs)

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs) -> None:
        attrs.setdefault("stroke", LINE)
        self.element("line", x1=x1, y1=y1, x2=x2, y2=y2, **attrs)

    def circle(self, cx: float, cy: float, r: float, **attrs) -> None:
        self.element("circle", cx=cx, cy=cy, r=r, **attrs)

    def open_group(self, **attrs) -> None:
        self.parts.append(f"<g{_attributes(attrs)}>")

    def close_group(self) -> None:
        self.parts.append("</g>")

    def open_link(self, iri: str) -> bool:
        """Starts a link to the page of ``iri`` around what follows (until ``close_link``);
        False (and nothing written) where there is no page to link."""
        href = self.link(iri) if self.link and iri else None
        if href:
            self.parts.append(f"<a{_attributes({'href': href})}>")
            self.links += 1
        return bool(href)

    def close_link(self, opened: bool) -> None:
        if opened:
            self.parts.append("</a>")

    def document(self, title: str, description: str) -> str:
        """The ``<svg>`` element (no XML declaration: it can be inlined in HTML as is)."""
        title_id, desc_id = f"{self.figure_id}-title", f"{self.figure_id}-desc"
        root = _attributes(
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "id": self.figure_id,
                "class": "figure-svg",
                # a picture; one whose marks are links is a group one can move through
                "role": "group" if self.links else "img",
                "aria-labelledby": title_id,
                "aria-describedby": desc_id,
                "lang": self.lang,
                "xml:lang": self.lang,
                "width": round(self.width),
                "height": round(self.height),
                "viewBox": f"0 0 {round(self.width)} {round(self.height)}",
                "font-family": FONT,
            }
        )
        head = (
            f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
            f"<desc id={quoteattr(desc_id)}>{escape(description)}</desc>"
        )
        background = f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>'
        return f"<svg{root}>{head}{background}{''.join(self.parts)}</svg>"


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def standalone(svg_element: str) -> str:
    """An SVG file: the declaration, then the element."""
    return XML_DECLARATION + svg_element + "\n"
