"""Checksummed manifests for assembled model directories."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(4 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(directory: Path, recipe: dict[str, Any]) -> dict[str, Any]:
    """Record `recipe` (what the files were built from) and the sha256 of every file."""
    files = {
        p.name: sha256_file(p)
        for p in sorted(directory.iterdir())
        if p.is_file() and p.name != MANIFEST_NAME
    }
    manifest = {"recipe": recipe, "files": files}
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def manifest_problem(directory: Path, recipe: dict[str, Any]) -> str | None:
    """Why `directory` does not hold what `recipe` builds, or None if every checksum matches."""
    path = directory / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        return f"{path} missing or unreadable"
    if manifest.get("recipe") != recipe:
        return "built from other sources or settings"
    for name, expected in manifest.get("files", {}).items():
        file = directory / name
        if not file.is_file():
            return f"{name} missing"
        if sha256_file(file) != expected:
            return f"{name} checksum mismatch"
    return None if manifest.get("files") else "manifest lists no files"
