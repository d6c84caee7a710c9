"""Celery beat jobs of the monitoring app (schedule in portal/celery.py)."""

from celery import shared_task

from .drift import drift_check
from .services import alert_check


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60)
def alert_check_task() -> bool:
    """Every minute: raise (and e-mail, once per window) the rejected-predictions alert."""
    return alert_check() is not None


@shared_task(acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def drift_check_task() -> str:
    """Every PARLURE_DRIFT_CHECK_MINUTES: compare live texts with the champion's profile."""
    return drift_check().status
