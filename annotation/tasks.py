"""Celery tasks: thin glue that re-fetches by id, claims the row, and calls services.

Tasks are safe to run twice: a finished submission is left alone, and a result is recorded under a
row lock, so a re-delivered message (late acknowledgement after a worker died) never records a
second prediction.
"""

import logging
import threading
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .classification import register_classify, register_warm_up
from .services import (
    REASON_MODEL_ERROR,
    REASON_TOO_LONG,
    prediction_record,
    submission_fail,
    submission_start,
)

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    # Only transient infrastructure errors are retried; anything else fails the job at once.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=3,
)
def classify_submission_task(submission_id: int) -> None:
    submission = submission_start(submission_id=submission_id)
    if submission is None:
        return
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


@worker_process_init.connect
def _warm_up_models(**_kwargs: Any) -> None:
    # After fork, in each child: the model is loaded once per process, never in the parent (the
    # inference libraries are not fork-safe). In a thread, so the child reports ready at once.
    if getattr(settings, "PARLURE_WARM_UP_MODELS", True):
        threading.Thread(target=register_warm_up, name="warm-up", daemon=True).start()
