"""Sentences written for Parlure: the committed TSV files under `written/`."""

from __future__ import annotations

import csv
from pathlib import Path

from parlure_ml.register.classifier import LABELS
from parlure_ml.register.corpus.rows import Row, clean_text

WRITTEN_DIR = Path(__file__).resolve().parent / "written"
WRITTEN_SOURCE = "parlure-written-v1"
POOL_SOURCE = "parlure-rewrite-pool-v1"
OWN_LICENCE = "CC0-1.0"
FIELDS = ["text", "label", "group", "form"]


def read_written(path: Path, source: str) -> list[Row]:
    """Rows of a `text, label, group, form` TSV; a malformed line fails the build."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != FIELDS:
            raise ValueError(f"{path}: header {reader.fieldnames}, expected {FIELDS}")
        rows = []
        for line, record in enumerate(reader, start=2):
            if record["label"] not in LABELS or not record["text"] or not record["group"]:
                raise ValueError(f"{path}:{line}: bad row {record}")
            if record["text"] != clean_text(record["text"]):
                raise ValueError(f"{path}:{line}: stray spaces or typographic characters")
            rows.append(
                Row(
                    text=record["text"],
                    label=record["label"],
                    source=source,
                    licence=OWN_LICENCE,
                    group=f"{source}:{record['group']}",
                    form=record["form"],
                )
            )
    return rows


def written_rows() -> list[Row]:
    rows: list[Row] = []
    for path in sorted(WRITTEN_DIR.glob("*.tsv")):
        if path.name != "rewrite_pool.tsv":
            rows += read_written(path, WRITTEN_SOURCE)
    return rows


def pool_rows() -> list[Row]:
    """Neutral sentences written to be rewritten by rule into familier (see rewrite.py)."""
    return read_written(WRITTEN_DIR / "rewrite_pool.tsv", POOL_SOURCE)
