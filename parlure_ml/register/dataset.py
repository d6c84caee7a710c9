"""Labelled register data: reading the TSV files and splitting them reproducibly."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from parlure_ml.register.classifier import LABELS

SEED_TSV = Path(__file__).resolve().parent / "data" / "seed.tsv"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str


def read_tsv(path: Path) -> list[Example]:
    """Rows of a `text<TAB>label<TAB>source` file with a header line."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        examples = [Example(row["text"], row["label"], row["source"]) for row in reader]
    unknown = {e.label for e in examples} - set(LABELS)
    if unknown:
        raise ValueError(f"{path}: unknown labels {sorted(unknown)}")
    return examples


def stratified_split(
    labels: list[str], heldout_fraction: float, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Indices (train, held-out), holding out the same fraction of every label."""
    rng = np.random.default_rng(seed)
    train: list[int] = []
    heldout: list[int] = []
    for label in LABELS:
        members = [i for i, lab in enumerate(labels) if lab == label]
        rng.shuffle(members)
        n_out = round(len(members) * heldout_fraction)
        heldout += members[:n_out]
        train += members[n_out:]
    return np.array(sorted(train)), np.array(sorted(heldout))
