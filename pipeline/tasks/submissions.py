"""The jobs of one submission: classify a text, transcribe a recording, classify a transcript.

Tasks are safe to run twice: a finished submission is left alone, and results are recorded under
a row lock, so a re-delivered message (late acknowledgement after a worker died) never records a
second prediction or a second transcript.
"""

import logging
import threading
import time
from pathlib import Path
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from annotation.models import AudioRecording, LiveSegment, Transcript
from annotation.selectors import (
    live_recording_resumable,
    live_segments_to_classify,
    segments_to_classify,
    submission_vocabulary,
)
from annotation.services import (
    REASON_MODEL_ERROR,
    REASON_SPEECH_MODEL_ERROR,
    REASON_TOO_LONG,
    audio_missing_fail,
    audio_purge_expired,
    live_segment_add,
    live_segments_label,
    recording_max_seconds,
    recordings_abandoned_expire,
    submission_fail,
    submission_progress_update,
    submission_start,
    transcript_record,
)
from common import jobs
from parlure_ml.speech.transcriber import Segment as SpeechSegment
from parlure_ml.speech.transcriber import Transcript as SpeechTranscript
from parlure_ml.speech.transcriber import Word

from ..classification import (
    models_warm_up,
    register_classify,
    register_classify_many,
    speech_speakers,
    speech_transcribe,
    speech_transcribe_after,
)
from ..heartbeat import heartbeat
from ..reconciler import jobs_reconcile
from ..results import prediction_record, transcript_predictions_record

logger = logging.getLogger(__name__)

# Only transient infrastructure errors are retried; anything else fails the job at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    name=jobs.CLASSIFY_SUBMISSION,
    acks_late=True,
    # 20,000 characters take about 8 s on two cores; a worker that was just restarted also
    # loads the model first. The limits leave room for a busy machine (one minute was not).
    soft_time_limit=180,
    time_limit=210,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=3,
)
def classify_submission_task(self: Task, submission_id: int) -> None:
    worker = jobs.worker_identity()
    # A retry of this task (a passing database error) takes its own job over.
    submission = submission_start(
        submission_id=submission_id, worker=worker, takeover=self.request.retries > 0
    )
    if submission is None:
        return
    with heartbeat(submission_id=submission_id, worker=worker):
        try:
            result, latency_ms = register_classify(submission.text)
        except SoftTimeLimitExceeded:
            submission_fail(submission_id=submission_id, reason=REASON_TOO_LONG)
            return
        except Exception:
            # A model error is deterministic for this input: retrying would fail the same way.
            logger.exception("classification of submission %s failed", submission_id)
            submission_fail(submission_id=submission_id, reason=REASON_MODEL_ERROR)
            return
    prediction_record(submission_id=submission_id, result=result, latency_ms=latency_ms)


class JobCancelled(Exception):
    """The person cancelled the job (or deleted it) while it ran."""


class _ProgressReporter:
    """Writes progress to the database at most once a second, and notices a cancellation.

    Each decoded segment is stored at once (``on_segment``) for the page to show, and its
    register queued, so that people read the first sentences while the rest is decoded.
    """

    def __init__(self, submission_id: int, first_index: int = 0) -> None:
        self.submission_id = submission_id
        self.last = 0.0
        self.segments = first_index  # after those decoded while it was recorded

    def on_segment(self, segment: SpeechSegment) -> None:
        if not live_segment_add(
            submission_id=self.submission_id, index=self.segments, segment=segment
        ):
            raise JobCancelled
        self.segments += 1

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self.last < 1.0:
            return
        self.last = now
        if not submission_progress_update(submission_id=self.submission_id, progress=fraction):
            raise JobCancelled


@shared_task(
    bind=True,
    name=jobs.TRANSCRIBE_SUBMISSION,
    acks_late=True,
    # Ten minutes of audio take about two on two cores; the limits leave room for a busy machine.
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    max_retries=3,
)
def transcribe_submission_task(self: Task, submission_id: int) -> None:
    worker = jobs.worker_identity()
    submission = submission_start(
        submission_id=submission_id, worker=worker, takeover=self.request.retries > 0
    )
    if submission is None:
        return
    recording = AudioRecording.objects.filter(submission_id=submission_id).first()
    if recording is None or not recording.is_available:
        audio_missing_fail(submission_id=submission_id)
        return
    live, stable = live_recording_resumable(submission_id=submission_id)
    vocabulary = submission_vocabulary(submission_id=submission_id)
    with heartbeat(submission_id=submission_id, worker=worker):
        try:
            reporter = _ProgressReporter(submission_id, first_index=len(stable))
            if live is None:
                result = speech_transcribe(
                    Path(recording.file.path),
                    reporter,
                    on_segment=reporter.on_segment,
                    vocabulary=vocabulary,
                    max_seconds=(
                        recording_max_seconds()
                        if recording.source == AudioRecording.Source.RECORDING
                        else None
                    ),
                )
            else:
                # Recorded in the page and decoded while it was made: only the audio after
                # the last piece decoded for good is left.
                result = speech_transcribe_after(
                    Path(recording.file.path),
                    from_s=live.stable_until_s,
                    before=[_speech_segment(segment) for segment in stable],
                    detected_language=live.detected_language or None,
                    language_probability=live.language_probability,
                    max_seconds=recording_max_seconds(),
                    on_progress=reporter,
                    on_segment=reporter.on_segment,
                    vocabulary=vocabulary,
                )
        except JobCancelled:
            logger.info("transcription of submission %s cancelled", submission_id)
            return
        except SoftTimeLimitExceeded:
            submission_fail(submission_id=submission_id, reason=REASON_TOO_LONG)
            return
        except TRANSIENT_ERRORS:
            raise  # a passing database error (the progress report): retried with backoff
        except Exception:
            logger.exception("transcription of submission %s failed", submission_id)
            submission_fail(submission_id=submission_id, reason=REASON_SPEECH_MODEL_ERROR)
            return
        speakers = _speakers(submission_id, recording, result) if recording.speakers else None
    transcript_record(submission_id=submission_id, result=result, speakers=speakers)


