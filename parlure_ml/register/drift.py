"""Data drift: a reference profile of the training data, and how live texts compare with it.

A profile describes texts by five features:

- ``length``: words per text (continuous);
- ``rare``: whether a text has a word seen fewer than ``RARE_BELOW`` times in the training split
  (categorical: ``yes``/``no``); the vocabulary is kept in the profile;
- ``speech_like``: whether a text reads like a speech recognizer's output (no capital and no
  punctuation, or a filler word such as « euh ») (categorical);
- ``register``: the register the model finds most probable (categorical);
- ``distance``: cosine distance of the text's embedding to the reference centroid (continuous).

The reference is the validation split of the training dataset: texts the model did not train on
and the vocabulary was not built from, so held-out French of the same distribution matches it.
``compare`` tests each feature with scipy (Kolmogorov-Smirnov for continuous features,
chi-squared on the 2-by-k contingency table for categorical ones) and measures its size with the
population stability index (``psi``); a feature drifts when both pass their thresholds.

Write the profile of a model directory (the shipped champion by default)::

    python -m parlure_ml.register.drift profile [MODEL_DIR] [--dataset DATASET_CSV]
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from parlure_ml.register.examples import DATASET_CSV, LABELS, load_splits

PROFILE_FILE = "drift-profile.json"
FORMAT = 1
RARE_BELOW = 2  # a word seen fewer times than this in the training split is rare
CONTINUOUS = ("length", "distance")
CATEGORICAL = ("rare", "speech_like", "register")
FEATURES = ("length", "rare", "speech_like", "register", "distance")
PSI_BINS = 10
# PSI's usual reading: < 0.1 stable, 0.1-0.25 some change, > 0.25 a large shift.
PSI_EPSILON = 1e-4  # an empty bin counts as this share, so log() stays finite

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)
_PUNCTUATION = re.compile(r"[.,;:!?…«»\"]")
_FILLERS = frozenset({"euh", "heu", "hein", "bah", "ben", "bref", "mmh", "hum"})


def words(text: str) -> list[str]:
    """Lower-cased words (letters and inner apostrophes; no digits, no punctuation)."""
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def speech_like(text: str) -> bool:
    """Reads like a speech recognizer's output: no capital and no punctuation, or a filler."""
    if any(w in _FILLERS for w in words(text)):
        return True
    return not any(c.isupper() for c in text) and not _PUNCTUATION.search(text)


def vocabulary(texts: Iterable[str], min_count: int = RARE_BELOW) -> list[str]:
    counts = Counter(w for text in texts for w in words(text))
    return sorted(w for w, n in counts.items() if n >= min_count)


@dataclass(frozen=True)
class TextFeatures:
    """The features of a set of texts that need no model."""

    length: list[int]
    rare: list[str]  # "yes" / "no"
    speech_like: list[str]  # "yes" / "no"


