"""Reading a ZIP of audio files member by member, trusting nothing the archive declares.

No ORM here: ``ArchiveReader.members()`` yields each acceptable member as a temporary file, and
``corpora.services.imports`` turns it into an audio submission (which checks its content).

Decisions:

- Nothing is ever extracted to a path taken from the archive: each member is copied into a
  NamedTemporaryFile (deleted as soon as it is stored), so names only matter as labels. Names
  that try to leave the folder anyway (``..``, absolute, backslashes, drive letters) are
  refused as "path" problems: such an archive was made by mistake or with intent.
- Before a member is read: encrypted members, nested archives (by name), and members whose
  declared size is over the audio limit, whose compression ratio is over
  PARLURE_IMPORT_MAX_RATIO, or that would take the archive past
  PARLURE_IMPORT_MAX_UNCOMPRESSED_BYTES are refused without decompressing a byte.
- While it is read: declared sizes can lie, so the copy is made in chunks and stops past the
  declared size or the audio limit, whichever is smaller; the content's first bytes are checked
  for archive signatures (a nested archive renamed .wav).
- The central directory is bounded too (CENTRAL_DIRECTORY_MAX_BYTES): Python reads all of it
  before the first member, and a few MB of tiny entries would take GBs of memory.
- macOS and Windows junk (``__MACOSX/``, ``.DS_Store``, ``._*``, ``Thumbs.db``) and folders are
  skipped silently: people do not know they are there and cannot act on a problem about them.
- Past PARLURE_IMPORT_MAX_FILES members, the rest is not read (one problem says how many).
"""

import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotation.services import audio_too_large_message

from .imports import ProblemLog

CENTRAL_DIRECTORY_MAX_BYTES = 4 * 1024 * 1024
COPY_CHUNK_BYTES = 1024 * 1024
JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
ARCHIVE_SUFFIXES = frozenset(
    {
        ".zip", ".zipx", ".jar", ".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".xz", ".txz",
        ".lz", ".lzma", ".zst", ".z", ".7z", ".rar", ".cab", ".iso", ".arj", ".lzh", ".cpio",
    }
)  # fmt: skip
# (offset, signature) of archive and compressed formats.
ARCHIVE_MAGIC = (
    (0, b"PK\x03\x04"),
    (0, b"PK\x05\x06"),
    (0, b"PK\x07\x08"),
    (0, b"\x1f\x8b"),  # gzip
    (0, b"BZh"),
    (0, b"\xfd7zXZ\x00"),
    (0, b"\x28\xb5\x2f\xfd"),  # zstd
    (0, b"7z\xbc\xaf\x27\x1c"),
    (0, b"Rar!\x1a\x07"),
    (0, b"MSCF"),  # cab
    (257, b"ustar"),  # tar
)
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class AudioMember:
    """One member copied out of the archive, ready for the audio check."""

    name: str
    file: IO[bytes]
    size: int


class _MemberProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _display_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable()).strip()[:255]


def _is_junk(name: str) -> bool:
    parts = PurePosixPath(name).parts
    if any(part == "__MACOSX" for part in parts):
        return True
    base = parts[-1] if parts else ""
    return base.lower() in JUNK_NAMES or base.startswith("._")


def _is_unsafe(name: str) -> bool:
    return (
        "\\" in name or name.startswith("/") or bool(_DRIVE.match(name)) or ".." in name.split("/")
    )


def _looks_like_archive(head: bytes) -> bool:
    return any(head[offset : offset + len(magic)] == magic for offset, magic in ARCHIVE_MAGIC)


def _central_directory_size(file: IO[bytes]) -> int | None:
    """The size the end record declares for the central directory (zip64 too); None if absent."""
    file.seek(0, 2)
    end = file.tell()
    tail_length = min(end, 22 + 65_535)  # the end record and the longest comment
    file.seek(end - tail_length)
    tail = file.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    size = int.from_bytes(tail[at + 12 : at + 16], "little")
    if size == 0xFFFFFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        file.seek(int.from_bytes(tail[at - 12 : at - 4], "little"))
        record = file.read(56)
        if record[:4] == b"PK\x06\x06":
            size = int.from_bytes(record[40:48], "little")
    return size


