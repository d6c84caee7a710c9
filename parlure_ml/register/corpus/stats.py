"""Counts of a built dataset, as the Markdown tables of docs/data.md."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from parlure_ml.register.classifier import LABELS
from parlure_ml.register.corpus.rows import SPLITS, VARIANTS


def read_dataset(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def stats_markdown(path: Path) -> str:
    rows = read_dataset(path)
    cells = Counter((r["label"], r["source"], r["variant"], r["split"]) for r in rows)
    header = "| label | source | variant | " + " | ".join(SPLITS) + " | total |"
    lines = [header, "|" + "---|" * (len(SPLITS) + 4)]
    for label in LABELS:
        for source in sorted({r["source"] for r in rows if r["label"] == label}):
            for variant in VARIANTS:
                counts = [cells[(label, source, variant, split)] for split in SPLITS]
                if sum(counts):
                    numbers = " | ".join(str(c) for c in counts)
                    lines.append(f"| {label} | {source} | {variant} | {numbers} | {sum(counts)} |")
        totals = [sum(v for k, v in cells.items() if k[0] == label and k[3] == s) for s in SPLITS]
        numbers = " | ".join(f"**{c}**" for c in totals)
        lines.append(f"| **{label}** | | | {numbers} | **{sum(totals)}** |")
    totals = [sum(v for k, v in cells.items() if k[3] == s) for s in SPLITS]
    numbers = " | ".join(f"**{c}**" for c in totals)
    lines.append(f"| **all** | | | {numbers} | **{sum(totals)}** |")
    heldout = Counter((r["label"], r["source"]) for r in rows if r["heldout"] == "1")
    lines += ["", "Held out whole (all in test): "]
    lines[-1] += ", ".join(
        f"{source} ({label}): {n}" for (label, source), n in sorted(heldout.items())
    )
    return "\n".join(lines)
