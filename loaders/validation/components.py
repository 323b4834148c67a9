"""The SHACL features the SPARQL fast path compiles: ``SUPPORTED`` (for people), and the parameter
tables the compiler works from (shape metadata it skips, value-level and property-only
parameters, and the constraint component of each parameter)."""

from __future__ import annotations

from rdflib.namespace import RDF, RDFS, SH, SKOS

# Constraint parameters the fast path compiles (component IRI local names).
SUPPORTED = (
    "targetClass (with rdfs:subClassOf* from the data and ontology graphs), targetNode, "
    "targetSubjectsOf, targetObjectsOf, implicit class targets; paths: predicate, inverse, "
    "sequence, alternative, zeroOrMore, oneOrMore, zeroOrOne; components: minCount, maxCount, "
    "datatype, class, nodeKind, languageIn, uniqueLang, pattern (with flags), in, hasValue, "
    "minInclusive, maxInclusive, minExclusive, maxExclusive, minLength, maxLength, "
    "qualifiedValueShape with qualifiedMinCount/qualifiedMaxCount (value shapes made of the "
    "value-level components above), sparql (SELECT, on node shapes, $this pre-bound by a join "
    "with the targets); sh:deactivated, sh:severity, sh:message"
)

_SHAPE_META = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.path,
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.defaultValue,
    SKOS.editorialNote,
}
_VALUE_LEVEL = {
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.languageIn,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
}
_PROPERTY_ONLY = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
_COMPONENT = {
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}
