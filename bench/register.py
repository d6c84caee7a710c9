"""Register classifier benchmark on this machine: latency, throughput, memory and accuracy,
fp32 and int8. Prints its figures.

    .venv/bin/python bench/register.py [--model DIR] [--runs 300] [--threads N]

- Load: time to load the model (backbone + adapter merge, + quantization for int8).
- One sentence: `predict([sentence])` for `--runs` calls cycling over the independent set's
  sentences (as a worker classifies one short text), after a warm-up; p50, p95, max.
- Throughput: `predict(texts)` on the independent set and its bare copy (900 sentences) in one
  call, sentences per second (the best of 3 runs).
- Accuracy: macro-F1 on the independent set, its bare copy, and the dataset's test split.
- Memory: resident set size after loading and the peak.
Explanations are off here (the portal computes them on top: see docs/model-card.md).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parlure_ml.memory import rss_mb as _rss_mb
from parlure_ml.register.evaluation import scored
from parlure_ml.register.examples import (
    bare_copies,
    load_independent,
    load_splits,
)


def _macro_f1(classifier: object, examples: list) -> float:
    probs = classifier.probabilities([e.text for e in examples])  # type: ignore[attr-defined]
    return scored(examples, probs)["macro_f1"]


def run(directory: Path | None, int8: bool, runs: int) -> dict[str, float]:
    from parlure_ml.register.classifier import RegisterClassifier

    started = time.perf_counter()
    classifier = RegisterClassifier.load(directory, int8=int8)
    load_s = time.perf_counter() - started
    rss, _ = _rss_mb()
    independent = load_independent()
    sentences = [e.text for e in independent]
    for text in sentences[:20]:
        classifier.predict([text])  # warm-up
    latencies = []
    for i in range(runs):
        text = sentences[(i * 7) % len(sentences)]
        started = time.perf_counter()
        classifier.predict([text])
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    batch = sentences + [e.text for e in bare_copies(independent)]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        classifier.predict(batch)
        best = min(best, time.perf_counter() - started)
    test = load_splits()["test"]
    figures = {
        "load_s": load_s,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": latencies[-1],
        "throughput": len(batch) / best,
        "f1_independent": _macro_f1(classifier, independent),
        "f1_independent_bare": _macro_f1(classifier, bare_copies(independent)),
        "f1_test": _macro_f1(classifier, test),
        "rss_mb": rss,
        "peak_mb": _rss_mb()[1],
    }
    del classifier
    gc.collect()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--model", type=Path, default=None, help="model directory (default: champion)"
    )
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--only", choices=("fp32", "int8"), default=None)
    args = parser.parse_args()
    import torch

    from parlure_ml.register.classifier import RegisterClassifier  # noqa: F401 (sets threads)

    precisions = [args.only] if args.only else ["fp32", "int8"]
    for precision in precisions:
        f = run(args.model, precision == "int8", args.runs)
        print(
            f"{precision}: load {f['load_s']:.1f} s | one sentence p50 {f['p50_ms']:.1f} ms, "
            f"p95 {f['p95_ms']:.1f} ms, max {f['max_ms']:.1f} ms (n={args.runs}) | "
            f"throughput {f['throughput']:.0f} sentences/s | macro-F1 independent "
            f"{f['f1_independent']:.3f}, bare {f['f1_independent_bare']:.3f}, test "
            f"{f['f1_test']:.3f} | RSS {f['rss_mb']:.0f} MB (peak {f['peak_mb']:.0f} MB)"
        )
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
