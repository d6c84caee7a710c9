"""`python -m parlure_ml.register.corpus build|stats` (see docs/data.md)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from parlure_ml.register.corpus.build import DATASET_FILE, DEFAULT_OUT, DEFAULT_SEED, build_dataset
from parlure_ml.register.corpus.fetch import DEFAULT_CACHE, ArtefactUnavailable
from parlure_ml.register.corpus.stats import stats_markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parlure_ml.register.corpus")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build dataset.csv and manifest.json")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT)
    build.add_argument("--seed", type=int, default=DEFAULT_SEED)
    build.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    build.add_argument(
        "--offline", action="store_true", help="only the committed sentences, no registry source"
    )
    stats = commands.add_parser("stats", help="print the counts table of a built dataset")
    stats.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    if args.command == "stats":
        print(stats_markdown(args.out / DATASET_FILE))
        return 0
    started = time.monotonic()
    try:
        result = build_dataset(args.out, seed=args.seed, offline=args.offline, cache_dir=args.cache)
    except ArtefactUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    print(f"{result.rows} rows in {result.dataset} ({elapsed:.1f} s)")
    print(f"dataset sha256 {result.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
