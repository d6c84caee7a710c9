"""Audio submissions as the pages send them, with the real speech and register models.

The page's script sends files and corrections to the API with the person's session, as here;
the plain form (without JavaScript) posts to the page.
"""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_update_profile
from annotation.models import AudioRecording, Prediction, Submission, Transcript
from annotation.services import REASON_NO_SPEECH, REASON_SPEECH_MODEL_ERROR, audio_purge_expired
from annotation.tests.api_fixtures import api_error_text
from annotation.tests.audio_fixtures import wav_bytes
from corpora.services.corpora import corpus_create, corpus_update
from pipeline.tasks import submissions as tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _upload(client: Client, name: str, content: bytes, **extra: Any) -> Any:
    data = {
        "file": SimpleUploadedFile(name, content, content_type="audio/wav"),
        "source": "upload",
        **extra,
    }
    return client.post(reverse("api:submission-audio"), data, HTTP_ACCEPT="application/json")


def _correct(client: Client, submission: Submission, index: int, body: str) -> Any:
    """What the transcript editor sends when a segment changes."""
    url = reverse("api:transcript-segment", args=[submission.public_id, index])
    return client.patch(url, body, content_type="application/json")


def _transcribed(client: Client, french_wav: Path) -> Submission:
    response = _upload(client, "bonjour.wav", french_wav.read_bytes())
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(kind=Submission.Kind.AUDIO)
    tasks.transcribe_submission_task(submission.pk)
    transcript = Transcript.objects.get(submission=submission)
    tasks.classify_transcript_task(transcript.pk, transcript.version)
    submission.refresh_from_db()
    return submission


def test_an_upload_is_checked_stored_privately_and_queued(
    member_client: Client,
    french_wav: Path,
    audio_root: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(
            member_client, "../../etc/passwd\x00" + "x" * 300 + ".wav", french_wav.read_bytes()
        )
    assert response.status_code == 201
    submission = Submission.objects.get()
    page = reverse("annotation:submission_detail", args=[submission.public_id])
    assert response.json()["links"]["page"] == f"http://testserver{page}"
    recording = submission.audio
    assert recording.source == AudioRecording.Source.UPLOAD
    assert submission.kind == Submission.Kind.AUDIO
    assert submission.status == Submission.Status.QUEUED
    assert len(callbacks) == 1
    # The uploaded name is metadata only: cleaned, cut, and never used as a path.
    assert "/" not in recording.original_name
    assert "\x00" not in recording.original_name
    assert len(recording.original_name) <= 255
    assert recording.original_name.endswith(".wav")
    [stored] = _stored_files(audio_root)
    assert stored.suffix == ".wav"
    assert "passwd" not in str(stored)
    assert recording.duration_s > 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.wav", b"", "Le fichier est vide."),
        ("page.wav", b"<!DOCTYPE html><html><body>hello</body></html>", "pas de l\u2019audio"),
        ("image.wav", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "pas de l\u2019audio"),
        ("court.wav", wav_bytes(0.2, tone_hz=440), "trop court"),
    ],
)
def test_bad_audio_gets_a_clear_message_and_nothing_is_stored(
    member_client: Client, audio_root: Path, name: str, content: bytes, message: str
) -> None:
    response = _upload(member_client, name, content)
    assert response.status_code == 400
    assert message in api_error_text(response)
    assert not Submission.objects.exists()
    assert _stored_files(audio_root) == []


def test_a_truncated_webm_is_refused(member_client: Client, audio_root: Path) -> None:
    header_only = bytes.fromhex("1a45dfa3") + b"\x9f\x42\x86\x81\x01" + b"\x00" * 40
    response = _upload(member_client, "coupe.webm", header_only)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    member_client: Client, settings: Any, audio_root: Path, french_wav: Path
) -> None:
    settings.PARLURE_AUDIO_MAX_BYTES = 10_000
    response = _upload(member_client, "gros.wav", french_wav.read_bytes())
    assert response.status_code == 413
    assert "trop volumineux" in api_error_text(response)
    assert not Submission.objects.exists()
    assert _stored_files(audio_root) == []


def test_a_file_over_the_duration_limit_is_refused(
    member_client: Client, settings: Any, french_wav: Path
) -> None:
    settings.PARLURE_AUDIO_MAX_SECONDS = 2
    response = _upload(member_client, "long.wav", french_wav.read_bytes())
    assert response.status_code == 400
    assert "trop long" in api_error_text(response)


