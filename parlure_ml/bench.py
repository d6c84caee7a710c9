"""Latency and memory of the register classifier on this machine: `python -m parlure_ml.bench`."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from parlure_ml.paths import force_offline

SENTENCES = [
    "Je vous saurais gré de bien vouloir m'adresser votre réponse par retour de courrier.",
    "Le train de huit heures part du quai numéro trois.",
    "wesh t'as capté le délire ou quoi, c'est ouf",
    "Pourriez-vous m'indiquer, je vous prie, le chemin de la gare ?",
]


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB, from /proc (Linux)."""
    fields = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _timed(fn: Callable[[], object], repeats: int) -> str:
    fn()  # warm-up: first call allocates buffers and picks kernels
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    median_ms, min_ms = statistics.median(runs) * 1000, min(runs) * 1000
    return f"median {median_ms:8.1f} ms  (min {min_ms:.1f}, n={repeats})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    force_offline()
    import tokenizers  # noqa: F401  (imported here so "model load" times only the load)
    import torch
    import transformers  # noqa: F401

    from parlure_ml.backbone.encoder import torch_threads
    from parlure_ml.register import RegisterClassifier

    imported = time.perf_counter()
    classifier = RegisterClassifier.load(args.model_dir)
    loaded = time.perf_counter()
    print(f"model version      {classifier.model_version}")
    print(
        f"torch threads      {torch.get_num_threads()} (PARLURE_TORCH_THREADS or {torch_threads()})"
    )
    print(f"import libraries   {(imported - started) * 1000:8.1f} ms")
    print(f"model load         {(loaded - imported) * 1000:8.1f} ms")
    print(f"RSS after load     {_rss_mb()[0]:8.1f} MB")

    one = SENTENCES[:1]
    batch = (SENTENCES * 8)[:32]
    long_text = (" ".join(SENTENCES) + " ") * 200
    long_text = long_text[:20_000]
    print(f"1 sentence         {_timed(lambda: classifier.predict(one), args.repeats)}")
    print(f"batch of 32        {_timed(lambda: classifier.predict(batch), args.repeats)}")
    long_timing = _timed(lambda: classifier.predict([long_text]), max(3, args.repeats // 3))
    print(f"20,000 characters  {long_timing}")
    current, peak = _rss_mb()
    print(f"RSS now / peak     {current:8.1f} MB / {peak:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
