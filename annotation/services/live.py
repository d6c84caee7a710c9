"""Segments shown while a recording is transcribed: each one as soon as the speech model has
decoded it, then with its register as soon as the register worker has read it.

They only make the wait shorter: the transcript stored at the end (``transcript_record``) is
what counts, and replaces them. So a live segment that cannot be labelled (the broker is down,
the register worker is busy or fails) costs nothing but the early label.
"""

import logging
from collections.abc import Sequence

from django.db import transaction

from annotation.models import LiveSegment, Submission
from common import jobs
from parlure_ml.register import RegisterPrediction
from parlure_ml.speech.transcriber import Segment as SpeechSegment

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