def text_features(texts: Sequence[str], known: frozenset[str]) -> TextFeatures:
    length, rare, speech = [], [], []
    for text in texts:
        tokens = words(text)
        length.append(len(tokens))
        rare.append(_yes(any(w not in known for w in tokens)))
        speech.append(_yes(speech_like(text)))
    return TextFeatures(length, rare, speech)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def distances(embeddings: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Cosine distance of each (L2-normalized) embedding to the centroid's direction."""
    if len(embeddings) == 0:
        return np.zeros(0)
    direction = centroid / (np.linalg.norm(centroid) or 1.0)
    return np.asarray(1.0 - embeddings @ direction, dtype=np.float64)


def embed(network: Any, batcher: Any, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Embeddings (the head's input) and most probable registers, in one pass of the model."""
    import torch

    from parlure_ml.register.evaluation import features

    if not texts:
        return np.zeros((0, 0)), []
    vectors = features(network, batcher, texts)
    with torch.inference_mode():
        logits = network.head(torch.from_numpy(vectors).to(torch.float32)).numpy()
    registers = [LABELS[int(i)] for i in np.argmax(logits, axis=1)]
    return vectors, registers


# --- The profile --------------------------------------------------------------------------------


def profile_build(
    network: Any, batcher: Any, version: str, dataset: Path = DATASET_CSV
) -> dict[str, Any]:
    """The reference profile of a model's training data (one pass over the validation split).

    Training writes it next to every new model (train.py); ``main`` writes it for an existing
    model directory, such as the shipped champion.
    """
    splits = load_splits(dataset)
    known = vocabulary(e.text for e in splits["train"])
    texts = [e.text for e in splits["validation"]]
    plain = text_features(texts, frozenset(known))
    vectors, registers = embed(network, batcher, texts)
    centroid = vectors.mean(axis=0)
    return {
        "format": FORMAT,
        "model_version": version,
        "source": f"{dataset.name}, validation split",
        "n": len(texts),
        "rare_below": RARE_BELOW,
        "length": plain.length,
        "rare": dict(Counter(plain.rare)),
        "speech_like": dict(Counter(plain.speech_like)),
        "register": dict(Counter(registers)),
        "distance": [round(float(d), 5) for d in distances(vectors, centroid)],
        "centroid": [round(float(x), 6) for x in centroid],
        "vocabulary": known,
    }


def profile_write(directory: Path, profile: dict[str, Any]) -> Path:
    path = directory / PROFILE_FILE
    path.write_text(json.dumps(profile, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


def profile_read(directory: Path) -> dict[str, Any] | None:
    """The profile stored with a model, or None when the model has none."""
    path = directory / PROFILE_FILE
    if not path.is_file():
        return None
    profile: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return profile if profile.get("format") == FORMAT else None


# --- Live texts against the profile -------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """The same features over live traffic; ``distance`` is empty when not computed."""

    length: list[int]
    rare: list[str]
    speech_like: list[str]
    register: list[str]
    distance: list[float]


def live_features(
    profile: dict[str, Any],
    texts: Sequence[str],
    registers: Sequence[str],
    embeddings: np.ndarray | None = None,
) -> Live:
    plain = text_features(texts, frozenset(profile["vocabulary"]))
    distance: list[float] = []
    if embeddings is not None and len(embeddings):
        centroid = np.asarray(profile["centroid"], dtype=np.float64)
        distance = distances(embeddings, centroid).tolist()
    return Live(plain.length, plain.rare, plain.speech_like, list(registers), distance)


def psi(expected: Sequence[float] | np.ndarray, actual: Sequence[float] | np.ndarray) -> float:
    """Population stability index of two distributions over the same bins (shares or counts).

    sum((a - e) * ln(a / e)) over the bins, each side normalized to shares; an empty bin counts
    as PSI_EPSILON. 0 for identical distributions; > 0.25 is usually read as a large shift.
    """
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    e = np.clip(e / e.sum(), PSI_EPSILON, None)
    a = np.clip(a / a.sum(), PSI_EPSILON, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _continuous(reference: Sequence[float], live: Sequence[float]) -> tuple[float, float]:
    """(psi over the reference's deciles, Kolmogorov-Smirnov p-value)."""
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(live, dtype=np.float64)
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, PSI_BINS + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    expected = np.histogram(ref, edges)[0]
    actual = np.histogram(cur, edges)[0]
    return psi(expected, actual), float(stats.ks_2samp(ref, cur).pvalue)


def _categorical(reference: dict[str, int], live: Sequence[str]) -> tuple[float, float]:
    """(psi over the categories, chi-squared p-value of the reference/live contingency table)."""
    counts = Counter(live)
    categories = sorted(set(reference) | set(counts))
    table = np.array(
        [[reference.get(c, 0) for c in categories], [counts.get(c, 0) for c in categories]]
    )
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0  # a single category on both sides: nothing to compare
    return psi(table[0], table[1]), float(stats.chi2_contingency(table).pvalue)


@dataclass(frozen=True)
class FeatureDrift:
    feature: str
    psi: float
    p_value: float
    reference: float  # mean (continuous), or share of ``category``
    live: float
    drifted: bool
    category: str = ""  # "yes", or the register most common in the reference

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "psi": round(self.psi, 4),
            "p_value": self.p_value,
            "reference": round(self.reference, 4),
            "live": round(self.live, 4),
            "drifted": self.drifted,
            "category": self.category,
        }


def _share(values: Sequence[str] | dict[str, int], category: str) -> float:
    counts = values if isinstance(values, dict) else Counter(values)
    total = sum(counts.values())
    return counts.get(category, 0) / total if total else math.nan


def compare(
    profile: dict[str, Any], live: Live, psi_threshold: float, p_threshold: float
) -> list[FeatureDrift]:
    """Each feature's drift: PSI above ``psi_threshold`` and the test's p below ``p_threshold``.

    Features without live values (the distance when it was not computed) are left out.
    """
    results = []
    for feature in FEATURES:
        values = getattr(live, feature)
        if not values:
            continue
        if feature in CONTINUOUS:
            size, p = _continuous(profile[feature], values)
            ref_value, live_value = float(np.mean(profile[feature])), float(np.mean(values))
            top = ""
        else:
            size, p = _categorical(profile[feature], values)
            reference = profile[feature]
            top = "yes" if feature != "register" else max(reference, key=reference.get)
            ref_value, live_value = _share(profile[feature], top), _share(values, top)
        drifted = size > psi_threshold and p < p_threshold
        results.append(FeatureDrift(feature, size, p, ref_value, live_value, drifted, top))
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m parlure_ml.register.drift")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("profile", help="write drift-profile.json into a model directory")
    build.add_argument("model_dir", nargs="?", type=Path, default=None)
    build.add_argument("--dataset", type=Path, default=DATASET_CSV)
    args = parser.parse_args(argv)

    from parlure_ml.register.artifact import SHIPPED_DIR
    from parlure_ml.register.classifier import RegisterClassifier

    directory = args.model_dir or SHIPPED_DIR
    classifier = RegisterClassifier.load(directory, int8=False)
    profile = profile_build(
        classifier.network, classifier.batcher, classifier.card.version, args.dataset
    )
    path = profile_write(directory, profile)
    print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
