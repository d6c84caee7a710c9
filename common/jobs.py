"""The Celery jobs, by name: a service queues a job without importing the code that runs it.

The tasks live in ``pipeline`` (above the apps whose services queue them), so the services name
them by string, as the style notes ask. The names are those the tasks always had, so messages
already queued and the routes in portal/celery.py keep working.
"""

from celery import current_app
from django.db import transaction

CLASSIFY_SUBMISSION = "annotation.tasks.classify_submission_task"
TRANSCRIBE_SUBMISSION = "annotation.tasks.transcribe_submission_task"
CLASSIFY_TRANSCRIPT = "annotation.tasks.classify_transcript_task"
AUDIO_PURGE_EXPIRED = "annotation.tasks.audio_purge_expired_task"
IMPORT_BATCH_CLASSIFY = "corpora.tasks.import_batch_classify_task"


def job_send(name: str, *args: int) -> None:
    """Send the job now, to the queue its name is routed to."""
    current_app.send_task(name, args=args)


def job_enqueue(name: str, *args: int) -> None:
    """Send the job once the current transaction commits: before, a fast worker would not find
    the row it is about."""
    transaction.on_commit(lambda: job_send(name, *args))
