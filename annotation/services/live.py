"""Segments shown while a recording is transcribed: each one as soon as the speech model has
decoded it, then with its register as soon as the register worker has read it.

They only make the wait shorter: the transcript stored at the end (``transcript_record``) is
what counts, and replaces them. So a live segment that cannot be labelled (the broker is down,
the register worker is busy or fails) costs nothing but the early label.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from annotation.models import AudioRecording, LiveRecording, LiveSegment, Submission
from common import jobs
from parlure_ml.register import RegisterPrediction
from parlure_ml.speech.transcriber import Segment as SpeechSegment
from parlure_ml.speech.transcriber import Word

logger = logging.getLogger(__name__)


def live_segment_add(*, submission_id: int, index: int, segment: SpeechSegment) -> bool:
    """Store a segment the speech model has just decoded, and queue its register.

    Returns False when the job should stop (cancelled, or the submission is gone). A segment
    stored already (a job delivered again decodes the same audio again) is left as it is.
    """
    if not Submission.objects.filter(
        pk=submission_id, status=Submission.Status.TRANSCRIBING
    ).exists():
        return False
    text = " ".join(segment.text.split())
    if not text:
        return True
    _, created = LiveSegment.objects.get_or_create(
        submission_id=submission_id,
        index=index,
        defaults={"start": segment.start, "end": segment.end, "text": text},
    )
    if created:
        transaction.on_commit(lambda: _live_register_send(submission_id))
    return True


def words_stored(words: Sequence[Word]) -> list[dict[str, Any]]:
    """The speech model's words as segments store them (Segment.words, LiveSegment.words)."""
    return [
        {
            "start": w.start,
            "end": w.end,
            "word": w.word,
            "probability": w.probability,
            "confidence": w.confidence,
            "uncertain": bool(w.uncertain),
        }
        for w in words
    ]


@dataclass(frozen=True)
class LiveDecode:
    """What a live decode of a recording in progress starts from."""

    path: Path
    stable_until_s: float
    detect_language: bool  # the first piece: the language detector runs on it


# The states in which the pieces decoded for good are kept: while recording, and once stopped
# until a worker starts its transcription (which then reads them).
_PIECES_KEPT = (Submission.Status.RECORDING, Submission.Status.QUEUED)


@transaction.atomic
def live_decode_claim(*, submission_id: int) -> LiveDecode | None:
    """A live decode starts: the next chunk may queue another. None: nothing to decode (the
    recording stopped, was cancelled, or has no audio yet)."""
    live = LiveRecording.objects.select_for_update().filter(submission_id=submission_id).first()
    if live is None:
        return None
    if live.decode_queued_at is not None:
        live.decode_queued_at = None
        live.save(update_fields=["decode_queued_at"])
    status = Submission.objects.values_list("status", flat=True).get(pk=submission_id)
    recording = AudioRecording.objects.filter(submission_id=submission_id).first()
    if status != Submission.Status.RECORDING or recording is None or not recording.is_available:
        return None
    return LiveDecode(
        path=Path(recording.file.path),
        stable_until_s=live.stable_until_s,
        detect_language=not live.detected_language,
    )


@transaction.atomic
def live_piece_store(
    *,
    submission_id: int,
    from_s: float,
    until_s: float,
    segments: Sequence[SpeechSegment],
    detected_language: str | None = None,
    language_probability: float | None = None,
) -> bool:
    """Keep the segments of a piece decoded for good (the audio from `from_s` to `until_s`) as
    live segments, and queue their register. Dropped (False) when another decode stored that
    piece first, or when the transcription after the stop has begun (it decodes that audio
    itself)."""
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None or submission.status not in _PIECES_KEPT:
        return False
    live = LiveRecording.objects.get(submission=submission)
    if abs(live.stable_until_s - from_s) > 1e-6 or until_s <= from_s:
        return False
    first = live.stable_segments
    spoken = [(segment, " ".join(segment.text.split())) for segment in segments]
    stored = LiveSegment.objects.bulk_create(
        LiveSegment(
            submission=submission,
            index=first + offset,
            start=segment.start,
            end=segment.end,
            text=text,
            words=words_stored(segment.words),
        )
        for offset, (segment, text) in enumerate((s, t) for s, t in spoken if t)
    )
    live.stable_until_s = until_s
    live.stable_segments = first + len(stored)
    if detected_language and not live.detected_language:
        live.detected_language = detected_language
        live.language_probability = language_probability
    live.save(
        update_fields=[
            "stable_until_s",
            "stable_segments",
            "detected_language",
            "language_probability",
        ]
    )
    if stored:
        transaction.on_commit(lambda: _live_register_send(submission_id))
    return True


def _live_register_send(submission_id: int) -> None:
    try:
        jobs.job_send(jobs.CLASSIFY_LIVE_SEGMENTS, submission_id)
    except jobs.JobQueueUnavailable:
        # Only the early label is lost; the transcription goes on.
        logger.warning("live register of submission %s not queued: no broker", submission_id)


def live_segments_label(*, labelled: Sequence[tuple[LiveSegment, RegisterPrediction]]) -> int:
    """Record the register of live segments; one labelled already keeps its label (two jobs
    for the same segments, the first one wins). Returns how many were labelled."""
    count = 0
    for segment, prediction in labelled:
        count += LiveSegment.objects.filter(pk=segment.pk, label="").update(
            label=prediction.label,
            uncertain=prediction.uncertain,
            scores={label: round(float(p), 4) for label, p in prediction.scores.items()},
        )
    return count
