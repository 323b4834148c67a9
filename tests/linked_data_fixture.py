"""A small but complete dataset for the linked-data tests: every kind of link the pages
follow (country, region, government, membership, NEAR, conference, participation,
declaration, resolution, subcommittee, coordination, source), labels in the six languages,
sources for every graph, no dangling link, and one hostile label."""

# ruff: noqa: E501 - Turtle text reads best one statement a line

from __future__ import annotations

import re
from pathlib import Path

from . import conftest
from .conftest import write_dataset

PREFIXES = """@prefix near: <https://w3id.org/near/def#> .
@prefix nearid: <https://w3id.org/near/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

HOSTILE = "<script>alert(\"x\")</script> \u202eevil\u202c & 'quoted' </script>"

MODIFIED = "2026-11-25"  # the ontology's dcterms:modified: Last-Modified, VoID, sitemap

ONTOLOGY = (
    PREFIXES
    + f"""
<https://w3id.org/near/def> a owl:Ontology ; dcterms:modified "{MODIFIED}"^^xsd:date .
"""
    + """
near:Region a owl:Class ; rdfs:label "Region"@en, "地域"@ja, "지역"@ko, "地区"@zh, "Регион"@ru, "Бүс"@mn .
near:Country a owl:Class ; rdfs:label "Country"@en, "国"@ja .
near:RegionalGovernment a owl:Class ; rdfs:label "Regional government"@en, "地方政府"@ja .
near:Membership a owl:Class ; rdfs:label "Membership"@en .
near:Association a owl:Class ; rdfs:label "Association"@en .
near:Conference a owl:Class ; rdfs:label "Conference"@en .
near:Participation a owl:Class ; rdfs:label "Participation"@en .
near:Declaration a owl:Class ; rdfs:label "Declaration"@en .
near:Resolution a owl:Class ; rdfs:label "Resolution"@en .
near:Subcommittee a owl:Class ; rdfs:label "Subcommittee"@en .
near:Coordination a owl:Class ; rdfs:label "Coordination"@en .
near:SourceDocument a owl:Class ; rdfs:label "Source document"@en .
near:MemberRole a org:Role ; rdfs:label "member"@en .
near:country a owl:ObjectProperty ; rdfs:label "country"@en, "国"@ja, "국가"@ko, "国家"@zh, "страна"@ru, "улс"@mn .
near:hasGovernment a owl:ObjectProperty ; rdfs:label "has government"@en .
near:governs a owl:ObjectProperty ; rdfs:label "governs"@en .
near:iso3166_2 a owl:DatatypeProperty ; rdfs:label "ISO 3166-2 code"@en, "ISO 3166-2コード"@ja .
near:conference a owl:ObjectProperty ; rdfs:label "conference"@en .
near:participant a owl:ObjectProperty ; rdfs:label "participant"@en .
near:adoptedAt a owl:ObjectProperty ; rdfs:label "adopted at"@en .
near:declaration a owl:ObjectProperty ; rdfs:label "declaration"@en .
near:subcommittee a owl:ObjectProperty ; rdfs:label "subcommittee"@en .
near:coordinator a owl:ObjectProperty ; rdfs:label "coordinator"@en .
near:hostRegion a owl:ObjectProperty ; rdfs:label "host region"@en .
"""
)


def _names(en: str, ja: str, ko: str, zh: str, ru: str, mn: str) -> str:
    return f'skos:prefLabel "{en}"@en, "{ja}"@ja, "{ko}"@ko, "{zh}"@zh, "{ru}"@ru, "{mn}"@mn'


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


REGIONS = (
    PREFIXES
    + f"""
<https://w3id.org/near/graph/data/regions> dcterms:title "Regions"@en ;
    prov:wasDerivedFrom nearid:source/iso-3166 .
nearid:source/iso-3166 a near:SourceDocument ; dcterms:title "ISO 3166"@en .
nearid:country/JP a near:Country ; {_names("Japan", "日本", "일본", "日本", "Япония", "Япон")} .
nearid:region/JP-32 a near:Region ; near:iso3166_2 "JP-32" ; near:country nearid:country/JP ;
    near:hasGovernment nearid:government/JP-32 ;
    {
        _names(
            "Shimane Prefecture", "島根県", "시마네현", "岛根县", "Префектура Симанэ", "Шимане муж"
        )
    } .
