"""The Celery jobs, by name: a service queues a job without importing the code that runs it.

The tasks live in ``pipeline`` (above the apps whose services queue them), so the services name
them by string, as the style notes ask. The names are those the tasks always had, so messages
already queued and the routes in portal/celery.py keep working.

Sending can fail when the broker is down. The job's row is already saved by then (jobs are sent
once their transaction commits), so nothing is lost: ``JobQueueUnavailable`` tells the person
so (a 503, portal.middleware), and ``pipeline.reconciler`` sends the job again once the broker
is back.
"""

import logging
import os
import socket

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

CLASSIFY_SUBMISSION = "annotation.tasks.classify_submission_task"
TRANSCRIBE_SUBMISSION = "annotation.tasks.transcribe_submission_task"
CLASSIFY_TRANSCRIPT = "annotation.tasks.classify_transcript_task"
CLASSIFY_LIVE_SEGMENTS = "pipeline.tasks.classify_live_segments_task"
LIVE_DECODE = "pipeline.tasks.live_decode_task"
AUDIO_PURGE_EXPIRED = "annotation.tasks.audio_purge_expired_task"
IMPORT_BATCH_CLASSIFY = "corpora.tasks.import_batch_classify_task"
RECONCILE = "pipeline.tasks.jobs_reconcile_task"
EXPLAIN_PREDICTION = "pipeline.tasks.prediction_explain_task"
SHADOW_PREDICT = "pipeline.tasks.shadow_predict_task"

# The queues (portal/celery.py): text work, speech, retraining, challengers in shadow.
QUEUES = ("nlp", "asr", "training", "shadow")


class JobQueueUnavailable(Exception):
    """The broker refused a job; its row is saved and the reconciler will send it again."""


def job_send(name: str, *args: int, countdown: float | None = None) -> None:
    """Send the job now (to run at once, or `countdown` seconds from now), to the queue its
    name is routed to."""
    try:
        current_app.send_task(name, args=args, countdown=countdown)
    except (BrokerError, OSError) as error:
        logger.warning("job %s%s not sent, the broker is unreachable: %s", name, args, error)
        raise JobQueueUnavailable(name) from error


def job_enqueue(name: str, *args: int) -> None:
    """Send the job once the current transaction commits: before, a fast worker would not find
    the row it is about."""
    transaction.on_commit(lambda: job_send(name, *args))


def worker_identity() -> str:
    """This process as a job's holder: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """True when `holder` is a process of this host that no longer runs (its worker died).

    A holder on another host cannot be checked from here: its lease tells (the reconciler).
    """
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def queue_length(queue: str) -> int | None:
    """Messages waiting in `queue`, when the broker can say (Redis); None otherwise."""
    try:
        with current_app.connection_for_read() as connection:
            client = getattr(connection.default_channel, "client", None)
            if client is None or not hasattr(client, "llen"):
                return None
            return int(client.llen(queue))
    except (BrokerError, OSError) as error:
        logger.warning("queue %s: length unknown, the broker is unreachable: %s", queue, error)
        return None
