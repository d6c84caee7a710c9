"""A challenger scores a live prediction's text in shadow, after the champion has answered."""

import datetime
import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from annotation.models import Prediction
from annotation.selectors import prediction_text, register_model_busy
from common import jobs
from learning.models import ModelVersion, ShadowPrediction
from learning.shadow import shadow_prediction_record

from ..classification import challenger_classify

logger = logging.getLogger(__name__)

# How often a waiting shadow job asks whether the champion is idle, and how long it waits in one
# job (below the soft time limit) before sending itself again.
POLL_SECONDS = 0.5
WAIT_IN_JOB_SECONDS = 120.0


@shared_task(
    name=jobs.SHADOW_PREDICT,
    acks_late=True,
    soft_time_limit=180,
    time_limit=210,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=3,
)
def shadow_predict_task(prediction_id: int, model_version_id: int) -> None:
    """Safe to run twice: a stored answer, a deleted prediction, or a version no longer in
    shadow (or made champion since) ends the job at once.

    The shadow must not slow the champion's answers: it waits until the champion has been idle
    for PARLURE_SHADOW_IDLE_SECONDS instead of taking the CPU from the next text (for up to
    PARLURE_SHADOW_MAX_WAIT_SECONDS after the answer). The shadow worker runs one job at a time,
    so one waiting job holds the others back and the database is asked twice a second.
    """
    if ShadowPrediction.objects.filter(
        prediction_id=prediction_id, model_version_id=model_version_id
    ).exists():
        return
    version = ModelVersion.objects.filter(
        pk=model_version_id, shadow_share__gt=0, is_champion=False
    ).first()
    prediction = Prediction.objects.filter(pk=prediction_id).select_related("submission").first()
    if version is None or prediction is None:
        return
    if not _champion_idle(prediction.created_at):
        # Still busy after a while in this job: sent again for later, which frees the worker
        # for a restart; yielding is not a failure and has no retry budget.
        try:
            jobs.job_send(
                jobs.SHADOW_PREDICT,
                prediction_id,
                model_version_id,
                countdown=max(settings.PARLURE_SHADOW_IDLE_SECONDS, 1.0),
            )
        except jobs.JobQueueUnavailable:
            logger.warning("shadow job for prediction %s dropped", prediction_id)
        return
    text = prediction_text(prediction=prediction)
    try:
        result, latency_ms = challenger_classify(version.version, text)
    except Exception:
        # Nobody waits for a shadow answer: a challenger that cannot load or run is logged and
        # left; the champion's answer is not touched.
        logger.exception("shadow prediction of %s by version %s failed", prediction_id, version)
        return
    shadow_prediction_record(
        prediction_id=prediction_id,
        model_version_id=model_version_id,
        result=result,
        latency_ms=latency_ms,
    )


def _champion_idle(answered_at: datetime.datetime) -> bool:
    """Wait in this job (one database question every POLL_SECONDS, not a message each time)
    until the champion has been idle for PARLURE_SHADOW_IDLE_SECONDS; True when it is, or when
    the answer is older than PARLURE_SHADOW_MAX_WAIT_SECONDS (then the shadow runs anyway);
    False after WAIT_IN_JOB_SECONDS of waiting here."""
    idle = settings.PARLURE_SHADOW_IDLE_SECONDS
    give_up = time.monotonic() + WAIT_IN_JOB_SECONDS
    deadline = answered_at + datetime.timedelta(seconds=settings.PARLURE_SHADOW_MAX_WAIT_SECONDS)
    while register_model_busy(idle_seconds=idle) and timezone.now() < deadline:
        if time.monotonic() >= give_up:
            return False
        time.sleep(POLL_SECONDS)
    return True
