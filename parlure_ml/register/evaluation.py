"""Scoring a register network on the evaluation sets, and the figures a run logs."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parlure_ml.register.examples import (
    EVAL_DIR,
    LABELS,
    Example,
    bare_copies,
    load_independent,
)
from parlure_ml.register.metrics import report, softmax
from parlure_ml.register.network import batches_by_length


def _run(network: Any, batcher: Any, texts: Sequence[str], features: bool) -> np.ndarray:
    import torch

    rows = batcher.ids(texts)
    width = network.head.in_features if features else network.head.out_features
    out = np.zeros((len(rows), width), dtype=np.float64)
    with torch.inference_mode():
        for group in batches_by_length([len(r) for r in rows]):
            ids, mask = batcher.tensors([rows[i] for i in group])
            result = network.features(ids, mask) if features else network(ids, mask)
            out[group] = result.double().numpy()
    return out


def logits(network: Any, batcher: Any, texts: Sequence[str]) -> np.ndarray:
    return _run(network, batcher, texts, features=False)


def features(network: Any, batcher: Any, texts: Sequence[str]) -> np.ndarray:
    return _run(network, batcher, texts, features=True)


def evaluation_sets(splits: dict[str, list[Example]]) -> dict[str, list[Example]]:
    """test (all variants) and its bare copy; each independent set and its bare copy; and
    "frozen": the test split and the independent sets together, what the gate compares on."""
    sets = {"test": splits["test"], "test_bare": bare_copies(splits["test"])}
    frozen = list(splits["test"])
    for path in sorted(EVAL_DIR.glob("*.tsv")):
        name = path.stem.replace("-", "_")  # independent-v1 -> independent_v1
        examples = load_independent(path)
        sets |= {name: examples, f"{name}_bare": bare_copies(examples)}
        frozen += examples
    return sets | {"frozen": frozen}


def evaluate(
    network: Any, batcher: Any, temperature: float, sets: dict[str, list[Example]]
) -> dict[str, dict[str, Any]]:
    """A `metrics.report()` for each named set, with its most confident mistakes."""
    return {
        name: scored(
            examples, softmax(logits(network, batcher, [e.text for e in examples]) / temperature)
        )
        for name, examples in sets.items()
    }


def scored(examples: Sequence[Example], probs: np.ndarray) -> dict[str, Any]:
    """`metrics.report()` of calibrated probabilities against the examples' labels, with the
    most confident mistakes."""
    targets = np.array([LABELS.index(e.label) for e in examples], dtype=np.int64)
    result = report(probs, targets, LABELS)
    result["confident_mistakes"] = confident_mistakes(examples, probs, targets)
    return result


# Sentence lengths in words, as the issue asks them reported: short inputs behave differently.
LENGTH_BUCKETS = ((1, 5), (6, 12), (13, 25), (26, 60), (61, 10_000))


def length_bucket(text: str) -> str:
    words = len(text.split())
    for low, high in LENGTH_BUCKETS:
        if low <= words <= high:
            return f"{low}-{high}" if high < 10_000 else f"{low}+"
    return "0"


def breakdown(examples: Sequence[Example], probs: np.ndarray, key: str) -> dict[str, Any]:
    """n, accuracy and macro-F1 per genre (`key="genre"`) or per length bucket (`"length"`).

    Macro-F1 here averages the registers present in the group: a genre written in one register
    only has no F1 for the other two.
    """
    groups: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        name = example.genre if key == "genre" else length_bucket(example.text)
        groups.setdefault(name or "?", []).append(i)
    out = {}
    for name, members in sorted(groups.items()):
        targets = np.array([LABELS.index(examples[i].label) for i in members], dtype=np.int64)
        result = report(probs[members], targets, LABELS)
        present = [label for label, v in result["per_class"].items() if v["support"]]
        out[name] = {
            "n": len(members),
            "accuracy": result["accuracy"],
            "macro_f1": float(np.mean([result["per_class"][label]["f1"] for label in present])),
        }
    return out


def confident_mistakes(
    examples: Sequence[Example], probs: np.ndarray, targets: np.ndarray, limit: int = 15
) -> list[dict[str, Any]]:
    """The wrong predictions the model was surest of: where to look first."""
    wrong = np.flatnonzero(probs.argmax(axis=1) != targets)
    ranked = wrong[np.argsort(-probs[wrong].max(axis=1))][:limit]
    return [
        {
            "text": examples[i].text,
            "label": examples[i].label,
            "predicted": LABELS[int(probs[i].argmax())],
            "confidence": round(float(probs[i].max()), 3),
            "source": examples[i].source,
        }
        for i in ranked
    ]


@contextlib.contextmanager
def figures(
    reports: dict[str, dict[str, Any]],
    labels: tuple[str, ...],
    curves: dict[str, list[tuple[int, float]]] | None = None,
) -> Iterator[list[Path]]:
    """PNG confusion matrices (one per evaluation set) and loss curves, in a temporary folder."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, result in reports.items():
            matrix = np.array(result["confusion"])
            fig, ax = plt.subplots(figsize=(4.2, 3.6))
            ax.imshow(matrix, cmap="Blues")
            ax.set_xticks(range(len(labels)), labels)
            ax.set_yticks(range(len(labels)), labels)
            ax.set_xlabel("predicted")
            ax.set_ylabel("true")
            ax.set_title(f"{name}: macro-F1 {result['macro_f1']:.3f}")
            for (row, col), value in np.ndenumerate(matrix):
                color = "white" if value > matrix.max() / 2 else "black"
                ax.text(col, row, str(value), ha="center", va="center", color=color)
            fig.tight_layout()
            paths.append(Path(tmp) / f"confusion-{name}.png")
            fig.savefig(paths[-1], dpi=100)
            plt.close(fig)
        if curves and any(curves.values()):
            fig, ax = plt.subplots(figsize=(6, 3.6))
            for name, points in curves.items():
                if points:
                    steps, values = zip(*points, strict=True)
                    ax.plot(steps, values, label=name, marker="o" if len(points) < 20 else None)
            ax.set_xlabel("step")
            ax.set_ylabel("loss")
            ax.legend()
            fig.tight_layout()
            paths.append(Path(tmp) / "loss-curves.png")
            fig.savefig(paths[-1], dpi=100)
            plt.close(fig)
        yield paths
