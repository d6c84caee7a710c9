"""Multinomial logistic regression on sentence embeddings: training, storage, inference.

Features are standardized while training; the standardization is folded into the stored weights,
so inference is a single affine map + softmax on an L2-normalized embedding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LogisticHead:
    labels: tuple[str, ...]
    weight: FloatArray  # [n_labels, dim]
    bias: FloatArray  # [n_labels]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.metadata["version"])

    def predict_proba(self, features: npt.NDArray[np.floating[Any]]) -> FloatArray:
        return softmax(np.asarray(features, dtype=np.float64) @ self.weight.T + self.bias)

    def save(self, path: Path) -> None:
        payload = {
            "metadata": self.metadata,
            "labels": list(self.labels),
            # float32 precision is plenty and keeps the file small and the diff readable.
            "bias": [float(np.float32(v)) for v in self.bias],
            "weight": [[float(np.float32(v)) for v in row] for row in self.weight],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LogisticHead:
        payload = json.loads(path.read_text(encoding="utf-8"))
        weight = np.array(payload["weight"], dtype=np.float64)
        bias = np.array(payload["bias"], dtype=np.float64)
        labels = tuple(payload["labels"])
        if weight.shape[0] != len(labels) or bias.shape != (len(labels),):
            raise ValueError(f"{path}: weight/bias shapes do not match {len(labels)} labels")
        return cls(labels, weight, bias, payload["metadata"])


def softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_logistic(
    features: FloatArray, targets: npt.NDArray[np.int64], n_classes: int, l2: float
) -> tuple[FloatArray, FloatArray]:
    """Minimize mean cross-entropy + l2/2 * |W|^2 on standardized features (bias unpenalized).

    Full-batch gradient descent with a fixed step of 1/L (L bounds the gradient's Lipschitz
    constant): convex, no randomness, so the same data always gives the same weights.
    Returns (weight, bias) for raw, unstandardized features.
    """
    mean = features.mean(axis=0)
    std = features.std(axis=0) + 1e-8
    x = (features - mean) / std
    n, dim = x.shape
    onehot = np.eye(n_classes)[targets]
    lipschitz = 0.5 * np.linalg.norm(x, ord=2) ** 2 / n + l2 + 0.5
    step = 1.0 / lipschitz
    weight = np.zeros((n_classes, dim))
    bias = np.zeros(n_classes)
    for _ in range(3000):
        residual = (softmax(x @ weight.T + bias) - onehot) / n
        weight -= step * (residual.T @ x + l2 * weight)
        bias -= step * residual.sum(axis=0)
    folded = weight / std
    return folded, bias - folded @ mean
