"""Labelled sentences for training and evaluation: the built dataset and the independent set."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from parlure_ml.paths import REPO_ROOT

LABELS = ("soutenu", "neutre", "familier")
DATASET_CSV = REPO_ROOT / "var" / "data" / "register" / "dataset.csv"
# Sentences written apart from the training data (not rewrites of it), for evaluation only.
EVAL_DIR = Path(__file__).resolve().parent / "eval"
INDEPENDENT_TSV = EVAL_DIR / "independent-v1.tsv"

_PUNCTUATION = re.compile(r"[.,;:!?«»\"()\[\]…\u2014\u2013]+|(?<!\w)-|-(?!\w)")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str = ""
    variant: str = "original"
    genre: str = ""  # independent sets: the "genre" column, or "form" where there is none


def bare(text: str) -> str:
    """Lower-case and unpunctuated, as a speech recognizer without punctuation hands text over."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def load_splits(path: Path = DATASET_CSV) -> dict[str, list[Example]]:
    """The dataset built by `python -m parlure_ml.register.corpus build`, by split."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no dataset; run make data")
    splits: dict[str, list[Example]] = {"train": [], "validation": [], "test": []}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            splits[row["split"]].append(
                Example(row["text"], row["label"], row["source"], row["variant"])
            )
    return splits


def load_independent(path: Path = INDEPENDENT_TSV) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Example(r["text"], r["label"], path.stem, genre=r.get("genre") or r.get("form") or "")
            for r in reader
        ]


def evaluation_texts() -> list[str]:
    """Every sentence of every evaluation file: the dataset build keeps them out of training."""
    return [e.text for path in sorted(EVAL_DIR.glob("*.tsv")) for e in load_independent(path)]


def bare_copies(examples: list[Example]) -> list[Example]:
    """The lower-case, unpunctuated version of every original sentence."""
    return [
        Example(bare(e.text), e.label, e.source, "bare", e.genre)
        for e in examples
        if e.variant == "original"
    ]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
