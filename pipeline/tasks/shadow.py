"""A challenger scores a live prediction's text in shadow, after the champion has answered."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from annotation.models import Prediction
from annotation.selectors import prediction_text
from common import jobs
from learning.models import ModelVersion, ShadowPrediction
from learning.shadow import shadow_prediction_record

from ..classification import challenger_classify

logger = logging.getLogger(__name__)


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
    shadow (or made champion since) ends the job at once."""
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
