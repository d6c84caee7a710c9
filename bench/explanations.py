"""Explanations: do integrated gradients find the words occlusion finds, and do those words matter?
Prints its figures, all from one run on this machine.

    .venv/bin/python bench/explanations.py [--sentences 300] [--steps 8]

- Agreement: on sentences of the independent sets (4 words or more), the share of occlusion's
  top-3 words that the gradients' top-3 also holds, and how often the gradients' first word is
  in occlusion's top 3.
- Deletion test: the label's probability before and after removing a sentence's top-3 words
  (by gradients, by occlusion) or 3 random words (mean of 3 draws). The deciding words must
  lower it more than random ones.
- Cost: `predict(explain=True)` on 55 short sentences with each method, against
  `explain=False`, in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parlure_ml.register import attribution, get_classifier
from parlure_ml.register.attribution import Request
from parlure_ml.register.examples import LABELS, load_independent
from parlure_ml.register.sentences import word_spans

EVAL_DIR = Path(__file__).resolve().parent.parent / "parlure_ml" / "register" / "eval"


def _requests(classifier: object, limit: int) -> list[Request]:
    texts = [e.text for path in sorted(EVAL_DIR.glob("*.tsv")) for e in load_independent(path)]
    texts = [t for t in texts if sum(1 for a, _ in word_spans(t) if t[a].isalnum()) >= 4]
    step = max(1, len(texts) // limit)
    texts = texts[::step][:limit]
    probs = classifier.probabilities(texts)  # type: ignore[attr-defined]
    return [
        Request(
            text,
            0,
            len(text),
            [w for w in word_spans(text) if text[w[0]].isalnum()],
            int(p.argmax()),
        )
        for text, p in zip(texts, probs, strict=True)
    ]


def _top(scores: np.ndarray, k: int = 3) -> list[int]:
    return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


def _without(request: Request, drop: list[int]) -> str:
    kept = [request.text[a:b] for i, (a, b) in enumerate(request.words) if i not in drop]
    return " ".join(kept) or "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--steps", type=int, default=attribution.STEPS)
    args = parser.parse_args()
    attribution.STEPS = args.steps
    classifier = get_classifier()
    requests = _requests(classifier, args.sentences)
    print(f"model {classifier.model_version}, {len(requests)} sentences, IG steps {args.steps}")

    started = time.perf_counter()
    gradients = classifier.word_scores(requests, "gradients")
    gradient_s = time.perf_counter() - started
    started = time.perf_counter()
    occlusion = classifier.word_scores(requests, "occlusion")
    occlusion_s = time.perf_counter() - started
    print(f"time for all sentences: gradients {gradient_s:.1f} s, occlusion {occlusion_s:.1f} s")

    overlap = [
        len(set(_top(g)) & set(_top(o))) / 3 for g, o in zip(gradients, occlusion, strict=True)
    ]
    first_in = [_top(g, 1)[0] in _top(o) for g, o in zip(gradients, occlusion, strict=True)]
    print(f"top-3 overlap with occlusion: {statistics.mean(overlap):.3f}")
    print(f"gradients' first word in occlusion's top 3: {statistics.mean(first_in):.3f}")

    rng = random.Random(20261205)
    variants: list[str] = []
    for request, g, o in zip(requests, gradients, occlusion, strict=True):
        n = len(request.words)
        variants += [_without(request, _top(g)), _without(request, _top(o))]
        variants += [_without(request, rng.sample(range(n), 3)) for _ in range(3)]
    before = classifier.probabilities([r.text for r in requests])
    after = classifier.probabilities(variants).reshape(len(requests), 5, len(LABELS))
    drops: dict[str, list[float]] = {"gradients": [], "occlusion": [], "random": []}
    for r, request in enumerate(requests):
        p = before[r, request.target]
        drops["gradients"].append(float(p - after[r, 0, request.target]))
        drops["occlusion"].append(float(p - after[r, 1, request.target]))
        drops["random"].append(float(p - after[r, 2:, request.target].mean()))
    for name, values in drops.items():
        fall = statistics.mean(values)
        print(f"deletion of top-3 words ({name}): label probability falls by {fall:.3f}")

    short = [r.text for r in requests if len(r.words) <= 12][:55]
    timings = {}
    for name, method, explain in [
        ("no explanation", None, False),
        ("gradients", "gradients", True),
        ("occlusion", "occlusion", True),
    ]:
        if method:
            os.environ["PARLURE_EXPLAIN_METHOD"] = method
        classifier.predict(short[:5], explain=explain)  # warm-up
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            classifier.predict(short, explain=explain)
            runs.append(time.perf_counter() - started)
        timings[name] = min(runs)
    base = timings["no explanation"]
    for name, seconds in timings.items():
        print(
            f"predict({len(short)} short sentences) {name}: {seconds:.2f} s ({seconds / base:.1f}x)"
        )


if __name__ == "__main__":
    main()
