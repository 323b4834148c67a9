"""The HTTP pipeline shared by every route: the format registry, negotiation, the
request view, representations (validators, Vary, Link, gzip), errors, security, caches."""
