"""A recording sent while it is made: started at once, its chunks stored in order (repeats
harmless, gaps refused), its limits kept, someone else's refused, finished once, and expired
when abandoned."""

import datetime
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from annotation.models import AudioRecording, LiveRecording, LiveSegment, Submission
from annotation.services import (
    REASON_RECORDING_ABANDONED,
    live_decode_claim,
    live_piece_store,
    recordings_abandoned_expire,
)
from annotation.tests.api_fixtures import api_client
from annotation.tests.audio_fixtures import recorder_chunks, wav_bytes
from common import jobs
from parlure_ml.speech.audio import probe_audio
from parlure_ml.speech.transcriber import Segment as SpeechSegment
from parlure_ml.speech.transcriber import Word

pytestmark = pytest.mark.django_db

START = "/api/v1/submissions/recordings/"


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


@pytest.fixture(scope="module")
def chunks() -> list[bytes]:
    """Four seconds of a tone, as four recorder chunks."""
    return recorder_chunks(wav_bytes(4.0, tone_hz=440), count=4)


def _start(user: User, **payload: Any) -> dict[str, Any]:
    response = api_client(user).post(START, payload, format="json")
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def _chunk_url(started: dict[str, Any], index: int) -> str:
    return f"{started['recording']['chunks']}{index}/"


def _put(user: User, started: dict[str, Any], index: int, data: bytes) -> Any:
    return api_client(user).put(
        _chunk_url(started, index), data, content_type="application/octet-stream"
    )


def _file(started: dict[str, Any]) -> Path:
    recording = AudioRecording.objects.get(submission__public_id=started["id"])
    return Path(recording.file.path)