def test_the_same_form_sent_twice_creates_one_submission(
    member_client: Client, french_wav: Path, audio_root: Path
) -> None:
    token = "0b0d6f3e-8a55-4c38-9d51-1f1b8a7e6c11"
    statuses = [
        _upload(member_client, "a.wav", french_wav.read_bytes(), client_token=token).status_code
        for _ in range(2)
    ]
    assert statuses == [201, 200]  # the second answer is the first submission
    assert Submission.objects.count() == 1
    assert len(_stored_files(audio_root)) == 1


def test_a_recording_made_in_the_page_is_stored_as_recorded(
    member_client: Client, french_wav: Path
) -> None:
    response = _upload(member_client, "rec.wav", french_wav.read_bytes(), source="recording")
    assert response.status_code == 201
    assert Submission.objects.get().audio.source == AudioRecording.Source.RECORDING


def test_without_javascript_the_form_posts_to_the_page_and_lands_on_the_result(
    member_client: Client, french_wav: Path
) -> None:
    response = member_client.post(
        reverse("annotation:submission_new_audio"),
        {"audio": SimpleUploadedFile("a.wav", french_wav.read_bytes()), "source": "upload"},
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "annotation:submission_detail", args=[submission.public_id]
    )


def test_without_javascript_a_bad_file_re_renders_the_page(member_client: Client) -> None:
    response = member_client.post(
        reverse("annotation:submission_new_audio"),
        {"audio": SimpleUploadedFile("vide.wav", b""), "source": "upload"},
    )
    assert response.status_code == 400
    assert "Le fichier est vide." in response.content.decode()


def test_a_recording_is_transcribed_classified_corrected_and_exported(
    member_client: Client,
    french_wav: Path,
    audio_root: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    submission = _transcribed(member_client, french_wav)
    assert submission.status == Submission.Status.DONE
    transcript = submission.transcript
    segments = list(transcript.segments.order_by("index"))
    assert segments
    assert transcript.language == "fr"
    assert submission.text
    assert all(segment.current_prediction is not None for segment in segments)
    assert submission.current_prediction is not None
    assert submission.current_prediction.transcript_version == 1

    # A re-delivered transcription task stores nothing twice.
    tasks.transcribe_submission_task(submission.pk)
    assert Transcript.objects.filter(submission=submission).count() == 1

    # The page shows the editor; the audio is served to its owner with ranges.
    page = member_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))
    assert f'data-version="{transcript.version}"' in page.content.decode()
    audio = member_client.get(
        reverse("annotation:submission_audio", args=[submission.public_id]),
        HTTP_RANGE="bytes=0-99",
    )
    assert audio.status_code == 206
    assert audio["Content-Range"].startswith("bytes 0-99/")
    assert len(audio.content) == 100

    # A correction is a new version, with its revision, classified again.
    saved = _correct(member_client, submission, 0, json.dumps({"text": "Bonjour à toutes."}))
    assert (saved.json()["transcript_version"], saved.json()["text"]) == (2, "Bonjour à toutes.")
    assert saved.json()["edited"] is True
    again = _correct(member_client, submission, 0, json.dumps({"text": "Bonjour à toutes."}))
    assert (again.json()["transcript_version"], again.json()["text"]) == (2, "Bonjour à toutes.")
    transcript.refresh_from_db()
    [revision] = transcript.revisions.all()
    assert (revision.before, revision.after, revision.version) == (
        segments[0].text,
        "Bonjour à toutes.",
        2,
    )
    tasks.classify_transcript_task(transcript.pk, 1)  # stale: a newer version exists
    tasks.classify_transcript_task(transcript.pk, 2)
    submission.refresh_from_db()
    assert submission.text.startswith("Bonjour à toutes.")
    assert submission.current_prediction is not None
    assert submission.current_prediction.transcript_version == 2
    assert Prediction.objects.filter(submission=submission, segment=None).count() == 2
    history = member_client.get(
        reverse("annotation:transcript_history", args=[submission.public_id])
    )
    assert "<ins>toutes.</ins>" in history.content.decode()

    srt = member_client.get(
        reverse("annotation:transcript_export", args=[submission.public_id, "srt"])
    )
    assert srt.content.decode().startswith("1\n00:00:0")
    assert "Bonjour à toutes." in srt.content.decode()
    vtt = member_client.get(
        reverse("annotation:transcript_export", args=[submission.public_id, "vtt"])
    )
    assert vtt.content.decode().startswith("WEBVTT\n\n00:00:0")
    exported = json.loads(
        member_client.get(
            reverse("annotation:transcript_export", args=[submission.public_id, "json"])
        ).content
    )
    assert exported["version"] == 2
    assert exported["segments"][0]["text"] == "Bonjour à toutes."
    assert exported["segments"][0]["words"]
    assert exported["register"]["label"] in {"soutenu", "neutre", "familier"}

    # Validation deletes the audio file (once committed); the text stays and can no longer change.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("annotation:transcript_validate", args=[submission.public_id]))
    recording = AudioRecording.objects.get(submission=submission)
    assert recording.deleted_at is not None
    assert _stored_files(audio_root) == []
    late = _correct(member_client, submission, 0, json.dumps({"text": "Trop tard."}))
    assert late.status_code == 409
    gone = member_client.get(reverse("annotation:submission_audio", args=[submission.public_id]))
    assert gone.status_code == 404


