"""A figure's data as CSV and JSON: exactly the rows of its saved query."""

from __future__ import annotations

import csv
import io
import json

from loaders.figure_data import FigureTable


def to_csv(table: FigureTable) -> str:
    """RFC 4180 CSV (CRLF line ends), a header row, then one row per query solution."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([row[column] for column in table.columns])
    return out.getvalue()


def to_json(table: FigureTable, *, title: str, caption: str, query_url: str) -> str:
    body = {
        "figure": table.figure,
        "lang": table.lang,
        "title": title,
        "caption": caption,
        "query": query_url,
        "columns": list(table.columns),
        "rows": [dict(row) for row in table.rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=1)
