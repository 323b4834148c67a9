"""Linked data: things and their documents, named graphs, the ontology, the data contract,
and discovery (VoID, dumps, sitemap). ``registry.register`` adds their blueprints."""
