"""The job of an explanation asked for later: thin glue around pipeline.explanations."""

from celery import shared_task

from common import jobs

from ..explanations import prediction_explain
from .submissions import TRANSIENT_ERRORS


@shared_task(
    name=jobs.EXPLAIN_PREDICTION,
    acks_late=True,
    # One text, its words occluded one by one (at most EXPLAIN_MAX_WORDS): seconds.
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    max_retries=3,
)
def prediction_explain_task(prediction_id: int) -> bool:
    """Compute a prediction's missing explanations; idempotent (a no-op once stored)."""
    return prediction_explain(prediction_id=prediction_id)
