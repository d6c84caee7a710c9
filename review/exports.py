"""Corrections as files: CSV or JSON Lines, with the columns text, label, model_label, item,
decided_at."""

import csv
import json
from collections.abc import Iterable
from typing import Any, Protocol

COLUMNS = ["text", "label", "model_label", "item", "decided_at"]
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def corrections_write(rows: Iterable[dict[str, Any]], out: Writable, fmt: str) -> int:
    """Write the rows in ``fmt`` ("csv" or "jsonl"); returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected csv or jsonl.")
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(column, "") for column in COLUMNS])
            count += 1
        return count
    for row in rows:
        record = {column: row.get(column) for column in COLUMNS}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