def test_bad_corrections_get_a_clearapi_error_text(member_client: Client, french_wav: Path) -> None:
    submission = _transcribed(member_client, french_wav)
    empty = _correct(member_client, submission, 0, json.dumps({"text": "  "}))
    assert empty.status_code == 400
    assert api_error_text(empty) == "Saisissez ou collez un texte à annoter."
    junk = _correct(member_client, submission, 0, "not json")
    assert junk.status_code == 400
    nested = _correct(member_client, submission, 0, "[" * 5000 + "]" * 5000)
    assert nested.status_code == 400
    assert _correct(member_client, submission, 99, json.dumps({"text": "x"})).status_code == 404


def test_silence_fails_with_no_speech_detected_and_no_text(
    member_client: Client, audio_root: Path
) -> None:
    response = _upload(member_client, "silence.wav", wav_bytes(3.0))
    assert response.status_code == 201
    submission = Submission.objects.get()
    tasks.transcribe_submission_task(submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == REASON_NO_SPEECH
    assert submission.text == ""
    assert not Transcript.objects.exists()


def test_a_cancelled_job_stops_and_stays_cancelled(member_client: Client, french_wav: Path) -> None:
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()
    member_client.post(reverse("annotation:submission_cancel", args=[submission.public_id]))
    tasks.transcribe_submission_task(submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CANCELLED
    assert not Transcript.objects.exists()


def test_audio_older_than_the_retention_period_is_deleted(
    member_client: Client,
    french_wav: Path,
    audio_root: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.AUDIO_RETENTION_HOURS = 24
    _upload(member_client, "a.wav", french_wav.read_bytes())
    _upload(member_client, "b.wav", french_wav.read_bytes())
    old, recent = AudioRecording.objects.order_by("pk")
    AudioRecording.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert audio_purge_expired() == 1
    assert audio_purge_expired() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.deleted_at is not None
    assert not old.file
    assert recent.deleted_at is None
    assert len(_stored_files(audio_root)) == 1


def test_someone_elses_audio_and_transcript_are_not_found(
    client: Client, other_user: User, french_wav: Path, user: User
) -> None:
    client.force_login(other_user)
    theirs = _transcribed(client, french_wav)
    client.force_login(user)
    public_id = theirs.public_id
    checks: list[tuple[str, str, list[object]]] = [
        ("annotation:submission_audio", "get", [public_id]),
        ("annotation:transcript_history", "get", [public_id]),
        ("annotation:transcript_export", "get", [public_id, "srt"]),
        ("api:transcript-segment", "patch", [public_id, 0]),
        ("annotation:transcript_validate", "post", [public_id]),
        ("annotation:submission_cancel", "post", [public_id]),
    ]
    for name, method, args in checks:
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
    theirs.transcript.refresh_from_db()
    assert theirs.transcript.validated_at is None


def test_deleting_a_person_deletes_their_recordings_from_disk(
    member_client: Client,
    user: User,
    french_wav: Path,
    audio_root: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _upload(member_client, "a.wav", french_wav.read_bytes())
    assert len(_stored_files(audio_root)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        user.delete()
    assert _stored_files(audio_root) == []


def test_cancelling_deletes_the_recording_at_once(
    member_client: Client,
    french_wav: Path,
    audio_root: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("annotation:submission_cancel", args=[submission.public_id]))
    assert _stored_files(audio_root) == []
    assert AudioRecording.objects.get().deleted_at is not None


def test_a_correction_reclassifies_only_the_segment_it_changed(
    member_client: Client, french_wav: Path
) -> None:
    submission = _transcribed(member_client, french_wav)
    transcript = submission.transcript
    segments = transcript.segments.count()
    before = Prediction.objects.filter(submission=submission).count()
    assert before == 1 + segments
    _correct(member_client, submission, 0, json.dumps({"text": "Une autre phrase."}))
    tasks.classify_transcript_task(transcript.pk, 2)
    new = Prediction.objects.filter(submission=submission, transcript_version=2)
    assert sorted((p.segment.index if p.segment else -1) for p in new) == [-1, 0]


def test_a_recording_goes_through_explicit_states_each_stored(
    member_client: Client, french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()
    seen: list[str] = [submission.status]
    real_transcribe = tasks.speech_transcribe

    def transcribe_noting_the_state(*args: Any, **kwargs: Any) -> Any:
        seen.append(Submission.objects.get(pk=submission.pk).status)
        return real_transcribe(*args, **kwargs)

    monkeypatch.setattr(tasks, "speech_transcribe", transcribe_noting_the_state)
    tasks.transcribe_submission_task(submission.pk)
    seen.append(Submission.objects.get(pk=submission.pk).status)
    transcript = Transcript.objects.get(submission=submission)
    tasks.classify_transcript_task(transcript.pk, transcript.version)
    seen.append(Submission.objects.get(pk=submission.pk).status)

    assert seen == ["queued", "transcribing", "classifying", "done"]


def test_the_speech_model_gets_the_corpus_and_the_author_vocabulary(
    member_client: Client, user: User, french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a person and their corpus who each keep a vocabulary
    corpus = corpus_create(owner=user, name="Bretagne")
    corpus_update(
        corpus=corpus,
        name=corpus.name,
        description="",
        vocabulary="Quimperlé\nOuessant",
        acting_user=user,
    )
    user_update_profile(user=user, display_name="", vocabulary="Maëlys Kerbrat\nouessant")
    given: list[list[str]] = []
    real_transcribe = tasks.speech_transcribe

    def noting(
        path: Path, on_progress: Callable[[float], None], vocabulary: Any = (), **options: Any
    ) -> Any:
        given.append(list(vocabulary))
        return real_transcribe(path, on_progress, vocabulary=vocabulary, **options)

    monkeypatch.setattr(tasks, "speech_transcribe", noting)
    _upload(member_client, "a.wav", french_wav.read_bytes(), corpus=str(corpus.public_id))
    submission = Submission.objects.get()

    # When the recording is transcribed (by the real model)
    tasks.transcribe_submission_task(submission.pk)

    # Then the model was given both lists, the corpus's first, each term once
    assert given == [["Quimperlé", "Ouessant", "Maëlys Kerbrat"]]
    assert Transcript.objects.filter(submission=submission).count() == 1


def test_a_transcript_cannot_be_corrected_before_its_job_is_done(
    member_client: Client, french_wav: Path
) -> None:
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()
    tasks.transcribe_submission_task(submission.pk)  # transcribed, not yet classified
    response = _correct(member_client, submission, 0, json.dumps({"text": "Trop tôt."}))
    assert response.status_code == 409
    assert "tant que son traitement n\u2019est pas terminé" in api_error_text(response)


def test_a_passing_database_error_during_a_transcription_is_retried_not_failed(
    member_client: Client, french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the database drops its connection once while the transcription reports progress
    real_transcribe = tasks.speech_transcribe
    calls: list[int] = []

    def flaky(path: Path, on_progress: Callable[[float], None], **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_transcribe(path, on_progress, **kwargs)

    monkeypatch.setattr(tasks, "speech_transcribe", flaky)
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()

    # When the task runs (eagerly, with its retries)
    tasks.transcribe_submission_task.apply(args=(submission.pk,))

    # Then it was tried again and the transcript is stored, not "the model could not process
    # this text"
    submission.refresh_from_db()
    assert len(calls) == 2
    assert submission.failure_reason == ""
    assert Transcript.objects.filter(submission=submission).count() == 1
    assert submission.attempts == 2


def test_a_speech_model_error_says_it_was_the_recording(
    member_client: Client, french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, on_progress: Callable[[float], None], **kwargs: Any) -> Any:
        raise RuntimeError("CTranslate2: unsupported")

    monkeypatch.setattr(tasks, "speech_transcribe", broken)
    _upload(member_client, "a.wav", french_wav.read_bytes())
    submission = Submission.objects.get()

    tasks.transcribe_submission_task(submission.pk)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == REASON_SPEECH_MODEL_ERROR
    assert "text" not in submission.failure_reason
