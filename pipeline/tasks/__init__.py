"""Celery tasks: thin glue that re-fetches by id, claims the row, and calls services.

Each task keeps the name it had before it moved here (``common.jobs``), so messages already
queued, the routes and the beat schedule in portal/celery.py keep working.
"""

from .explanations import prediction_explain_task
from .imports import import_batch_classify_task
from .live import live_decode_task
from .shadow import shadow_predict_task
from .submissions import (
    audio_purge_expired_task,
    classify_submission_task,
    classify_transcript_task,
    jobs_reconcile_task,
    transcribe_submission_task,
)

__all__ = [
    "audio_purge_expired_task",
    "classify_submission_task",
    "classify_transcript_task",
    "import_batch_classify_task",
    "jobs_reconcile_task",
    "live_decode_task",
    "prediction_explain_task",
    "shadow_predict_task",
    "transcribe_submission_task",
]
