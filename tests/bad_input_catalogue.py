"""The catalogue of bad inputs: one row per request, with the status and a fragment of the
message the service must answer with. ``__PORT__`` in a row is the port of a local listener
that records connections (tests/connection_recorder.py): no row may ever connect to it."""

# ruff: noqa: E501 - one row a line reads best

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from urllib.parse import quote

TOKEN = "catalogue-token-9f8e7d"
MAX_QUERY_BYTES = 100_000  # the default NEARKG_MAX_QUERY_BYTES


@dataclass(frozen=True)
class BadInput:
    id: str
    method: str
    target: str  # sent as is on the request line (already percent-encoded)
    status: int
    fragment: str  # part of the message (case-insensitive); "" for none
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


def q(text: str) -> str:
    """``/sparql?query=`` with the text percent-encoded."""
    return "/sparql?query=" + quote(text, safe="")


def nested(opening: str, inner: str, closing: str, depth: int) -> str:
    return opening * depth + inner + closing * depth


def service(iri: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}"


def deep(text: str) -> bytes:
    return text.encode()


QUERY = ("Content-Type", "application/sparql-query")
UPDATE = ("Content-Type", "application/sparql-update")
FORM = ("Content-Type", "application/x-www-form-urlencoded")
BEARER = ("Authorization", f"Bearer {TOKEN}")
REFUSED = "is not allowed: this endpoint reaches only the hosts"
RESULTS_XML = ("Accept", "application/sparql-results+xml")
RDF_XML = ("Accept", "application/rdf+xml")

