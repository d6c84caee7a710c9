"""Train the seed head: `python -m parlure_ml.register.train_seed [--model-dir DIR]`.

Deterministic: a fixed seed picks the held-out 20 % (stratified by label) and the 5 folds used
to choose the L2 strength; the head is then fit on the training 80 % only, so the held-out
accuracy stored in the head's metadata is the shipped head's own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from parlure_ml.assemble import assemble
from parlure_ml.backbone.encoder import E5Encoder
from parlure_ml.manifest import MANIFEST_NAME, sha256_file
from parlure_ml.register.classifier import DEFAULT_HEAD, LABELS
from parlure_ml.register.dataset import SEED_TSV, read_tsv, stratified_split
from parlure_ml.register.head import LogisticHead, fit_logistic

HEAD_VERSION = "seed-head-v1"
SEED = 20240917
HELDOUT_FRACTION = 0.2
L2_GRID = (1e-2, 1e-1, 1.0, 3.0, 10.0, 30.0, 100.0)
N_FOLDS = 5


def _accuracy(
    head_w: npt.NDArray[np.float64],
    head_b: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
) -> float:
    return float(((x @ head_w.T + head_b).argmax(axis=1) == y).mean())


def choose_l2(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.int64]
) -> tuple[float, dict[str, float]]:
    """L2 strength with the best mean cross-validated accuracy (ties -> stronger L2)."""
    folds = np.random.default_rng(SEED).permutation(len(y)) % N_FOLDS
    scores: dict[str, float] = {}
    for l2 in L2_GRID:
        accs = []
        for fold in range(N_FOLDS):
            tr, va = folds != fold, folds == fold
            w, b = fit_logistic(x[tr], y[tr], len(LABELS), l2)
            accs.append(_accuracy(w, b, x[va], y[va]))
        scores[str(l2)] = float(np.mean(accs))
    best = max(L2_GRID, key=lambda l2: (scores[str(l2)], l2))
    return best, scores


def confusion(pred: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> list[list[int]]:
    matrix = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    np.add.at(matrix, (y, pred), 1)
    return matrix.tolist()


def train(model_dir: Path | None, out: Path) -> dict[str, Any]:
    encoder_dir = assemble(model_dir)
    examples = read_tsv(SEED_TSV)
    encoder = E5Encoder.load(model_dir)
    print(f"embedding {len(examples)} sentences", file=sys.stderr)
    x = encoder.embed([e.text for e in examples]).astype(np.float64)
    y = np.array([LABELS.index(e.label) for e in examples])
    train_idx, held_idx = stratified_split([e.label for e in examples], HELDOUT_FRACTION, SEED)

    l2, cv_scores = choose_l2(x[train_idx], y[train_idx])
    weight, bias = fit_logistic(x[train_idx], y[train_idx], len(LABELS), l2)
    held_pred = (x[held_idx] @ weight.T + bias).argmax(axis=1)
    manifest = (encoder_dir / MANIFEST_NAME).read_text()
    metadata = {
        "version": HEAD_VERSION,
        "encoder": "multilingual-e5-small mean-pooled, 'passage: ' prefix, L2-normalized",
        "encoder_manifest_sha256": _sha256_text(manifest),
        "training_data": {
            "path": "parlure_ml/register/data/seed.tsv",
            "sha256": sha256_file(SEED_TSV),
        },
        "seed": SEED,
        "l2": l2,
        "cv_accuracy_by_l2": cv_scores,
        "n_train": len(train_idx),
        "n_heldout": len(held_idx),
        "train_accuracy": _accuracy(weight, bias, x[train_idx], y[train_idx]),
        "heldout_accuracy": float((held_pred == y[held_idx]).mean()),
        "heldout_confusion_rows_true_cols_pred": confusion(held_pred, y[held_idx]),
    }
    LogisticHead(LABELS, weight, bias, metadata).save(out)
    return metadata


def _sha256_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the seed register head.")
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_HEAD)
    args = parser.parse_args(argv)
    metadata = train(args.model_dir, args.out)
    print(f"head written to {args.out}")
    print(f"L2 {metadata['l2']}  (5-fold CV accuracy by L2: {metadata['cv_accuracy_by_l2']})")
    print(f"train accuracy    {metadata['train_accuracy']:.3f} (n={metadata['n_train']})")
    print(f"held-out accuracy {metadata['heldout_accuracy']:.3f} (n={metadata['n_heldout']})")
    print(f"held-out confusion (rows true, cols predicted, {'/'.join(LABELS)}):")
    for label, row in zip(LABELS, metadata["heldout_confusion_rows_true_cols_pred"], strict=True):
        print(f"  {label:9s} {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
