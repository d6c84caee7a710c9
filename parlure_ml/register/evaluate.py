"""Evaluate a register model (`make evaluate`): `python -m parlure_ml.register.evaluate`.

Per-class precision, recall and F1 on the held-out test split, its lower-case unpunctuated copy,
each independent set and its copy (and, for those, per genre and per sentence length);
calibration (ECE and a reliability table); what the uncertainty threshold does; and the most
confident mistakes, where to look first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from parlure_ml.register import evaluation
from parlure_ml.register.classifier import DEFAULT_UNCERTAIN_BELOW, RegisterClassifier
from parlure_ml.register.examples import LABELS, load_splits


def reliability(probs: np.ndarray, targets: np.ndarray, bins: int = 5) -> list[str]:
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == targets
    lines = []
    edges = np.linspace(1 / len(LABELS), 1.0, bins + 1)
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            lines.append(
                f"    confidence {low:.2f}-{high:.2f}: {inside.sum():4d} predictions, "
                f"mean confidence {confidence[inside].mean():.3f}, "
                f"accuracy {correct[inside].mean():.3f}"
            )
    return lines


def describe(
    name: str, result: dict[str, Any], probs: np.ndarray, targets: np.ndarray, threshold: float
) -> str:
    lines = [
        f"== {name}: {result['n']} sentences, macro-F1 {result['macro_f1']:.3f}, "
        f"accuracy {result['accuracy']:.3f}, ECE {result['ece']:.3f}"
    ]
    for label, values in result["per_class"].items():
        lines.append(
            f"  {label:>9}  precision {values['precision']:.3f}  recall {values['recall']:.3f}  "
            f"F1 {values['f1']:.3f}  (n={values['support']})"
        )
    lines.append(
        f"  confusion (rows: true, columns: predicted, {'/'.join(LABELS)}): {result['confusion']}"
    )
    lines.append("  calibration:")
    lines += reliability(probs, targets)
    sure = probs.max(axis=1) >= threshold
    accuracy_sure = (probs.argmax(axis=1) == targets)[sure].mean() if sure.any() else float("nan")
    lines.append(
        f"  below the uncertainty threshold {threshold}: {(~sure).mean():.1%} of predictions "
        f"(shown as hesitant); accuracy of the others {accuracy_sure:.3f}"
    )
    lines.append("  most confident mistakes:")
    for mistake in result["confident_mistakes"][:8]:
        lines.append(
            f"    {mistake['confidence']:.2f} {mistake['predicted']:>8} (is {mistake['label']}): "
            f"{mistake['text'][:110]}"
        )
    return "\n".join(lines)


def describe_groups(key: str, groups: dict[str, dict[str, Any]]) -> str:
    """One line per genre or length bucket; the lowest macro-F1 first, where to look."""
    title = "genre (form where the set has no genre column)" if key == "genre" else "length (words)"
    lines = [f"  by {title}:"]
    for name, values in sorted(groups.items(), key=lambda item: item[1]["macro_f1"]):
        lines.append(
            f"    {name:>14}: n={values['n']:3d}  macro-F1 {values['macro_f1']:.3f}  "
            f"accuracy {values['accuracy']:.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--model", type=Path, default=None, help="model directory (default: champion)"
    )
    parser.add_argument("--threshold", type=float, default=DEFAULT_UNCERTAIN_BELOW)
    parser.add_argument("--int8", choices=("auto", "on", "off"), default="auto")
    parser.add_argument("--json", type=Path, help="also write the full reports here")
    args = parser.parse_args(argv)
    int8 = None if args.int8 == "auto" else args.int8 == "on"
    classifier = RegisterClassifier.load(args.model, int8=int8)
    print(f"model {classifier.model_version}, temperature {classifier.temperature:.3f}")
    reports = {}
    for name, examples in evaluation.evaluation_sets(load_splits()).items():
        probs = classifier.probabilities([e.text for e in examples])
        targets = np.array([LABELS.index(e.label) for e in examples])
        reports[name] = result = evaluation.scored(examples, probs)
        print(describe(name, result, probs, targets, args.threshold))
        if name.startswith("independent"):
            for key in ("genre", "length"):
                result[f"by_{key}"] = groups = evaluation.breakdown(examples, probs, key)
                print(describe_groups(key, groups))
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