nearid:government/JP-32 a near:RegionalGovernment ; near:governs nearid:region/JP-32 ;
    near:country nearid:country/JP ;
    {
        _names(
            "Government of Shimane",
            "島根県政府",
            "시마네현 정부",
            "岛根县政府",
            "Правительство Симанэ",
            "Шимане мужийн Засаг захиргаа",
        )
    } .
nearid:region/JP-31 a near:Region ; near:iso3166_2 "JP-31" ; near:country nearid:country/JP ;
    skos:prefLabel "Tottori Prefecture"@en, "鳥取県"@ja, "Тотторі"@ru ;
    skos:altLabel "Tōttori-ken"@en, {_quoted(HOSTILE)}@en .
"""
)


MEMBERS = (
    PREFIXES
    + """
<https://w3id.org/near/graph/data/members> dcterms:title "Members"@en ;
    prov:wasDerivedFrom nearid:source/brochure-ja .
nearid:source/brochure-ja a near:SourceDocument ; dcterms:title "NEAR brochure"@en, "NEARパンフレット"@ja .
nearid:organization/near a near:Association ;
    skos:prefLabel "NEAR"@en, "北東アジア地域自治体連合"@ja, "동북아시아지역자치단체연합"@ko,
        "东北亚地区地方政府联合会"@zh, "АРСВА"@ru, "ЗХАБНБ"@mn .
nearid:membership/JP-32 a near:Membership ; org:member nearid:government/JP-32 ;
    org:organization nearid:organization/near ; org:role near:MemberRole ;
    org:memberDuring [ a <http://www.w3.org/2006/time#Interval> ; rdfs:comment "since 1996"@en ] .
nearid:government/JP-32 org:hasMembership nearid:membership/JP-32 .
"""
)

CONFERENCE = (
    PREFIXES
    + """
<https://w3id.org/near/graph/data/conferences/1993> dcterms:title "The 1993 conference"@en ;
    prov:wasDerivedFrom nearid:source/shimane-1993-mn .
nearid:source/shimane-1993-mn a near:SourceDocument ; dcterms:title "Shimane 1993 (mn)"@mn .
nearid:conference/1993 a near:Conference ; near:year "1993"^^xsd:gYear ;
    near:hostRegion nearid:region/JP-32 ;
    skos:prefLabel "Conference 1993"@en, "1993年会議"@ja .
nearid:participation/1993-JP-32 a near:Participation ; near:conference nearid:conference/1993 ;
    near:participant nearid:government/JP-32 ; near:printedName "Шиманэ муж"@mn .
nearid:declaration/shimane-1993 a near:Declaration ; near:adoptedAt nearid:conference/1993 ;
    dcterms:title "Shimane Declaration"@en ; skos:prefLabel "Shimane Declaration"@en .
nearid:resolution/shimane-1993-1 a near:Resolution ; near:declaration nearid:declaration/shimane-1993 ;
    near:ordinal "1"^^xsd:positiveInteger ; skos:prefLabel "Resolution 1"@en .
nearid:subcommittee/environment a near:Subcommittee ; skos:prefLabel "Environment"@en, "環境"@ja .
nearid:coordination/environment a near:Coordination ; near:subcommittee nearid:subcommittee/environment ;
    near:coordinator nearid:government/JP-32 .
"""
)


def _expand(text: str) -> str:
    """``nearid:region/JP-32`` (readable here, not Turtle) -> the full IRI."""
    return re.sub(r"nearid:([a-z-]+/[A-Za-z0-9._-]+)", r"<https://w3id.org/near/id/\1>", text)


FILES = {
    "ontology/near.ttl": ONTOLOGY,
    "data/turtle/regions.ttl": _expand(REGIONS),
    "data/turtle/members.ttl": _expand(MEMBERS),
    "data/turtle/conferences/1993.ttl": _expand(CONFERENCE),
}

THINGS = (
    "country/JP",
    "region/JP-32",
    "region/JP-31",
    "government/JP-32",
    "membership/JP-32",
    "organization/near",
    "conference/1993",
    "participation/1993-JP-32",
    "declaration/shimane-1993",
    "resolution/shimane-1993-1",
    "subcommittee/environment",
    "coordination/environment",
    "source/iso-3166",
    "source/brochure-ja",
    "source/shimane-1993-mn",
)


def make_dataset(root: Path, extra: dict[str, str] | None = None) -> Path:
    return write_dataset(root, {**FILES, **(extra or {})})


def make_app(root: Path):
    return conftest.make_app(root)
