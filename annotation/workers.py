"""Why a job in progress may wait forever: no worker on its queue, or stalled in it."""

from typing import TypedDict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.workers import worker_health

from .models import Submission

# Which queue a job waits on: text on nlp; audio on asr until transcribed, then on nlp.
QUEUE_NLP = "nlp"
QUEUE_ASR = "asr"


class WorkerWarning(TypedDict):
    code: str  # "no_worker": nobody consumes the queue; "stalled": queued for too long
    queue: str
    message: str
    hint: str  # for staff only; empty for everyone else


def submission_queue(submission: Submission) -> str:
    """The queue a job in progress waits on, or runs on, now."""
    if submission.kind == Submission.Kind.AUDIO:
        return QUEUE_NLP if submission.status == Submission.Status.CLASSIFYING else QUEUE_ASR
    return QUEUE_NLP


def submission_worker_warning(*, submission: Submission, user: User) -> WorkerWarning | None:
    """Why a job in progress may wait forever, or None when it should go on normally.

    Cheap: nothing is asked for a finished job or during its first seconds, and the workers'
    answer is cached (worker_health).
    """
    if submission.is_finished:
        return None
    waited = (timezone.now() - submission.created_at).total_seconds()
    if waited < settings.PARLURE_WORKER_CHECK_AFTER_SECONDS:
        return None
    queue = submission_queue(submission)
    health = worker_health()
    consumers = health.consumers(queue)
    if not consumers:
        hint = _(
            "Staff: no worker consumes the “%(queue)s” queue. Start one (make worker, or "
            "docker compose up -d worker-%(queue)s)."
        ) % {"queue": queue}
        return {
            "code": "no_worker",
            "queue": queue,
            "message": _("No worker is running right now; your job will start when one is back."),
            "hint": hint if user.is_staff else "",
        }
    if (
        submission.status == Submission.Status.QUEUED
        and waited > settings.PARLURE_STALLED_AFTER_SECONDS
    ):
        hint = _(
            "Staff: %(workers)s worker(s) answer on the “%(queue)s” queue, yet this job has "
            "waited %(seconds)s s. See the monitoring page."
        ) % {"workers": len(consumers), "queue": queue, "seconds": int(waited)}
        message = _(
            "Your job has been waiting longer than usual (%(minutes)s min): the workers are busy "
            "or stuck. It will start as soon as one is free."
        ) % {"minutes": int(waited // 60)}
        return {
            "code": "stalled",
            "queue": queue,
            "message": message,
            "hint": hint if user.is_staff else "",
        }
    return None