@dataclass
class ArchiveReader:
    """A ZIP upload being read: its members, counts and problems.

    Opening it raises ValidationError when the file as a whole is not a usable ZIP archive.
    """

    file: IO[bytes]
    problems: ProblemLog = field(default_factory=ProblemLog)
    items_read: int = 0
    items_rejected: int = 0
    bytes_unpacked: int = 0
    archive: zipfile.ZipFile = field(init=False)

    def __post_init__(self) -> None:
        damaged = ValidationError(
            _("This file is damaged or is not a ZIP archive."), code="bad_archive"
        )
        try:
            size = _central_directory_size(self.file)
            if size is not None and size > CENTRAL_DIRECTORY_MAX_BYTES:
                raise ValidationError(
                    _("This archive lists far too many files to be read."), code="too_many_files"
                )
            self.file.seek(0)
            self.archive = zipfile.ZipFile(self.file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise damaged from None
        if not self.archive.infolist():
            raise ValidationError(_("The archive is empty."), code="empty")

    def reject(self, *, member: str, code: str, message: str) -> None:
        """Count a member as rejected, with what is wrong with it."""
        self.items_rejected += 1
        self.problems.add(member=member, code=code, message=message)

    def members(self) -> Iterator[AudioMember]:
        """Each member worth an audio check, in archive order; problems are logged as found.

        The temporary file of a member is deleted once the caller asks for the next one.
        """
        entries = [
            info
            for info in self.archive.infolist()
            if not info.is_dir() and not _is_junk(info.filename)
        ]
        limit = settings.PARLURE_IMPORT_MAX_FILES
        for position, info in enumerate(entries):
            if position >= limit:
                left = len(entries) - limit
                self.problems.add(
                    code="too_many_files",
                    message=_(
                        "Only the first %(limit)s files of an archive are imported: "
                        "%(left)s more were not read."
                    )
                    % {"limit": limit, "left": left},
                )
                return
            self.items_read += 1
            name = _display_name(info.filename)
            try:
                self._check_declared(info)
                with tempfile.NamedTemporaryFile(prefix="parlure-import-") as copy:
                    size = self._copy(info, copy)
                    copy.seek(0)
                    yield AudioMember(name=name, file=copy, size=size)
            except _MemberProblem as problem:
                self.reject(member=name, code=problem.code, message=problem.message)

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        """Refuse what the central directory already gives away, before decompressing."""
        if _is_unsafe(info.filename):
            raise _MemberProblem(
                "path",
                _("This name points outside the archive's folder; the file was not read."),
            )
        if info.flag_bits & 0x1:
            raise _MemberProblem("encrypted", _("This file is encrypted: Parlure cannot read it."))
        if PurePosixPath(info.filename).suffix.lower() in ARCHIVE_SUFFIXES:
            raise _MemberProblem("nested_archive", _nested_message())
        if info.file_size > max(info.compress_size, 1) * settings.PARLURE_IMPORT_MAX_RATIO:
            raise _MemberProblem(
                "zip_bomb",
                _(
                    "Compression made this file %(ratio)s times smaller, far more than audio "
                    "allows: it looks like a zip bomb and was not unpacked."
                )
                % {"ratio": info.file_size // max(info.compress_size, 1)},
            )
        if info.file_size > settings.PARLURE_AUDIO_MAX_BYTES:
            raise _MemberProblem("too_large", audio_too_large_message())
        if self.bytes_unpacked + info.file_size > settings.PARLURE_IMPORT_MAX_UNCOMPRESSED_BYTES:
            raise _MemberProblem(
                "archive_too_large",
                _("Unpacked, the archive would exceed %(mb)s MB: this file was not read.")
                % {"mb": f"{settings.PARLURE_IMPORT_MAX_UNCOMPRESSED_BYTES / 1024 / 1024:g}"},
            )

    def _copy(self, info: zipfile.ZipInfo, copy: IO[bytes]) -> int:
        """Decompress into ``copy`` in chunks, never past the declared size or the audio limit."""
        limit = min(info.file_size, settings.PARLURE_AUDIO_MAX_BYTES)
        size = 0
        head = b""
        try:
            with self.archive.open(info) as source:
                while chunk := source.read(COPY_CHUNK_BYTES):
                    size += len(chunk)
                    if size > limit:
                        raise _MemberProblem("too_large", audio_too_large_message())
                    if len(head) < 512:
                        head += chunk[: 512 - len(head)]
                    copy.write(chunk)
        except (
            zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError,
        ):  # fmt: skip
            raise _MemberProblem(
                "damaged", _("This file is damaged in the archive and could not be unpacked.")
            ) from None
        finally:
            self.bytes_unpacked += size
        if _looks_like_archive(head):
            raise _MemberProblem("nested_archive", _nested_message())
        return size


def _nested_message() -> str:
    return _("Archives inside the archive are not opened: put the audio files in it directly.")