def _speech_segment(segment: LiveSegment) -> SpeechSegment:
    """A live segment decoded for good, as the speech model gave it."""
    words = [
        Word(
            float(w["start"]),
            float(w["end"]),
            str(w["word"]),
            float(w.get("probability") or 0.0),
            w.get("confidence"),
            w.get("uncertain"),
        )
        for w in segment.words or []
    ]
    return SpeechSegment(segment.start, segment.end, segment.text, words)


def _speakers(
    submission_id: int, recording: AudioRecording, result: SpeechTranscript
) -> list[str] | None:
    """The speaker of each segment, when the upload asked for them. A failure here costs the
    speakers only: the transcript is stored without them."""
    started = time.monotonic()
    try:
        labels = speech_speakers(Path(recording.file.path), result, recording.speakers)
    except SoftTimeLimitExceeded:
        logger.warning("speakers of submission %s: out of time, none stored", submission_id)
        return None
    except Exception:
        logger.exception("speakers of submission %s failed, none stored", submission_id)
        return None
    logger.info(
        "speakers of submission %s: %s found in %.1f s",
        submission_id,
        len(set(labels)),
        time.monotonic() - started,
    )
    return labels


@shared_task(
    name=jobs.CLASSIFY_TRANSCRIPT,
    acks_late=True,
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=3,
)
def classify_transcript_task(transcript_id: int, version: int) -> None:
    """The register of a transcript, whole and per segment, for one version of its text."""
    transcript = Transcript.objects.filter(pk=transcript_id).select_related("submission").first()
    if transcript is None or transcript.version != version:
        return  # deleted, or corrected again since: the newer version has its own task
    # Only the segments a correction changed (all of them the first time): the others' register
    # has not changed, and re-predicting them would pile up identical rows.
    segments = segments_to_classify(transcript=transcript)
    texts = [transcript.submission.text, *[segment.text for segment in segments]]
    try:
        # Without explanations: the page of a recording does not show deciding words, and they
        # cost several times the model's own time while the person waits for the label. The
        # API (?explain=1) and exports compute them when they are asked for.
        [whole, *parts], latency_ms = register_classify_many(texts, explain=False)
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        logger.exception("classification of transcript %s failed", transcript_id)
        submission_fail(submission_id=transcript.submission_id, reason=REASON_MODEL_ERROR)
        return
    transcript_predictions_record(
        transcript_id=transcript_id,
        version=version,
        whole=whole,
        segments=[(segment.index, part) for segment, part in zip(segments, parts, strict=True)],
        latency_ms=latency_ms,
    )


@shared_task(
    name=jobs.CLASSIFY_LIVE_SEGMENTS,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=3,
)
def classify_live_segments_task(submission_id: int) -> int:
    """The register of the segments decoded so far, while the recording is transcribed.

    Without explanations (the register of the stored transcript follows, and is what counts);
    one call for every segment still unlabelled, so a job queued behind another finds nothing
    left to do. Returns how many were labelled.
    """
    segments = live_segments_to_classify(submission_id=submission_id)
    if not segments:
        return 0
    try:
        predictions, _latency_ms = register_classify_many(
            [segment.text for segment in segments], explain=False
        )
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        # Only the early label is lost: the transcript's own classification follows.
        logger.exception("live register of submission %s failed", submission_id)
        return 0
    return live_segments_label(labelled=list(zip(segments, predictions, strict=True)))


@shared_task(name=jobs.AUDIO_PURGE_EXPIRED, acks_late=True, soft_time_limit=300, time_limit=360)
def audio_purge_expired_task() -> int:
    """Run by Celery beat: recordings are not kept longer than AUDIO_RETENTION_HOURS."""
    # Recordings abandoned mid-way first: their audio goes now, not after the retention period.
    abandoned = recordings_abandoned_expire()
    if abandoned:
        logger.info("expired %s recordings abandoned while being made", abandoned)
    deleted = audio_purge_expired()
    if deleted:
        logger.info("deleted %s expired recordings", deleted)
    return deleted + abandoned


@worker_process_init.connect
def _warm_up_models(**_kwargs: Any) -> None:
    # After fork, in each child: models are loaded once per process, never in the parent (the
    # inference libraries are not fork-safe). In a thread, so the child reports ready at once.
    names = settings.PARLURE_WARM_UP_MODELS
    if names:
        threading.Thread(target=models_warm_up, args=(names,), name="warm-up", daemon=True).start()


@shared_task(name=jobs.RECONCILE, soft_time_limit=50, time_limit=60)
def jobs_reconcile_task() -> int:
    """Run by Celery beat, and once by each worker as it starts: send lost jobs again."""
    return jobs_reconcile().total


@worker_ready.connect
def _reconcile_at_start(**_kwargs: Any) -> None:
    # A worker that starts after a crash (its own, or the broker's) sends the lost jobs at once
    # instead of waiting for beat. Through the queue, so this process's start is not delayed.
    try:
        jobs.job_send(jobs.RECONCILE)
    except jobs.JobQueueUnavailable:
        logger.warning("the broker is unreachable: no reconciliation at start")
