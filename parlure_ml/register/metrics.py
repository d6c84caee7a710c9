"""Classification metrics and temperature scaling in numpy: what runs log and the gate reads."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def confusion(targets: IntArray, predicted: IntArray, n_classes: int) -> IntArray:
    """Rows are the true class, columns the predicted one."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (targets, predicted), 1)
    return matrix


def expected_calibration_error(probs: FloatArray, targets: IntArray, bins: int = 10) -> float:
    """Top-label ECE: |accuracy - confidence| averaged over equal-width confidence bins."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == targets
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)


def report(probs: FloatArray, targets: IntArray, labels: tuple[str, ...]) -> dict[str, Any]:
    """Per-class precision/recall/F1, macro-F1, accuracy, ECE, NLL and the confusion matrix."""
    predicted = probs.argmax(axis=1)
    matrix = confusion(targets, predicted, len(labels))
    per_class: dict[str, dict[str, float]] = {}
    for k, label in enumerate(labels):
        tp = matrix[k, k]
        precision = tp / matrix[:, k].sum() if matrix[:, k].sum() else 0.0
        recall = tp / matrix[k, :].sum() if matrix[k, :].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": float(precision),
            "recall": float(recall),
            "f1": float(f1),
            "support": int(matrix[k, :].sum()),
        }
    nll = -np.log(probs[np.arange(len(targets)), targets].clip(min=1e-12)).mean()
    return {
        "n": len(targets),
        "accuracy": float((predicted == targets).mean()),
        "macro_f1": float(np.mean([c["f1"] for c in per_class.values()])),
        "ece": expected_calibration_error(probs, targets),
        "nll": float(nll),
        "per_class": per_class,
        "confusion": matrix.tolist(),
    }


def flat_metrics(result: dict[str, Any], prefix: str) -> dict[str, float]:
    """`report()` as flat MLflow metric names: `<prefix>_macro_f1`, `<prefix>_f1_soutenu`..."""
    flat = {f"{prefix}_{key}": float(result[key]) for key in ("accuracy", "macro_f1", "ece", "nll")}
    for label, values in result["per_class"].items():
        for name in ("precision", "recall", "f1"):
            flat[f"{prefix}_{name}_{label}"] = values[name]
    return flat


def fit_temperature(logits: FloatArray, targets: IntArray) -> float:
    """The temperature T minimizing the NLL of softmax(logits / T): a 1-D convex search on log T."""

    def nll(log_t: float) -> float:
        probs = softmax(logits / np.exp(log_t))
        return float(-np.log(probs[np.arange(len(targets)), targets].clip(min=1e-12)).mean())

    low, high = np.log(0.05), np.log(20.0)
    for _ in range(80):  # golden-section search: NLL is unimodal in log T
        a = high - (high - low) / 1.618034
        b = low + (high - low) / 1.618034
        if nll(a) < nll(b):
            high = b
        else:
            low = a
    return float(np.exp((low + high) / 2))
