"""ZIP imports: each audio member becomes an audio submission, every other member a problem."""

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import User
from annotation.models import AudioRecording, Submission
from annotation.tests.audio_fixtures import wav_bytes
from common import jobs
from corpora import archives
from corpora.models import Corpus, ImportBatch
from corpora.services import import_create
from corpora.tests.factories import CorpusFactory

pytestmark = pytest.mark.django_db

WAV = wav_bytes(0.5, tone_hz=440)
NESTED = "Archives inside the archive are not opened: put the audio files in it directly."


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def audio_folder(audio_root: Path) -> Path:
    return audio_root


@pytest.fixture
def corpus(user: User) -> Corpus:
    return CorpusFactory.create(owner=user)


def zip_bytes(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def patch_headers(data: bytes, name: str, patch: Callable[[bytearray, int, int], None]) -> bytes:
    """Apply ``patch(data, local_header_offset, central_header_offset)`` for one member."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    buffer = bytearray(data)
    central = buffer.find(b"PK\x01\x02" + buffer[local + 4 : local + 6])
    while buffer[central + 46 : central + 46 + len(name)] != name.encode():
        central = buffer.find(b"PK\x01\x02", central + 1)
    patch(buffer, local, central)
    return bytes(buffer)


def import_zip(corpus: Corpus, user: User, data: bytes) -> ImportBatch:
    batch, created = import_create(
        corpus=corpus, user=user, file=SimpleUploadedFile("audio.zip", data)
    )
    assert created
    return batch


def problems(batch: ImportBatch) -> list[tuple[str, str]]:
    return [(problem["member"], problem["code"]) for problem in batch.problems]


def stored_names(batch: ImportBatch) -> list[str]:
    return list(
        AudioRecording.objects.filter(submission__batch=batch)
        .order_by("submission_id")
        .values_list("original_name", flat=True)
    )


def test_each_audio_file_becomes_a_queued_audio_submission_of_the_corpus_and_batch(
    corpus: Corpus,
    user: User,
    audio_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    transcriptions: list[int] = []
    monkeypatch.setattr(jobs, "job_send", lambda _task, pk: transcriptions.append(pk))
    data = zip_bytes([("séance 1/un.wav", WAV), ("deux.wav", WAV)], zipfile.ZIP_DEFLATED)

    with django_capture_on_commit_callbacks(execute=True):
        batch = import_zip(corpus, user, data)

    assert (batch.format, batch.items_read, batch.items_accepted, batch.items_rejected) == (
        "zip",
        2,
        2,
        0,
    )
    assert batch.problems == []
    submissions = list(batch.submissions.order_by("id"))
    assert {(s.kind, s.status, s.corpus_id, s.user_id) for s in submissions} == {
        ("audio", "queued", corpus.pk, user.pk)
    }
    assert stored_names(batch) == ["séance 1_un.wav", "deux.wav"]
    assert sorted(transcriptions) == [s.pk for s in submissions]
    for submission in submissions:
        stored = audio_folder / submission.audio.file.name
        assert stored.read_bytes() == WAV


def test_a_member_that_is_not_audio_is_a_problem_with_the_audio_checks_message(
    corpus: Corpus, user: User
) -> None:
    data = zip_bytes(
        [("notes.txt", b"Bonjour, ceci est du texte. " * 50), ("ok.wav", WAV)],
    )

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert batch.problems == [
        {
            "line": None,
            "member": "notes.txt",
            "code": "not_audio",
            "message": "This file is not audio, whatever its name says.",
        }
    ]
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (2, 1, 1)


def test_nested_archives_are_refused_by_name_and_by_content(corpus: Corpus, user: User) -> None:
    inner = zip_bytes([("inside.wav", WAV)])
    data = zip_bytes(
        [
            ("more.zip", inner),
            ("backup.tar.gz", b"\x1f\x8b\x08\x00" + bytes(100)),
            ("x.7z", b"7z\xbc\xaf\x27\x1c" + bytes(100)),
            ("renamed.wav", inner),
            ("ok.wav", WAV),
        ]
    )

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert problems(batch) == [
        ("more.zip", "nested_archive"),
        ("backup.tar.gz", "nested_archive"),
        ("x.7z", "nested_archive"),
        ("renamed.wav", "nested_archive"),
    ]
    assert {problem["message"] for problem in batch.problems} == {NESTED}


def test_names_that_leave_the_folder_are_refused_and_nothing_is_written_there(
    corpus: Corpus, user: User, tmp_path: Path
) -> None:
    names = ["../evil.wav", "/tmp/abs.wav", "C:/win.wav", "dir\\back.wav", "a/../../b.wav"]
    data = zip_bytes([*[(name, WAV) for name in names], ("ok.wav", WAV)])

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert problems(batch) == [(name, "path") for name in names]
    assert batch.problems[0]["message"] == (
        "This name points outside the archive's folder; the file was not read."
    )
    assert not (tmp_path.parent / "evil.wav").exists()
    assert not Path("/tmp/abs.wav").exists()


def test_members_past_the_file_limit_are_not_read(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_IMPORT_MAX_FILES = 2
    data = zip_bytes([(f"{n}.wav", WAV) for n in range(4)])

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["0.wav", "1.wav"]
    assert (batch.items_read, batch.items_accepted, batch.items_rejected) == (2, 2, 0)
    assert batch.problems == [
        {
            "line": None,
            "member": "",
            "code": "too_many_files",
            "message": "Only the first 2 files of an archive are imported: 2 more were not read.",
        }
    ]


def test_members_past_the_unpacked_total_are_refused(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_IMPORT_MAX_UNCOMPRESSED_BYTES = len(WAV) * 3 // 2
    data = zip_bytes([("a.wav", WAV), ("b.wav", WAV), ("c.wav", WAV)])

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["a.wav"]
    assert problems(batch) == [("b.wav", "archive_too_large"), ("c.wav", "archive_too_large")]


def test_a_member_over_the_audio_limit_is_refused_without_being_unpacked(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_AUDIO_MAX_BYTES = len(WAV) - 1
    settings.PARLURE_IMPORT_MAX_RATIO = 10**6

    batch = import_zip(corpus, user, zip_bytes([("big.wav", WAV)]))

    assert batch.problems == [
        {
            "line": None,
            "member": "big.wav",
            "code": "too_large",
            "message": f"The file is too large: the limit is {(len(WAV) - 1) / 1024 / 1024:g} MB.",
        }
    ]
    assert not batch.submissions.exists()


def test_a_zip_bomb_is_refused_without_being_unpacked(
    corpus: Corpus, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    # 50 MB of zeros compress to about 50 KB.
    data = zip_bytes([("bomb.wav", bytes(50 * 1024 * 1024)), ("ok.wav", WAV)], zipfile.ZIP_DEFLATED)
    assert len(data) < 200_000
    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert problems(batch) == [("bomb.wav", "zip_bomb")]
    assert batch.problems[0]["message"].startswith("Compression made this file 10")
    assert opened == ["ok.wav"]


def test_a_member_whose_declared_size_lies_is_cut_off_at_that_size_and_refused(
    corpus: Corpus, user: User
) -> None:
    def declare_100_bytes(data: bytearray, local: int, central: int) -> None:
        data[local + 22 : local + 26] = (100).to_bytes(4, "little")
        data[central + 24 : central + 28] = (100).to_bytes(4, "little")

    data = patch_headers(
        zip_bytes([("liar.wav", WAV), ("ok.wav", WAV)]), "liar.wav", declare_100_bytes
    )

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert batch.problems == [
        {
            "line": None,
            "member": "liar.wav",
            "code": "damaged",
            "message": "This file is damaged in the archive and could not be unpacked.",
        }
    ]


def test_an_encrypted_member_is_refused(corpus: Corpus, user: User) -> None:
    # zipfile cannot encrypt: set the "encrypted" flag as an encrypting tool does.
    def flag_encrypted(data: bytearray, local: int, central: int) -> None:
        data[local + 6] |= 0x1
        data[central + 8] |= 0x1

    data = patch_headers(
        zip_bytes([("secret.wav", WAV), ("ok.wav", WAV)]), "secret.wav", flag_encrypted
    )

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["ok.wav"]
    assert batch.problems == [
        {
            "line": None,
            "member": "secret.wav",
            "code": "encrypted",
            "message": "This file is encrypted: Parlure cannot read it.",
        }
    ]


def test_folders_and_system_junk_are_skipped_silently(corpus: Corpus, user: User) -> None:
    data = zip_bytes(
        [
            ("séance/", b""),
            ("séance/un.wav", WAV),
            ("__MACOSX/séance/._un.wav", b"\x00\x05\x16\x07"),
            ("séance/.DS_Store", b"\x00\x00\x00\x01Bud1"),
            ("Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ]
    )

    batch = import_zip(corpus, user, data)

    assert stored_names(batch) == ["séance_un.wav"]
    assert (batch.items_read, batch.items_accepted, batch.problems) == (1, 1, [])


def test_an_archive_of_junk_only_makes_a_batch_that_says_there_was_nothing(
    corpus: Corpus, user: User
) -> None:
    batch = import_zip(corpus, user, zip_bytes([("folder/", b""), (".DS_Store", b"x")]))

    assert problems(batch) == [("", "no_items")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (zip_bytes([("a.wav", WAV), ("b.wav", WAV)])[: len(WAV)], "bad_archive"),  # cut short
        (b"text\nBonjour.\n", "bad_archive"),  # not a ZIP at all
        (zip_bytes([]), "empty"),
    ],
)
def test_a_file_that_is_not_a_usable_zip_is_refused_as_a_whole(
    corpus: Corpus, user: User, data: bytes, code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        import_create(corpus=corpus, user=user, file=SimpleUploadedFile("a.zip", data))

    assert error.value.code == code
    assert not ImportBatch.objects.exists()


def test_an_archive_over_the_upload_limit_is_refused(
    corpus: Corpus, user: User, settings: Any
) -> None:
    settings.PARLURE_IMPORT_MAX_ARCHIVE_BYTES = 1024 * 1024
    data = zip_bytes([(f"{n}.wav", WAV) for n in range(70)])

    with pytest.raises(ValidationError) as error:
        import_create(corpus=corpus, user=user, file=SimpleUploadedFile("a.zip", data))

    assert (error.value.code, error.value.messages) == (
        "too_large",
        ["The file is too large: the limit is 1 MB."],
    )


def test_a_central_directory_too_large_to_read_is_refused_before_reading_it(
    corpus: Corpus, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "CENTRAL_DIRECTORY_MAX_BYTES", 500)
    data = zip_bytes([(f"{n:04}.wav", b"") for n in range(20)])

    with pytest.raises(ValidationError) as error:
        import_create(corpus=corpus, user=user, file=SimpleUploadedFile("a.zip", data))

    assert error.value.code == "too_many_files"


def test_an_import_that_fails_half_way_leaves_no_row_and_no_file_behind(
    corpus: Corpus, user: User, audio_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr("corpora.services.imports._batch_finish", broken)

    with pytest.raises(RuntimeError):
        import_zip(corpus, user, zip_bytes([("a.wav", WAV), ("b.wav", WAV)]))

    assert not Submission.objects.exists()
    assert not ImportBatch.objects.exists()
    assert [path for path in audio_folder.rglob("*") if path.is_file()] == []
