"""The offline register dataset: written sentences, rule rewrites, speech-like variants."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from parlure_ml.register.classifier import LABELS
from parlure_ml.register.corpus import build_dataset
from parlure_ml.register.corpus.lexicons import contains_slur
from parlure_ml.register.corpus.rows import dedup_key
from parlure_ml.register.corpus.written import WRITTEN_SOURCE, pool_rows, written_rows
from parlure_ml.register.dataset import SEED_TSV, read_tsv


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    result = build_dataset(tmp_path_factory.mktemp("offline"), seed=13, offline=True)
    return read_rows(result.dataset)


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path):
    first = build_dataset(tmp_path / "a", seed=7, offline=True)
    second = build_dataset(tmp_path / "b", seed=7, offline=True)

    assert first.dataset.read_bytes() == second.dataset.read_bytes()
    assert first.manifest.read_bytes() == second.manifest.read_bytes()
    assert first.sha256 == second.sha256


def test_another_seed_gives_another_dataset(tmp_path: Path):
    first = build_dataset(tmp_path / "a", seed=1, offline=True)
    second = build_dataset(tmp_path / "b", seed=2, offline=True)

    assert first.sha256 != second.sha256


def test_the_manifest_records_hash_seed_and_counts(tmp_path: Path):
    result = build_dataset(tmp_path, seed=5, offline=True)
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))

    assert manifest["sha256"] == result.sha256
    assert manifest["seed"] == 5
    assert manifest["offline"] is True
    assert manifest["rows"] == result.rows == len(read_rows(result.dataset))
    assert sum(manifest["counts"][label]["total"] for label in LABELS) == result.rows


def test_every_row_has_a_register_a_source_and_a_licence(offline: list[dict[str, str]]):
    for row in offline:
        assert row["label"] in LABELS
        assert row["source"]
        assert row["licence"]
        assert row["split"] in ("train", "validation", "test")
        assert row["variant"] in ("original", "speech-like", "rule-rewrite")
    assert len({row["id"] for row in offline}) == len(offline)


def test_no_group_spans_two_splits(offline: list[dict[str, str]]):
    splits: dict[str, set[str]] = {}
    for row in offline:
        splits.setdefault(row["group"], set()).add(row["split"])

    assert all(len(s) == 1 for s in splits.values())


def test_splits_are_close_to_70_15_15(offline: list[dict[str, str]]):
    share = Counter(row["split"] for row in offline)

    assert 0.62 < share["train"] / len(offline) < 0.78
    assert 0.08 < share["validation"] / len(offline) < 0.22


def test_variants_stay_with_their_original(offline: list[dict[str, str]]):
    by_id = {row["id"]: row for row in offline}
    variants = [row for row in offline if row["variant"] != "original"]

    assert variants
    for row in variants:
        parent = by_id[row["parent_id"]]
        assert (parent["group"], parent["split"]) == (row["group"], row["split"])
        assert (
            dedup_key(parent["text"]) != dedup_key(row["text"]) or row["variant"] != "rule-rewrite"
        )


def test_rule_rewrites_are_at_most_30_percent_of_familier(offline: list[dict[str, str]]):
    familier = [row for row in offline if row["label"] == "familier"]
    rewrites = [row for row in familier if row["variant"] == "rule-rewrite"]

    assert rewrites
    assert len(rewrites) <= 0.30 * len(familier)


def test_speech_like_rows_are_lower_case_and_unpunctuated(offline: list[dict[str, str]]):
    speech = [row["text"] for row in offline if row["variant"] == "speech-like"]

    assert {row["label"] for row in offline if row["variant"] == "speech-like"} == set(LABELS)
    assert all(text == text.lower() for text in speech)
    assert not any(mark in text for text in speech for mark in ".,;:!?")


def test_at_least_400_written_sentences_per_register():
    counts = Counter(row.label for row in written_rows())

    assert all(counts[label] >= 400 for label in LABELS), counts


def test_every_topic_is_written_in_all_three_registers():
    labels: dict[str, set[str]] = {}
    for row in written_rows():
        topic = row.group.removeprefix(f"{WRITTEN_SOURCE}:").split("-")[0]
        labels.setdefault(topic, set()).add(row.label)

    assert len(labels) >= 14
    assert all(found == set(LABELS) for found in labels.values()), labels


def test_written_sentences_are_new_to_the_seed_set():
    seed = {dedup_key(example.text) for example in read_tsv(SEED_TSV)}
    written = {dedup_key(row.text) for row in written_rows() + pool_rows()}

    assert not seed & written


def test_no_row_contains_a_slur(offline: list[dict[str, str]]):
    assert not [row["text"] for row in offline if contains_slur(row["text"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quel pédé, celui-là.", True),
        ("Des NÈGRES.", True),
        ("Il a raté son train.", False),
        ("Un fil de pêche.", False),
    ],
)
def test_slurs_are_found_whatever_the_case_or_number(text: str, expected: bool):
    assert contains_slur(text) is expected


def test_classes_are_balanced(offline: list[dict[str, str]]):
    counts = Counter(row["label"] for row in offline)

    for label in LABELS:
        assert 0.25 <= counts[label] / len(offline) <= 0.42, counts
