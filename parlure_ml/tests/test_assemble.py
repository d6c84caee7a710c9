import shutil
import time
from pathlib import Path

import pytest

from parlure_ml.assemble import assemble
from parlure_ml.manifest import MANIFEST_NAME, manifest_problem
from parlure_ml.paths import E5_SUBDIR


def test_second_run_only_verifies(model_dir):
    target = model_dir / E5_SUBDIR
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}

    started = time.monotonic()
    assemble(model_dir)
    elapsed = time.monotonic() - started

    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before
    assert elapsed < 5


@pytest.mark.slow
def test_corrupt_file_is_rebuilt(model_dir: Path, tmp_path: Path):
    copy = tmp_path / "models"
    shutil.copytree(model_dir / E5_SUBDIR, copy / E5_SUBDIR)
    manifest = (copy / E5_SUBDIR / MANIFEST_NAME).read_text()
    with (copy / E5_SUBDIR / "tokenizer.json").open("ab") as fh:
        fh.write(b" ")

    assemble(copy)

    assert (copy / E5_SUBDIR / MANIFEST_NAME).read_text() == manifest  # same bytes rebuilt
    assert (copy / E5_SUBDIR / "tokenizer.json").read_bytes() == (
        model_dir / E5_SUBDIR / "tokenizer.json"
    ).read_bytes()


def test_missing_file_is_reported(model_dir: Path, tmp_path: Path):
    copy = tmp_path / E5_SUBDIR
    shutil.copytree(model_dir / E5_SUBDIR, copy, ignore=shutil.ignore_patterns("config.json"))
    recipe = __import__("json").loads((copy / MANIFEST_NAME).read_text())["recipe"]

    assert manifest_problem(copy, recipe) == "config.json missing"
