"""Compare the curated preferred names with CLDR's subdivision names (maintainers' tool).

Reads data/turtle/names/regions.ttl and CLDR's ``common/subdivisions/{ja,ko,zh,ru,mn}.xml``
(Debian package ``unicode-cldr-core``) and prints one row per region and language where the
two differ. docs/names-review.md records the decision taken on each row. Not used at run time.

    python tools/cldr_names.py [/usr/share/unicode/cldr]
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ja", "ko", "zh", "ru", "mn")
REGION = "https://w3id.org/near/id/region/"
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


def cldr_names(cldr: Path, lang: str) -> dict[str, str]:
    """ISO 3166-2 code -> CLDR name."""
    # a file of the Debian package installed by the maintainer, not input from outside
    tree = ET.parse(cldr / "common" / "subdivisions" / f"{lang}.xml")  # noqa: S314
    names = {}
    for node in tree.iter("subdivision"):
        kind = node.get("type", "")
        code = f"{kind[:2].upper()}-{kind[2:].upper()}"
        names[code] = node.text or ""
    return names


def curated_names() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    path = ROOT / "data" / "turtle" / "names" / "regions.ttl"
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject = quad.subject.value
        if quad.predicate.value == PREF and subject.startswith(REGION):
            names.setdefault(subject[len(REGION) :], {})[quad.object.language] = quad.object.value
    return names


def main(argv: list[str]) -> int:
    cldr = Path(argv[1] if len(argv) > 1 else "/usr/share/unicode/cldr")
    curated = curated_names()
    print("| code | lang | curated | CLDR |")
    print("|---|---|---|---|")
    for lang in LANGS:
        reference = cldr_names(cldr, lang)
        for code in sorted(curated):
            ours, theirs = curated[code].get(lang, ""), reference.get(code, "(none)")
            if ours != theirs:
                print(f"| {code} | {lang} | {ours} | {theirs} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
