"""The job of an import: thin glue around corpora.services.imports.

One task per batch, not one per text: each run claims a chunk of the batch's queued texts,
queues the next run at once (so that a second worker can take the next chunk meanwhile), and
classifies its chunk with one model call. It is safe to run twice or concurrently: claims skip
rows another worker holds, and predictions are recorded by the single job's write path, which
ignores a finished submission.
"""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from annotation.services import REASON_MODEL_ERROR, REASON_TOO_LONG, submission_fail
from common import jobs
from corpora.selectors import batch_texts_running
from corpora.services.imports import import_batch_chunk_claim

from ..classification import register_classify_many
from ..results import predictions_record
from .submissions import TRANSIENT_ERRORS

logger = logging.getLogger(__name__)

# A chunk (at most PARLURE_IMPORT_CHUNK_SIZE texts and PARLURE_IMPORT_CHUNK_MAX_WORDS words, or
# one longer text) is one batched model call without explanations: seconds; the limits leave
# room for a busy machine. A text still running after the hard limit
# belongs to a worker that died.
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300
STALE_AFTER = timedelta(seconds=TIME_LIMIT + 60)


@shared_task(
    name=jobs.IMPORT_BATCH_CLASSIFY,
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=3,
)
def import_batch_classify_task(batch_id: int) -> int:
    """Classify the next chunk of an import's texts; returns how many were classified."""
    chunk = import_batch_chunk_claim(
        batch_id=batch_id,
        size=settings.PARLURE_IMPORT_CHUNK_SIZE,
        max_words=settings.PARLURE_IMPORT_CHUNK_MAX_WORDS,
        stale_after=STALE_AFTER,
    )
    if not chunk:
        if batch_texts_running(batch_id=batch_id):
            # Other runs hold the last chunks; come back once a dead worker's would be stale.
            import_batch_classify_task.apply_async((batch_id,), countdown=STALE_AFTER.seconds)
        return 0
    import_batch_classify_task.delay(batch_id)
    try:
        # No explanations: nobody asked yet; opening a result, the API's ?explain=1 or an export
        # with explanations computes them (pipeline.explanations).
        results, latency_ms = register_classify_many(
            [submission.text for submission in chunk], explain=False
        )
    except SoftTimeLimitExceeded:
        for submission in chunk:
            submission_fail(submission_id=submission.pk, reason=REASON_TOO_LONG)
        return 0
    except Exception:
        # A model error is deterministic for these inputs: retrying would fail the same way.
        logger.exception("classification of a chunk of import %s failed", batch_id)
        for submission in chunk:
            submission_fail(submission_id=submission.pk, reason=REASON_MODEL_ERROR)
        return 0
    # The model ran them together: each text gets its share of the time. One transaction for
    # the chunk: a commit per text cost about as much as the model itself.
    predictions_record(
        results=[
            (submission.pk, result) for submission, result in zip(chunk, results, strict=True)
        ],
        latency_ms=round(latency_ms / len(chunk)),
    )
    return len(chunk)
