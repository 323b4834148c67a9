"""Reading an HTML page the way a browser would, to check that data cannot become markup."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

DATA_BLOCK_TYPES = ("application/ld+json", "application/json")


@dataclass
class PageAudit:
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)  # text of each ld+json script
    data_blocks: list[str] = field(default_factory=list)  # text of application/json scripts
    text: list[str] = field(default_factory=list)  # text nodes (entities decoded)

    @property
    def event_handlers(self) -> list[str]:
        return [name for _, attrs in self.tags for name in attrs if name.startswith("on")]

    @property
    def scripts(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == "script"]

    @property
    def links(self) -> list[str]:
        """The ``href`` of every ``<a>``, as a browser reads it (entities decoded)."""
        return [attrs.get("href") or "" for tag, attrs in self.tags if tag == "a"]

    def executable_inline_scripts(self) -> list[dict[str, str | None]]:
        """``<script>`` elements a browser would run that are not files from this host."""
        return [
            attrs
            for attrs in self.scripts
            # a data block (a JSON type) is never run by a browser
            if attrs.get("type") not in DATA_BLOCK_TYPES
            and not (attrs.get("src") or "").startswith("/static/")
        ]

    def json_ld_documents(self) -> list[object]:
        return [json.loads(text) for text in self.json_ld]


class _Parser(HTMLParser):
    def __init__(self, audit: PageAudit) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = audit
        self._in_block: list[str] | None = None  # the list the current data block goes to

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.audit.tags.append((tag, attributes))
        if tag == "script" and attributes.get("type") in DATA_BLOCK_TYPES:
            ld = attributes.get("type") == "application/ld+json"
            self._in_block = self.audit.json_ld if ld else self.audit.data_blocks
            self._in_block.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_block = None

    def handle_data(self, data):
        if self._in_block is not None:
            self._in_block[-1] += data
        else:
            self.audit.text.append(data)


def audit(html: str) -> PageAudit:
    result = PageAudit()
    parser = _Parser(result)
    parser.feed(html)
    parser.close()
    return result
