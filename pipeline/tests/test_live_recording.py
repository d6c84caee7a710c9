"""A recording transcribed while it is made, with the real speech model: pieces decoded for good
as the chunks come, then only the rest after the stop; the whole file when the live decode is
missing; and a real worker doing it while the chunks arrive at the recorder's pace.

Speech is espeak-ng's: the tests check structure and invariants (times in order and inside the
audio, the pieces kept as the transcript's first segments), never one machine's exact words.
"""

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections

from accounts.models import User
from annotation.models import AudioRecording, LiveRecording, LiveSegment, Submission, Transcript
from annotation.services import recording_chunk_append, recording_finish, recording_start
from annotation.tests.audio_fixtures import recorder_chunks
from common import jobs
from parlure_ml.register.examples import LABELS
from parlure_ml.speech.synth import SHORT_FRENCH, synthesize_sentences
from pipeline.tasks import live_decode_task, transcribe_submission_task


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


@pytest.fixture(scope="module")
def spoken_chunks(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """About 11 s: three sentences 1 s apart, as one-second recorder chunks."""
    path = tmp_path_factory.mktemp("live") / "sentences.wav"
    wav = synthesize_sentences(SHORT_FRENCH, path, pause_s=1.0).read_bytes()
    seconds = (len(wav) - 44) / (2 * 22050)
    return recorder_chunks(wav, count=round(seconds))


@pytest.fixture
def no_broker(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, ...]]]:
    """Jobs are run by the test itself, in this process; what would have been sent is noted."""
    sent: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(
        jobs, "job_send", lambda name, *args, countdown=None: sent.append((name, args))
    )
    return sent


def _invariants(segments: list[Any], duration: float) -> None:
    starts = [segment.start for segment in segments]
    assert starts == sorted(starts)
    for segment in segments:
        assert 0 <= segment.start <= segment.end <= duration + 0.5
        assert segment.text.strip()


@pytest.mark.django_db
@pytest.mark.slow
def test_pieces_are_decoded_while_recording_and_kept_by_the_transcription(
    user: User, spoken_chunks: list[bytes], no_broker: list[Any]
) -> None:
    submission, _ = recording_start(user=user)
    stable_seen: list[float] = []
    for index, chunk in enumerate(spoken_chunks):
        recording_chunk_append(submission=submission, index=index, data=chunk)
        live_decode_task(submission.pk)  # what the asr worker does after each chunk
        stable_seen.append(LiveRecording.objects.get(submission=submission).stable_until_s)
    live = LiveRecording.objects.get(submission=submission)
    duration = AudioRecording.objects.get(submission=submission).duration_s

    # Pieces were decoded before the end, never past the audio received, never backwards.
    assert stable_seen == sorted(stable_seen)
    assert 0 < live.stable_until_s <= duration - 1.5
    assert any(0 < seen < duration - 3 for seen in stable_seen)
    stable = list(LiveSegment.objects.filter(submission=submission).order_by("index"))
    assert len(stable) == live.stable_segments >= 1
    _invariants(stable, live.stable_until_s)
    assert live.detected_language  # the detector ran on the first piece
    assert all(segment.words for segment in stable)

    recording_finish(submission=submission)
    transcribe_submission_task(submission.pk)

    transcript = Transcript.objects.get(submission=submission)
    segments = list(transcript.segments.order_by("index"))
    _invariants(segments, transcript.duration_s)
    # The pieces decoded while recording are the transcript's first segments, as they were.
    assert [(s.text, s.start, s.end) for s in segments[: len(stable)]] == [
        (s.text, s.start, s.end) for s in stable
    ]
    assert segments[0].words == stable[0].words
    assert transcript.detected_language == live.detected_language
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CLASSIFYING
    assert submission.text == " ".join(segment.text for segment in segments)
    assert not LiveSegment.objects.filter(submission=submission).exists()


@pytest.mark.django_db
@pytest.mark.slow
def test_without_a_live_decode_the_whole_recording_is_transcribed(
    user: User, spoken_chunks: list[bytes], no_broker: list[Any]
) -> None:
    # The broker or the asr worker was down while recording: no piece was decoded.
    submission, _ = recording_start(user=user)
    for index, chunk in enumerate(spoken_chunks):
        recording_chunk_append(submission=submission, index=index, data=chunk)
    recording_finish(submission=submission)
    transcribe_submission_task(submission.pk)

    transcript = Transcript.objects.get(submission=submission)
    segments = list(transcript.segments.order_by("index"))
    assert segments
    _invariants(segments, transcript.duration_s)
    # The whole file: the last sentence, which ends near the end, is in it.
    assert segments[-1].end > transcript.duration_s - 3


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        close_old_connections()
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# serialized_rollback: the flush after the test must not take the roles (data migration) away.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.worker
@pytest.mark.slow
def test_a_real_worker_transcribes_while_the_chunks_come_and_finishes_soon_after(
    speech_worker: subprocess.Popen[bytes], user: User, spoken_chunks: list[bytes]
) -> None:
    submission, _ = recording_start(user=user)
    # Let the worker load its models before the recording starts, as a warm worker would be.
    time.sleep(8)
    for index, chunk in enumerate(spoken_chunks):
        recording_chunk_append(submission=submission, index=index, data=chunk)
        time.sleep(1.0)  # the recorder's pace
    # Still recording: what shows now was decoded while the person spoke.
    _wait(
        lambda: LiveSegment.objects.filter(submission=submission).exists(),
        60,
        "a segment decoded while recording",
    )
    labelled_early = LiveSegment.objects.filter(submission=submission).exclude(label="")
    _wait(labelled_early.exists, 60, "the register of a live segment")
    assert labelled_early.first().label in LABELS  # type: ignore[union-attr]
    stable = list(LiveSegment.objects.filter(submission=submission).order_by("index"))

    recording_finish(submission=submission)
    _wait(
        lambda: Submission.objects.get(pk=submission.pk).is_finished,
        120,
        "the transcript's register",
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DONE, submission.failure_reason
    assert submission.current_prediction is not None
    assert submission.current_prediction.label in LABELS
    segments = list(Transcript.objects.get(submission=submission).segments.order_by("index"))
    assert [s.text for s in segments[: len(stable)]] == [s.text for s in stable]
