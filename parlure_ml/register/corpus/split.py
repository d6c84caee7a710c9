"""Train / validation / test by group, with whole sources and authors held out for test."""

from __future__ import annotations

import hashlib

from parlure_ml.register.corpus import debref, littre
from parlure_ml.register.corpus.rows import Row

FRACTIONS = {"train": 0.70, "validation": 0.15}  # the rest is test
HELDOUT_SOURCES = frozenset({debref.SOURCE})


def is_heldout(row: Row) -> bool:
    """Rows no training sees: a documentation source, and a few Littré authors."""
    return row.source in HELDOUT_SOURCES or (
        row.source == littre.SOURCE and row.author in littre.HELDOUT_AUTHORS
    )


def group_split(group: str, seed: int) -> str:
    """70/15/15 by a hash of the group: every row of a group lands on the same side."""
    digest = hashlib.sha256(f"{seed}\n{group}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    if position < FRACTIONS["train"]:
        return "train"
    if position < FRACTIONS["train"] + FRACTIONS["validation"]:
        return "validation"
    return "test"


def assign_splits(rows: list[Row], seed: int) -> list[Row]:
    heldout_groups = {row.group for row in rows if is_heldout(row)}
    return [
        row.with_split("test", heldout=True)
        if row.group in heldout_groups
        else row.with_split(group_split(row.group, seed), heldout=False)
        for row in rows
    ]
