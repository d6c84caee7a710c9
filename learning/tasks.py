"""Retraining runs on their own queue ("training"), so hours of classification never wait on it."""

from celery import shared_task

from .services import retraining_execute, retraining_if_due


@shared_task(acks_late=True, soft_time_limit=45 * 60, time_limit=50 * 60)
def retraining_task(run_id: int) -> None:
    retraining_execute(run_id=run_id)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def retraining_check_task() -> int | None:
    """Run by Celery beat: start a retraining when enough new corrections are accepted."""
    run = retraining_if_due()
    return run.pk if run else None
