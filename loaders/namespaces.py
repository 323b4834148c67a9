"""The one prefix table: every namespace near-kg names, for Turtle output, the query page's
PREFIX block, short names in reports and pages.

``prefixes(base)`` adds the project's own namespaces on the configured base: ``near:`` (the
ontology) and ``nsh:`` (the shapes). Things get no prefix in RDF output: pyoxigraph would write
``nearid:region\\/JP-32``, which older parsers (rapper 2.0.15) misread; ``things=True`` adds
``nearid:`` where the text is for people (validation reports).
"""

from __future__ import annotations

WELL_KNOWN: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
}


def prefixes(base: str, *, things: bool = False) -> dict[str, str]:
    """The table on ``base`` (``NEARKG_BASE``)."""
    own = {"near": base + "def#", "nsh": base + "def/shapes#"}
    return {**own, **WELL_KNOWN, **({"nearid": base + "id/"} if things else {})}
