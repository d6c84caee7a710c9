"""No job lost, none stuck: send again the jobs whose message is gone.

The database holds every job's state; the broker only holds messages, and messages get lost:

- a worker dies whole (out of memory, a container killed): its job stays ``transcribing`` or
  ``classifying`` and its message waits unacknowledged in Redis until the visibility timeout
  (30 minutes);
- the broker restarts without persistence: every queued message is gone, the rows stay
  ``queued``;
- the broker was down when a job was saved: its message was never sent.

``jobs_reconcile`` finds them and sends them again. Celery beat runs it every
PARLURE_RECONCILE_EVERY_SECONDS, and each worker runs it once when it starts. Sending twice is
safe: tasks claim their row (``annotation.services.submission_start``), a duplicate message for
a job another live worker holds is dropped, and results are recorded once. Re-sent jobs count
against PARLURE_MAX_ATTEMPTS when they start, so a job that kills its workers ends ``failed``
with a reason a person can read.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from annotation.models import Submission, Transcript
from annotation.workers import submission_queue
from common import jobs

logger = logging.getLogger(__name__)

QUEUES = {Submission.Kind.TEXT: "nlp", Submission.Kind.AUDIO: "asr"}


@dataclass(frozen=True)
class Reconciled:
    queued_resent: int = 0
    running_resent: int = 0
    batches_resent: int = 0

    @property
    def total(self) -> int:
        return self.queued_resent + self.running_resent + self.batches_resent


def jobs_reconcile(*, now: datetime.datetime | None = None) -> Reconciled:
    """Send again every job that is queued with no message left, or running with no live worker."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.PARLURE_JOB_LEASE_SECONDS)
    queued_after = datetime.timedelta(seconds=settings.PARLURE_RESEND_QUEUED_AFTER_SECONDS)
    running = _running_lost(now - lease)
    queued = _queued_lost(now - queued_after)
    batches = _batches_lost(now - lease, now - queued_after)
    result = Reconciled(
        queued_resent=sum(_resend(s, now) for s in queued),
        running_resent=sum(_resend(s, now) for s in running),
        batches_resent=sum(_resend_batch(batch_id) for batch_id in batches),
    )
    if result.total:
        logger.warning(
            "reconciler: sent again %s queued job(s), %s running job(s) whose worker is gone, "
            "%s import(s)",
            result.queued_resent,
            result.running_resent,
            result.batches_resent,
        )
    return result


def _single_jobs() -> QuerySet[Submission]:
    # An import's texts are classified by the import's own job, by chunks: see _batches_lost.
    return Submission.objects.filter(batch__isnull=True)


def _running_lost(silent_since: datetime.datetime) -> list[Submission]:
    """Jobs in progress whose holder went silent past its lease.

    The first time, the job is sent again at once, and unclaimed (``claimed_by`` emptied) to say
    so. Still silent after that, it is sent again only when its queue holds no message (the copy
    may still be waiting there): copies sent every lease would keep a busy queue full, and a full
    queue hides the queued jobs whose messages are gone (``_queued_lost`` waits for it to empty).
    """
    silent = _single_jobs().filter(
        Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent_since),
        status__in=Submission.ACTIVE_STATUSES,
    )
    lost = list(silent.exclude(claimed_by=""))
    sent_before = list(silent.filter(claimed_by=""))
    if sent_before:
        drained = {queue for queue in set(QUEUES.values()) if jobs.queue_length(queue) in (0, None)}
        lost += [job for job in sent_before if submission_queue(job) in drained]
    return lost


def _queued_lost(sent_before: datetime.datetime) -> list[Submission]:
    """Queued jobs sent long ago whose queue holds no message any more.

    When the queue still holds messages, the job's may be among them: it is left alone until the
    queue drains. A broker that cannot tell its queue's length (not Redis) gets the job sent again
    after the delay; the duplicate is dropped by the claim.
    """
    stale = _single_jobs().filter(
        Q(heartbeat_at__lt=sent_before) | Q(heartbeat_at__isnull=True, created_at__lt=sent_before),
        status=Submission.Status.QUEUED,
    )
    lost = []
    for kind, queue in QUEUES.items():
        waiting = jobs.queue_length(queue)
        if waiting is None or waiting == 0:
            lost += list(stale.filter(kind=kind))
    return lost


def _batches_lost(silent_since: datetime.datetime, sent_before: datetime.datetime) -> list[int]:
    """Imports with texts left to classify and no message of theirs waiting."""
    if jobs.queue_length(QUEUES[Submission.Kind.TEXT]) not in (0, None):
        return []
    pending = Submission.objects.filter(batch__isnull=False).filter(
        Q(status=Submission.Status.QUEUED, created_at__lt=sent_before)
        | Q(status=Submission.Status.CLASSIFYING, started_at__lt=silent_since)
    )
    return sorted(set(pending.values_list("batch_id", flat=True)))


def _resend(submission: Submission, now: datetime.datetime) -> int:
    """Send the job's next step again; 1 when sent. The row's heartbeat records the sending."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().filter(pk=submission.pk).first()
        if locked is None or locked.is_finished or locked.status != submission.status:
            return 0  # it moved on meanwhile
        locked.heartbeat_at = now
        locked.claimed_by = ""  # a job in progress is nobody's until a worker claims it again
        locked.save(update_fields=["heartbeat_at", "claimed_by"])
        name, args = _next_step(locked)
        jobs.job_enqueue(name, *args)
    return 1


def _next_step(submission: Submission) -> tuple[str, tuple[int, ...]]:
    if submission.kind == Submission.Kind.TEXT:
        return jobs.CLASSIFY_SUBMISSION, (submission.pk,)
    transcript = Transcript.objects.filter(submission=submission).first()
    if transcript is None:
        return jobs.TRANSCRIBE_SUBMISSION, (submission.pk,)
    # Transcribed: the register of the current version is missing (recording it finishes the
    # job). A duplicate of a message still queued is dropped by the task.
    return jobs.CLASSIFY_TRANSCRIPT, (transcript.pk, transcript.version)


def _resend_batch(batch_id: int) -> int:
    jobs.job_send(jobs.IMPORT_BATCH_CLASSIFY, batch_id)
    return 1