def test_a_recording_starts_at_once_and_once_per_token(user: User) -> None:
    token = str(uuid.uuid4())
    started = _start(user, client_token=token, speakers="2")
    assert started["status"] == "recording"
    assert started["recording"]["chunks"].endswith("/recording/chunks/")
    submission = Submission.objects.get(public_id=started["id"])
    assert submission.kind == Submission.Kind.AUDIO
    assert submission.audio.source == AudioRecording.Source.RECORDING
    assert submission.audio.speakers == "2"
    assert not submission.audio.file

    again = api_client(user).post(START, {"client_token": token}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == started["id"]
    assert Submission.objects.count() == 1


def test_chunks_are_stored_in_order_a_repeat_changes_nothing_and_a_gap_is_refused(
    user: User,
    chunks: list[bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    started = _start(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _put(user, started, 0, chunks[0])
        second = _put(user, started, 1, chunks[1])
    assert first.status_code == 200, first.content
    assert first.json()["next_chunk"] == 1
    assert first.json()["stored"] is True
    assert second.json()["next_chunk"] == 2
    assert second.json()["size_bytes"] == len(chunks[0]) + len(chunks[1])
    assert 1.5 < second.json()["duration_s"] < 2.5
    assert _file(started).read_bytes() == chunks[0] + chunks[1]
    # One live decode queued for the two chunks: it had not started when the second came.
    assert len(callbacks) == 1

    repeat = _put(user, started, 1, b"something else entirely")
    assert repeat.status_code == 200
    assert repeat.json() == {**second.json(), "stored": False}
    assert _file(started).read_bytes() == chunks[0] + chunks[1]

    gap = _put(user, started, 3, chunks[3])
    assert gap.status_code == 409
    assert gap.json()["expected"] == 2
    assert gap.json()["detail"] == "Chunk 2 is expected next."
    assert _file(started).read_bytes() == chunks[0] + chunks[1]


def test_someone_elses_recording_is_not_found(
    user: User, other_user: User, chunks: list[bytes]
) -> None:
    started = _start(user)
    assert _put(other_user, started, 0, chunks[0]).status_code == 404
    finish = api_client(other_user).post(started["recording"]["finish"])
    assert finish.status_code == 404
    assert Submission.objects.get(public_id=started["id"]).status == "recording"


def test_a_first_chunk_that_is_not_audio_is_refused(user: User) -> None:
    started = _start(user)
    response = _put(user, started, 0, b"<html>not audio</html>" * 10)
    assert response.status_code == 400
    assert response.json()["errors"]["chunk"] == ["This file is not audio, whatever its name says."]
    assert LiveRecording.objects.get(submission__public_id=started["id"]).chunks == 0


def test_over_the_size_limit_the_chunk_is_refused_whole(
    user: User, chunks: list[bytes], settings: Any
) -> None:
    settings.PARLURE_AUDIO_MAX_BYTES = len(chunks[0]) + len(chunks[1]) // 2
    started = _start(user)
    assert _put(user, started, 0, chunks[0]).status_code == 200
    response = _put(user, started, 1, chunks[1])
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert _file(started).read_bytes() == chunks[0]  # nothing cut to fit
    assert _put(user, started, 2, chunks[2]).json()["expected"] == 1


def test_over_the_duration_limit_the_chunk_is_refused(
    user: User, chunks: list[bytes], settings: Any
) -> None:
    # The limit plus the one second the page's clock may overshoot: 3.5 s, three chunks are 3.
    settings.PARLURE_AUDIO_MAX_SECONDS = 2.5
    started = _start(user)
    for index in range(3):
        assert _put(user, started, index, chunks[index]).status_code == 200
    response = _put(user, started, 3, chunks[3])
    assert response.status_code == 400
    assert response.json()["errors"]["chunk"] == [
        "The recording is too long: the limit is 0.0416667 minutes."
    ]
    assert _file(started).read_bytes() == b"".join(chunks[:3])


def test_finish_queues_the_transcription_once_with_a_seekable_file(
    user: User,
    chunks: list[bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(
        jobs, "job_send", lambda name, *args, countdown=None: sent.append((name, args))
    )
    started = _start(user)
    for index, chunk in enumerate(chunks):
        assert _put(user, started, index, chunk).status_code == 200
    as_recorded = _file(started)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        finished = api_client(user).post(started["recording"]["finish"])
    assert finished.status_code == 200, finished.content
    assert finished.json()["status"] == "queued"
    submission = Submission.objects.get(public_id=started["id"])
    assert sent == [(jobs.TRANSCRIBE_SUBMISSION, (submission.pk,))]
    assert not as_recorded.exists()  # replaced by the remuxed file
    info = probe_audio(_file(started), max_seconds=60)
    assert info.has_duration
    assert 3.5 < info.duration_s < 4.5
    recording = AudioRecording.objects.get(submission__public_id=started["id"])
    assert recording.duration_s == pytest.approx(info.duration_s, abs=0.05)
    assert recording.size_bytes == _file(started).stat().st_size

    with django_capture_on_commit_callbacks(execute=True):
        again = api_client(user).post(started["recording"]["finish"])
    assert again.status_code == 200
    assert again.json()["status"] == "queued"
    assert len(sent) == 1  # no second transcription

    late = _put(user, started, 4, chunks[0])
    assert late.status_code == 409
    assert late.json()["expected"] is None


def test_a_recording_too_short_is_deleted_at_finish(user: User, chunks: list[bytes]) -> None:
    started = _start(user)
    response = api_client(user).post(started["recording"]["finish"])
    assert response.status_code == 400
    assert response.json()["errors"]["recording"] == [
        "The recording is empty. Please record again."
    ]
    assert not Submission.objects.filter(public_id=started["id"]).exists()

    short = _start(user)
    tiny = recorder_chunks(wav_bytes(0.2, tone_hz=440), count=1)
    assert _put(user, short, 0, tiny[0]).status_code == 200
    response = api_client(user).post(short["recording"]["finish"])
    assert response.status_code == 400
    assert "too short" in response.json()["errors"]["recording"][0]
    assert not Submission.objects.filter(public_id=short["id"]).exists()


def test_an_abandoned_recording_is_expired_with_its_audio(
    user: User,
    chunks: list[bytes],
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.PARLURE_RECORDING_ABANDONED_MINUTES = 60
    abandoned = _start(user)
    assert _put(user, abandoned, 0, chunks[0]).status_code == 200
    never_sent = _start(user)
    going_on = _start(user)
    assert _put(user, going_on, 0, chunks[0]).status_code == 200
    path = _file(abandoned)
    long_ago = timezone.now() - datetime.timedelta(minutes=61)
    LiveRecording.objects.filter(submission__public_id=abandoned["id"]).update(
        last_chunk_at=long_ago
    )
    LiveRecording.objects.filter(submission__public_id=never_sent["id"]).update(created_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert recordings_abandoned_expire() == 2
    for started in (abandoned, never_sent):
        submission = Submission.objects.get(public_id=started["id"])
        assert submission.status == Submission.Status.FAILED
        assert submission.failure_reason == REASON_RECORDING_ABANDONED
        assert submission.audio.deleted_at is not None
    assert not path.exists()
    assert Submission.objects.get(public_id=going_on["id"]).status == "recording"
    assert recordings_abandoned_expire() == 0


def _segment(start: float, text: str) -> SpeechSegment:
    return SpeechSegment(start, start + 1.0, text, [Word(start, start + 0.5, " Bonjour", 0.9)])


def test_pieces_decoded_for_good_are_kept_once_and_shown_while_recording(
    user: User, chunks: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "job_send", lambda name, *args, countdown=None: None)
    started = _start(user)
    _put(user, started, 0, chunks[0])
    submission = Submission.objects.get(public_id=started["id"])
    claim = live_decode_claim(submission_id=submission.pk)
    assert claim is not None
    assert claim.stable_until_s == 0
    assert claim.detect_language
    assert LiveRecording.objects.get(submission=submission).decode_queued_at is None

    first = [_segment(0.0, " Bonjour à tous. "), _segment(1.0, " ")]
    assert live_piece_store(
        submission_id=submission.pk,
        from_s=0.0,
        until_s=2.5,
        segments=first,
        detected_language="fr",
        language_probability=0.9,
    )
    # The same piece again (a decode that started from the same point): dropped.
    assert not live_piece_store(
        submission_id=submission.pk, from_s=0.0, until_s=2.5, segments=first
    )
    assert live_piece_store(
        submission_id=submission.pk, from_s=2.5, until_s=4.0, segments=[_segment(2.6, "Oui.")]
    )
    live = LiveRecording.objects.get(submission=submission)
    assert (live.stable_until_s, live.stable_segments, live.detected_language) == (4.0, 2, "fr")
    stored = list(LiveSegment.objects.filter(submission=submission).order_by("index"))
    assert [(s.index, s.text) for s in stored] == [(0, "Bonjour à tous."), (1, "Oui.")]
    assert stored[0].words[0]["word"] == " Bonjour"

    status = api_client(user).get(f"/api/v1/submissions/{started['id']}/status/").json()
    assert status["status"] == "recording"
    assert status["finished"] is False
    assert [s["text"] for s in status["live_segments"]] == ["Bonjour à tous.", "Oui."]

    # Once its transcription has begun, a late piece is not kept: the transcription decodes it.
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.TRANSCRIBING)
    assert not live_piece_store(
        submission_id=submission.pk, from_s=4.0, until_s=5.0, segments=[_segment(4.1, "Non.")]
    )
    assert live_decode_claim(submission_id=submission.pk) is None
