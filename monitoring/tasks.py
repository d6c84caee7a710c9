"""Celery beat job of the monitoring app (schedule in portal/celery.py)."""

from celery import shared_task

from .services import alert_check


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60)
def alert_check_task() -> bool:
    """Every minute: raise (and e-mail, once per window) the rejected-predictions alert."""
    return alert_check() is not None
