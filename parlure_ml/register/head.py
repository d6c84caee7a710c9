"""Multinomial logistic regression on sentence embeddings: the fast-mode head, and the
starting point of the LoRA head (see train.py).

Features are standardized while fitting; the standardization is folded into the returned weights,
so the head is a single affine map on the raw (L2-normalized) embedding.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


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