# fmt: off
CATALOGUE: list[BadInput] = [
    # -- malformed SPARQL: the parser's message with its position ---------------------------
    BadInput("sparql-truncated", "GET", q("SELECT * WHERE { ?s ?p }"), 400, "malformed query: error at 1:"),
    BadInput("sparql-misspelt-keyword", "GET", q("SELEC * WHERE { ?s ?p ?o }"), 400, "error at 1:1"),
    BadInput("sparql-error-on-line-4", "GET", q("SELECT *\nWHERE {\n  ?s ?p ?o FILTER(\n}"), 400, "error at 4:"),
    BadInput("sparql-unknown-prefix", "GET", q("SELECT * WHERE { ?s nope:p ?o }"), 400, "prefix"),
    BadInput("sparql-unterminated-string", "GET", q('SELECT * WHERE { ?s ?p "abc }'), 400, "malformed query"),
    BadInput("sparql-iri-with-space", "GET", q("SELECT * WHERE { <http://a b> ?p ?o }"), 400, "malformed query"),
    BadInput("sparql-nul-byte", "GET", q("SELECT * WHERE { ?s ?p ?o \x00 }"), 400, "malformed query"),
    BadInput("sparql-lone-surrogate-escape", "GET", q('SELECT * WHERE { ?s ?p "\\uD800" }'), 400, ""),
    BadInput("sparql-empty", "GET", q(""), 400, "the query is empty"),
    BadInput("sparql-blank", "GET", q("  \n\t "), 400, "the query is empty"),
    BadInput("sparql-two-queries", "GET", q("ASK {}") + "&query=ASK%7B%7D", 400, "send exactly one"),
    BadInput("sparql-huge-direct", "POST", "/sparql", 413, "larger than 100000 bytes", (QUERY,), b"ASK {}" + b" " * MAX_QUERY_BYTES),
    BadInput("sparql-huge-form", "POST", "/sparql", 413, "larger than", (FORM,), b"query=ASK+%7B%7D" + b"+" * MAX_QUERY_BYTES),
    # Refused by the HTTP layer (Granian) with a status and no body: a request target over
    # 64 KiB, a head over 128 KiB, bytes no header may hold (service/server.py).
    BadInput("sparql-long-get", "GET", q("ASK {}" + " " * 25_000), 414, ""),
    BadInput("sparql-huge-get", "GET", q("ASK {}" + " " * MAX_QUERY_BYTES), 431, ""),
    BadInput("sparql-body-not-utf8", "POST", "/sparql", 400, "not valid UTF-8", (QUERY,), b"ASK { \xff\xfe }"),
    BadInput("sparql-bad-graph-iri", "GET", q("ASK {}") + "&default-graph-uri=not%20an%20iri", 400, "not an IRI"),
    BadInput("sparql-empty-graph-iri", "GET", q("ASK {}") + "&named-graph-uri=", 400, "not an IRI"),
    # -- nesting: refused before pyoxigraph, which crashes or crawls on deep nesting ---------
    BadInput("nested-groups", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE " + nested("{", "?s ?p ?o", "}", 3000))),
    BadInput("nested-parentheses-filter", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE { ?s ?p ?o FILTER" + nested("(", "?o", ")", 3000) + " }")),
    BadInput("nested-parentheses-bind", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE { BIND(" + nested("(", "1", ")", 3000) + " AS ?x) }")),
    BadInput("nested-subqueries", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE " + nested("{ SELECT * WHERE ", "{}", " }", 1000))),
    BadInput("nested-path-parentheses", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE { ?s " + nested("(", "<http://x/p>", ")", 3000) + " ?o }")),
    BadInput("nested-not-exists-900", "POST", "/sparql", 400, "at most 128", (QUERY,), deep("SELECT * WHERE " + nested("{ FILTER NOT EXISTS ", "{}", " }", 900))),
    BadInput("nested-collections-300", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE { ?s ?p " + nested("( ", "1", " )", 300) + " }")),
    BadInput("nested-blank-nodes", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE { ?s ?p " + nested("[ ?p ", "1", " ]", 1000) + " }")),
    BadInput("nested-escaped-braces", "POST", "/sparql", 400, "nests brackets", (QUERY,), deep("SELECT * WHERE " + nested("\\u007B", "", "\\u007D", 500))),
    BadInput("nested-update", "POST", "/sparql", 400, "nests brackets", (UPDATE, BEARER), deep("DELETE { ?s ?p ?o } WHERE " + nested("{ FILTER NOT EXISTS ", "{}", " }", 900))),
    # -- formats and negotiation headers -----------------------------------------------------
    BadInput("accept-unknown-type", "GET", q("ASK {}"), 406, "no acceptable format", (("Accept", "application/x-bogus"),)),
    # -- answers XML cannot carry: 406 naming why and the formats that can (never a 200 that
    #    is not XML); what XML can carry is still a 200, and parses (test_bad_inputs) --------
    BadInput("xml-results-control-character", "GET", q('SELECT * WHERE { BIND("a\\u0001b" AS ?x) }'), 406, "character U+0001, which XML 1.0 cannot carry", (RESULTS_XML,)),
    BadInput("xml-results-raw-control-character", "GET", q('SELECT * WHERE { BIND("a\x1fb" AS ?x) }') + "&format=xml", 406, "U+001F", ()),
    BadInput("xml-results-noncharacter", "GET", q('SELECT * WHERE { BIND("a\\uFFFEb" AS ?x) }'), 406, "application/sparql-results+json, text/csv", (("Accept", "text/xml"),)),
    BadInput("xml-results-what-xml-holds", "GET", q('SELECT * WHERE { BIND("tab\\tline\\ncr\\r\\u0085\\uFFFD\\U0001F600" AS ?x) }'), 200, "<literal>tab", (RESULTS_XML,)),
    BadInput("xml-results-control-character-as-json", "GET", q('SELECT * WHERE { BIND("a\\u0001b" AS ?x) }'), 200, "a\\u0001b", (("Accept", "application/sparql-results+json"),)),
    BadInput("rdfxml-control-character", "GET", q('CONSTRUCT { <a:b> <a:p> "a\\u0001b" } WHERE {}'), 406, "U+0001", (RDF_XML,)),
    BadInput("rdfxml-predicate-without-a-name", "GET", q('CONSTRUCT { <a:b> <a:123> "v" } WHERE {}'), 406, "the predicate <a:123> does not end in an XML name", (RDF_XML,)),
    BadInput("rdfxml-predicate-ending-in-a-slash", "GET", q('CONSTRUCT { <a:b> <http://example.org/p/> "v" } WHERE {}') + "&format=rdfxml", 406, "ask for another format: text/turtle", ()),
    BadInput("rdfxml-type-without-a-name", "GET", q('CONSTRUCT { <a:b> a <a:123> } WHERE {}'), 406, "the type <a:123>", (RDF_XML,)),
    BadInput("rdfxml-predicate-of-the-syntax", "GET", q('CONSTRUCT { <a:b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#about> "v" } WHERE {}'), 406, "RDF/XML's own syntax", (RDF_XML,)),
    BadInput("rdfxml-predicate-in-xmlns", "GET", q('CONSTRUCT { <a:b> <http://www.w3.org/2000/xmlns/p> "v" } WHERE {}'), 406, "namespace declarations", (RDF_XML,)),
    BadInput("rdfxml-predicate-ending-in-a-name", "GET", q('CONSTRUCT { <a:b> <a:123x> "v" } WHERE {}'), 200, 'xmlns="a:123"', (RDF_XML,)),
    BadInput("accept-garbage", "GET", "/id/region/JP-32", 303, "See http", (("Accept", ";;;,,,/=q=abc,*/x,text/,/html;q"),)),
    BadInput("accept-control-characters", "GET", "/id/region/JP-32", 400, "", (("Accept", "text/html\x01\x7f"),)),
    BadInput("accept-bad-q", "GET", "/id/region/JP-32", 406, "none of the formats", (("Accept", "text/turtle;q=nan, text/html;q=0"),)),
    BadInput("accept-q-overflow", "GET", "/doc/region/JP-32", 200, "", (("Accept", "text/html;q=1e400, */*;q=-1"),)),
    BadInput("accept-8k-of-ranges", "GET", "/doc/region/JP-32", 406, "none of the formats", (("Accept", "a/b," * 2000),)),
    # 431 from hyper (no body) or, when the head's last piece carried it past hyper's buffer
    # limit, from near-kg's own limit (service/http/request_head.py, with a sentence): the
    # status is the same whichever refuses, so the fragment is empty
    BadInput("accept-oversized", "GET", "/", 431, "", (("Accept", "x" * 200_000),)),
    BadInput("accept-20k", "GET", "/", 200, "NEAR", (("Accept", "x" * 20_000),)),
    BadInput("accept-language-garbage", "GET", "/", 200, "NEAR", (("Accept-Language", "=;q=x,*;q=-5,,;;,ja;q=1e999"),)),
    BadInput("accept-language-8k", "GET", "/", 200, "NEAR", (("Accept-Language", "zz-ZZ," * 1300),)),
    BadInput("accept-encoding-garbage", "GET", "/doc/region/JP-32.ttl", 200, "@prefix", (("Accept-Encoding", "identity;q=x, br;q=1e9"),)),
    BadInput("if-modified-since-garbage", "GET", "/doc/region/JP-32.ttl", 200, "@prefix", (("If-Modified-Since", "yesterday-ish"),)),
    BadInput("if-none-match-garbage", "GET", "/doc/region/JP-32.ttl", 200, "@prefix", (("If-None-Match", '"unterminated, W/, "", *x'),)),
    BadInput("format-unknown-suffix", "GET", "/doc/region/JP-32.exe", 404, "knows nothing about"),
    BadInput("ontology-unknown-suffix", "GET", "/def.exe", 404, "not available as .exe"),
    BadInput("figure-unknown-suffix", "GET", "/figures/members-by-country.exe", 404, "figures come as"),
    BadInput("page-negative", "GET", "/doc/region/JP-32.html?page=-1", 400, "page must be a whole number"),
    BadInput("page-enormous", "GET", "/doc/region/JP-32.html?page=" + "9" * 400, 400, "page must be a whole number"),
    BadInput("search-too-long", "GET", "/search?q=" + "a" * 300, 400, "too long"),
    BadInput("search-nul-and-invalid-utf8", "GET", "/search?q=%00%ff%fe", 200, "Search"),
    BadInput("lang-garbage", "GET", "/doc/region/JP-32.html?lang=%00%ff", 200, "Shimane"),
    # -- IRIs and keys -----------------------------------------------------------------------
    BadInput("key-non-ascii", "GET", "/id/region/%E5%B3%B6%E6%A0%B9", 404, "not a well-formed key"),
    BadInput("key-invalid-utf8", "GET", "/id/region/%ff%fe", 404, "not a well-formed key"),
    BadInput("key-nul", "GET", "/doc/region/JP%0032", 404, "not a well-formed key"),
    BadInput("key-too-long", "GET", "/id/region/" + "A" * 500, 404, "not a well-formed key"),
    BadInput("key-percent-encoded-unreserved", "GET", "/id/region/JP%2D32", 303, "/doc/region/JP-32"),
    BadInput("kind-markup", "GET", "/id/%3Cscript%3E/JP-32", 404, "no kind of thing"),
    BadInput("graph-unknown", "GET", "/graph/%00", 404, "no graph"),
    BadInput("saved-query-unknown", "GET", "/queries/%3Cx%3E", 404, "no saved query"),
    BadInput("saved-query-bad-parameter", "GET", "/queries/conference-participants/results?conference=%3Cnot%20an%20iri%3E", 400, "conference"),
    BadInput("saved-query-term-smuggles-a-statement", "GET", "/queries/source-of-fact/results?object=%22a%22%40mn%20.%0A%3Curn%3Ax%3Aa%3E%20%3Curn%3Ax%3Ab%3E%20%3Curn%3Ax%3Ac%3E", 400, "object"),
    # a lone surrogate is valid JSON ("\\ud800") but has no UTF-8: not a thing, and quoted back as "?"
    BadInput("reconcile-extend-lone-surrogate-id", "POST", "/reconcile", 400, "an entity id is kind/key", (FORM,), b"extend=" + quote('{"ids": ["region/JP-32\\ud800"], "properties": [{"id": "iso"}]}').encode()),
    BadInput("reconcile-queries-nested-a-thousand-deep", "GET", "/reconcile?queries=" + quote("[" * 1000), 400, "nested too deeply"),
    BadInput("reconcile-extend-nested-a-thousand-deep", "POST", "/reconcile", 400, "nested too deeply", (FORM,), b"extend=" + quote('{"a":' * 1000).encode()),
    BadInput("reconcile-extend-more-properties-than-there-are", "POST", "/reconcile", 400, "properties is a list of 1 to", (FORM,), b"extend=" + quote(json.dumps({"ids": ["region/JP-32"], "properties": [{"id": "country"}] * 12})).encode()),
    BadInput("reconcile-extend-a-property-twice", "POST", "/reconcile", 400, "asked for once", (FORM,), b"extend=" + quote(json.dumps({"ids": ["region/JP-32"], "properties": [{"id": "country"}, {"id": "country"}]})).encode()),
    BadInput("reconcile-extend-lone-surrogate-iri", "GET", "/reconcile?extend=" + quote('{"ids": ["https://w3id.org/near/id/region/\\udc80"], "properties": [{"id": "iso"}]}'), 400, "an entity id is kind/key", (("Accept", "application/json"),)),
    # -- path traversal ----------------------------------------------------------------------
    BadInput("traversal-doc-encoded-slash", "GET", "/doc/region/..%2f..%2f..%2fpyproject.toml", 404, ""),
    BadInput("traversal-doc-dots", "GET", "/doc/%2e%2e/%2e%2e", 404, ""),
    BadInput("traversal-dumps-encoded-slash", "GET", "/dumps/..%2f..%2fpyproject.toml", 404, ""),
    BadInput("traversal-dumps-dots", "GET", "/dumps/%2e%2e", 404, "no dump called"),
    BadInput("traversal-dumps-double-encoded", "GET", "/dumps/..%252f..%252fREADME.md", 404, "no dump called"),
    BadInput("traversal-def-encoded-slash", "GET", "/def.ttl%2f..%2f..%2fREADME.md", 404, ""),
    BadInput("traversal-def-version", "GET", "/def/..%2f..%2fREADME.md", 404, ""),
    BadInput("traversal-static-encoded-slash", "GET", "/static/..%2f..%2fpyproject.toml", 404, ""),
    BadInput("traversal-static-dots", "GET", "/static/%2e%2e/%2e%2e/pyproject.toml", 404, ""),
    BadInput("traversal-static-double-encoded", "GET", "/static/%252e%252e%252fapp.py", 404, ""),
    BadInput("traversal-static-backslash", "GET", "/static/..%5c..%5capp.py", 404, ""),
    BadInput("traversal-static-absolute", "GET", "/static//etc/passwd", 308, "/static/etc/passwd"),
    BadInput("traversal-graph", "GET", "/graph/..%2f..%2fpyproject.toml", 404, "no graph"),
    BadInput("traversal-figures", "GET", "/figures/..%2f..%2fREADME.md", 404, ""),
    BadInput("traversal-queries", "GET", "/queries/..%2f..%2fsparql%2fmembers", 404, ""),
    BadInput("open-redirect-double-slash", "GET", "//evil.example/%2e%2e", 404, ""),
    # -- CRLF: no header injection -----------------------------------------------------------
    BadInput("crlf-in-lang-before-303", "GET", "/id/region/JP-32?lang=en%0d%0aX-Injected:%201", 303, "See http"),
    BadInput("crlf-in-key", "GET", "/id/region/JP-32%0d%0aX-Injected:%201", 404, "not a well-formed key"),
    BadInput("crlf-in-search", "GET", "/search?q=%0d%0aX-Injected:%201", 200, ""),
    BadInput("crlf-in-format", "GET", q("ASK {}") + "&format=json%0d%0aX-Injected:%201", 200, "boolean"),
    BadInput("crlf-in-dump-name", "GET", "/dumps/near-kg.ttl%0d%0aX-Injected:%201", 404, "no dump called"),
    BadInput("crlf-in-figure-name", "GET", "/figures/members-by-country.csv%0d%0aX-Injected:%201", 404, ""),
    BadInput("crlf-in-page", "GET", "/doc/region/JP-32.html?page=1%0d%0aX-Injected:%201", 400, "page"),
    BadInput("host-unreadable", "GET", "/id/region/JP-32", 400, "Host header", (("Host", 'evil"><script>'),)),
    # a Host longer than a DNS name and a port (259): links, Location and caches are made from it
    BadInput("host-longer-than-a-name-document", "GET", "/doc/region/JP-32.html", 400, "Host header", (("Host", "h" * 300),)),
    BadInput("host-longer-than-a-name-thing", "GET", "/id/region/JP-32", 400, "Host header", (("Host", "h" * 100 + "." + "x" * 9_000),)),
    BadInput("host-longer-than-a-name-home", "GET", "/", 400, "Host header", (("Host", "h" * 260),)),
    # -- methods and content types -----------------------------------------------------------
    BadInput("method-delete-sparql", "DELETE", "/sparql", 405, "not allowed"),
    # OPTIONS on what does not exist is 404, as GET is (not 200 with Allow)
    BadInput("options-unknown-graph", "OPTIONS", "/graph/x", 404, "no graph"),
    BadInput("options-unknown-saved-query", "OPTIONS", "/queries/x", 404, "no saved query"),
    BadInput("options-unknown-saved-query-results", "OPTIONS", "/queries/x/results", 404, "no saved query"),
    BadInput("options-unknown-document", "OPTIONS", "/doc/region/XX-404.ttl", 404, ""),
    BadInput("options-unknown-dump", "OPTIONS", "/dumps/nope.nq", 404, "no dump called"),
    BadInput("options-unknown-static-file", "OPTIONS", "/static/nope.js", 404, ""),
    BadInput("options-preflight-unknown-thing", "OPTIONS", "/id/region/XX-404", 404, "", (("Origin", "http://example.org"), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "if-none-match"))),
    BadInput("method-put-doc", "PUT", "/doc/region/JP-32", 405, "not allowed", (), b"x"),
    BadInput("method-post-search", "POST", "/search?q=x", 405, "not allowed"),
    BadInput("method-patch-home", "PATCH", "/", 405, "not allowed"),
    BadInput("method-update-by-get", "GET", "/sparql?update=CLEAR%20ALL", 405, "must be sent with POST"),
    BadInput("post-without-content-type", "POST", "/sparql", 400, "needs a Content-Type", (), b"ASK {}"),
    BadInput("post-wrong-content-type", "POST", "/sparql", 415, "unsupported Content-Type", (("Content-Type", "text/plain"),), b"ASK {}"),
    BadInput("post-json-content-type", "POST", "/sparql", 415, "unsupported Content-Type", (("Content-Type", "application/json"),), b'{"query": "ASK {}"}'),
    BadInput("post-latin1", "POST", "/sparql", 415, "must be UTF-8", (("Content-Type", "application/sparql-query; charset=latin-1"),), b"ASK {}"),
    BadInput("post-form-without-query", "POST", "/sparql", 400, "no query=", (FORM,), b"quer=ASK"),
    # a body in a content coding: never decoded, so refused (a gzip label on a plain body was read as text)
    BadInput("post-gzip-label-on-a-plain-body", "POST", "/sparql", 415, "Content-Encoding: gzip", (QUERY, ("Content-Encoding", "gzip")), b"ASK {}"),
    BadInput("post-gzipped-body", "POST", "/sparql", 415, "decodes no content coding", (QUERY, ("Content-Encoding", "GZIP")), gzip.compress(b"ASK {}", mtime=0)),
    BadInput("post-deflate-form", "POST", "/sparql", 415, "Content-Encoding: deflate", (FORM, ("Content-Encoding", "deflate")), b"query=ASK+%7B%7D"),
    BadInput("post-codings-after-identity", "POST", "/sparql", 415, "identity, br", (QUERY, ("Content-Encoding", "identity, br")), b"ASK {}"),
    BadInput("post-reconcile-coded-form", "POST", "/reconcile", 415, "Content-Encoding: x-bogus", (FORM, ("Content-Encoding", "x-bogus")), b"queries=%7B%7D"),
    BadInput("post-update-coded", "POST", "/sparql", 415, "Content-Encoding", (UPDATE, BEARER, ("Content-Encoding", "compress")), b"INSERT DATA { <urn:x:coded> <urn:x:p> 1 }"),
    BadInput("get-document-coded-body", "GET", "/doc/region/JP-32.ttl", 415, "Content-Encoding: gzip", (("Content-Encoding", "gzip"),), b"x"),
    BadInput("post-identity-coding", "POST", "/sparql", 200, "boolean", (QUERY, ("Content-Encoding", "identity"), ("Accept", "application/sparql-results+json")), b"ASK {}"),
    BadInput("post-form-query-and-update", "POST", "/sparql", 400, "not both", (FORM,), b"query=ASK%7B%7D&update=CLEAR+ALL"),
    # -- updates: a token, compared in constant time ----------------------------------------
    BadInput("update-without-token", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE,), b"CLEAR ALL"),
    BadInput("update-wrong-token", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE, ("Authorization", "Bearer wrong")), b"CLEAR ALL"),
    BadInput("update-token-prefix", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE, ("Authorization", f"Bearer {TOKEN[:-1]}")), b"CLEAR ALL"),
    BadInput("update-basic-scheme", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE, ("Authorization", f"Basic {TOKEN}")), b"CLEAR ALL"),
    BadInput("update-form-without-token", "POST", "/sparql", 401, "Authorization: Bearer", (FORM,), b"update=CLEAR+ALL"),
    BadInput("update-non-ascii-token", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE, ("Authorization", "Bearer \u00e9t\u00e9")), b"CLEAR ALL"),
    BadInput("update-malformed", "POST", "/sparql", 400, "malformed update: error at 1:", (UPDATE, BEARER), b"INSERT DATA { <x> }"),
    # -- federation: refused, and no connection is made --------------------------------------
    BadInput("service-loopback", "GET", q(service("http://127.0.0.1:__PORT__/sparql")), 400, REFUSED),
    BadInput("service-localhost-name", "GET", q(service("http://localhost:__PORT__/sparql")), 400, REFUSED),
    BadInput("service-ipv6-loopback", "GET", q(service("http://[::1]:__PORT__/sparql")), 400, REFUSED),
    BadInput("service-decimal-ip", "GET", q(service("http://2130706433:__PORT__/")), 400, REFUSED),
    BadInput("service-hex-ip", "GET", q(service("http://0x7f000001:__PORT__/")), 400, REFUSED),
    BadInput("service-short-ip", "GET", q(service("http://127.1:__PORT__/")), 400, REFUSED),
    BadInput("service-octal-ip", "GET", q(service("http://0177.0.0.1:__PORT__/")), 400, REFUSED),
    BadInput("service-userinfo", "GET", q(service("http://example.org@127.0.0.1:__PORT__/")), 400, REFUSED),
    BadInput("service-metadata", "GET", q(service("http://169.254.169.254/latest/meta-data/")), 400, REFUSED),
    BadInput("service-metadata-name", "GET", q(service("http://metadata.google.internal/")), 400, REFUSED),
    BadInput("service-private-10", "GET", q(service("http://10.0.0.1/sparql")), 400, REFUSED),
    BadInput("service-private-192", "GET", q(service("https://192.168.1.1/sparql")), 400, REFUSED),
    BadInput("service-dns-name", "GET", q(service("http://dbpedia.org/sparql")), 400, REFUSED),
    BadInput("service-file-scheme", "GET", q(service("file:///etc/passwd")), 400, REFUSED),
    BadInput("service-variable", "GET", q("SELECT * WHERE { BIND(<http://127.0.0.1:__PORT__/> AS ?e) SERVICE ?e { ?s ?p ?o } }"), 400, "not a literal IRI"),
    BadInput("service-prefixed-name", "GET", q("PREFIX r: <http://127.0.0.1:__PORT__/> SELECT * WHERE { SERVICE SILENT r:sparql { ?s ?p ?o } }"), 400, REFUSED),
    BadInput("service-relative-iri", "GET", q("BASE <http://127.0.0.1:__PORT__/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }"), 400, REFUSED),
    BadInput("service-escaped-keyword", "GET", q("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:__PORT__/> { ?s ?p ?o } }"), 400, REFUSED),
    BadInput("service-lower-case", "GET", q("select * where { service <http://127.0.0.1:__PORT__/> { ?s ?p ?o } }"), 400, REFUSED),
    BadInput("service-in-subquery", "GET", q("SELECT * WHERE { { SELECT * WHERE { SERVICE <http://127.0.0.1:__PORT__/> { ?s ?p ?o } } } }"), 400, REFUSED),
    BadInput("load-loopback", "POST", "/sparql", 400, REFUSED, (UPDATE, BEARER), b"LOAD <http://127.0.0.1:__PORT__/data.ttl>"),
    BadInput("load-metadata-into-graph", "POST", "/sparql", 400, REFUSED, (UPDATE, BEARER), b"LOAD SILENT <http://169.254.169.254/> INTO GRAPH <http://x/g>"),
    BadInput("load-without-token", "POST", "/sparql", 401, "Authorization: Bearer", (UPDATE,), b"LOAD <http://127.0.0.1:__PORT__/>"),
]
# fmt: on
