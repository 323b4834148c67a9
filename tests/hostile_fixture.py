"""A dataset whose labels try to break out of every place a label is written: HTML text and
attributes, the inline JSON-LD script, JSON, SVG, CSV; plus right-to-left marks and a 10 kB
literal. Built on the linked-data fixture so every page has something to show."""

from __future__ import annotations

from pathlib import Path

from .linked_data_fixture import PREFIXES, make_dataset

SCRIPT = '</script><script>alert("pwned")</script>'
COMMENT = "<!--<script>alert(1)//-->"
QUOTES = '"onmouseover="alert(1)" \'x\' & <b>bold</b> ]]> {{ 7*7 }}'
RIGHT_TO_LEFT = "\u202egpj.exe\u202c \u200f\u05e9\u05dc\u05d5\u05dd"
SEPARATORS = "line\u2028para\u2029end"
LONG = "A long label " + "x" * 10_240
LABELS = {"script": SCRIPT, "comment": COMMENT, "quotes": QUOTES, "rtl": RIGHT_TO_LEFT,
          "separators": SEPARATORS, "long": LONG}  # fmt: skip
# Each hostile label is the English name of a region of its own (the page title, breadcrumbs,
# search results, JSON-LD "name") and an alternative name of the other regions.
THINGS = {name: f"region/XX-{i}" for i, name in enumerate(LABELS, start=1)}
SEARCH_WORD = "Hostile"


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_turtle() -> str:
    lines = [PREFIXES]
    for name, thing in THINGS.items():
        label = LABELS[name]
        others = ", ".join(_turtle_string(v) + "@en" for k, v in LABELS.items() if k != name)
        lines.append(
            f"<https://w3id.org/near/id/{thing}> a near:Region ; "
            f'near:iso3166_2 "{thing.rsplit("/", 1)[1]}" ;\n'
            f"    near:country <https://w3id.org/near/id/country/JP> ;\n"
            f"    skos:prefLabel {_turtle_string(label)}@en, "
            f'"{SEARCH_WORD} {name}"@ja ;\n'
            f"    skos:altLabel {others} .\n"
        )
    return "\n".join(lines)


def make_hostile_dataset(root: Path) -> Path:
    return make_dataset(root, {"data/turtle/hostile.ttl": hostile_turtle()})
