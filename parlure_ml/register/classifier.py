"""Register classifier: frozen e5-small embeddings + a logistic-regression head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parlure_ml.backbone.encoder import E5Encoder
from parlure_ml.process_local import ProcessLocal
from parlure_ml.register.head import LogisticHead

LABELS = ("soutenu", "neutre", "familier")
HEADS_DIR = Path(__file__).resolve().parent / "heads"
DEFAULT_HEAD = HEADS_DIR / "seed-v1.json"
ENCODER_NAME = "e5-small"


@dataclass(frozen=True)
class RegisterPrediction:
    label: str  # one of LABELS
    scores: dict[str, float]  # probabilities over LABELS, sum to 1
    model_version: str  # e.g. "e5-small+seed-head-v1"


class RegisterClassifier:
    def __init__(self, encoder: E5Encoder, head: LogisticHead) -> None:
        if head.labels != LABELS:
            raise ValueError(f"head labels {head.labels} differ from {LABELS}")
        self.encoder = encoder
        self.head = head
        self.model_version = f"{ENCODER_NAME}+{head.version}"

    @classmethod
    def load(
        cls, model_dir: Path | None = None, head_path: Path = DEFAULT_HEAD
    ) -> RegisterClassifier:
        """Load the assembled encoder (see `parlure_ml.assemble`) and the shipped head."""
        return cls(E5Encoder.load(model_dir), LogisticHead.load(head_path))

    def predict(self, texts: Sequence[str]) -> list[RegisterPrediction]:
        """Classify each text; long texts are scored per window, windows weighted by tokens.

        Raises ValueError for a text that is empty or only whitespace.
        """
        if isinstance(texts, str):
            raise TypeError("predict() takes a sequence of texts, not a single string")
        for index, text in enumerate(texts):
            if not text.strip():
                raise ValueError(f"text {index} is empty: there is nothing to classify")
        if not texts:
            return []
        windows = self.encoder.encode_windows(texts)
        embeddings = windows.embeddings / np.linalg.norm(
            windows.embeddings, axis=1, keepdims=True
        ).clip(min=1e-12)
        window_probs = self.head.predict_proba(embeddings) * windows.n_tokens[:, None]
        probs = np.zeros((len(texts), len(LABELS)))
        np.add.at(probs, windows.owner, window_probs)
        probs /= probs.sum(axis=1, keepdims=True)
        return [
            RegisterPrediction(
                label=LABELS[int(row.argmax())],
                scores={label: float(p) for label, p in zip(LABELS, row, strict=True)},
                model_version=self.model_version,
            )
            for row in probs
        ]


_classifier = ProcessLocal(lambda: RegisterClassifier.load())


def get_classifier() -> RegisterClassifier:
    """The process-wide classifier, loaded on first use (after a worker forks, never at import)."""
    return _classifier.get()
