"""A recording decoded while it is being made (annotation.services.recording).

Each chunk stored queues ``live_decode_task`` (at most one waits per recording): it decodes, for
good, the audio from the last cut to the last pause that is over, and keeps its segments as
live segments, whose register the nlp worker reads as usual. Losing one (a worker or broker
that dies) costs time only: the next chunk queues another, and the transcription after the stop
decodes whatever was not decoded for good.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from annotation.selectors import submission_vocabulary
from annotation.services import live_decode_claim, live_piece_store, recording_max_seconds
from common import jobs

from ..classification import speech_decode_stable
from .submissions import TRANSIENT_ERRORS

logger = logging.getLogger(__name__)


@shared_task(
    name=jobs.LIVE_DECODE,
    acks_late=True,
    # A piece is a few seconds of speech (about 2 s to decode on two cores); a piece whose
    # decode falls back to higher temperatures takes several times that.
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=2,
)
def live_decode_task(submission_id: int) -> bool:
    """Decode the next piece of a recording in progress. True when one was stored."""
    claim = live_decode_claim(submission_id=submission_id)
    if claim is None:
        return False  # stopped, cancelled or gone: the transcription takes over
    try:
        decoded = speech_decode_stable(
            claim.path,
            from_s=claim.stable_until_s,
            max_seconds=recording_max_seconds(),
            detect_language=claim.detect_language,
            vocabulary=submission_vocabulary(submission_id=submission_id),
        )
    except TRANSIENT_ERRORS:
        raise
    except (SoftTimeLimitExceeded, Exception):
        # The file may have been replaced (the recording stopped), or the piece cannot be
        # decoded: the transcription after the stop decodes that audio itself.
        logger.warning("live decode of recording %s failed", submission_id, exc_info=True)
        return False
    if decoded is None:
        return False
    until_s, result = decoded
    return live_piece_store(
        submission_id=submission_id,
        from_s=claim.stable_until_s,
        until_s=until_s,
        segments=result.segments,
        detected_language=result.detected_language,
        language_probability=result.language_probability,
    )
