"""Every change to a submission or a prediction goes through these functions.

Each state change happens inside one transaction on a locked row, so that a duplicate task, a
duplicate click or a re-delivered message cannot record a result twice.
"""

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from annotation.access import Can, submission_allows
from annotation.models import LiveSegment, Prediction, Submission, Transcript
from annotation.predictions import PredictedSentence, sentences_dump
from common import jobs
from common.jobs import holder_is_gone, job_enqueue
from common.text import control_characters_strip

if TYPE_CHECKING:
    from corpora.models import Corpus
    from parlure_ml.register import RegisterPrediction

logger = logging.getLogger(__name__)

# Reasons are stored untranslated and translated when shown, in the reader's language.
REASON_TOO_LONG = gettext_noop("The job took longer than its time limit and was stopped.")
REASON_MODEL_ERROR = gettext_noop("The model could not process this text. The team has been told.")
REASON_WORKER_LOST = gettext_noop(
    "The worker processing this job stopped several times; the job was abandoned."
)


def text_clean(text: str) -> str:
    """Normalise a submitted text, or raise ValidationError with a message for the person."""
    text = control_characters_strip(text)
    if not text:
        raise ValidationError(_("Please type or paste a text to annotate."), code="empty")
    limit = settings.PARLURE_TEXT_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("The text is %(length)s characters long; the limit is %(limit)s characters."),
            code="too_long",
            params={"length": len(text), "limit": limit},
        )
    return text


def submission_create_text(
    *,
    user: User,
    text: str,
    client_token: uuid.UUID | None = None,
    corpus: "Corpus | None" = None,
) -> tuple[Submission, bool]:
    """Store a text and queue its classification. Returns (submission, created).

    A repeated ``client_token`` (a second click on the same form) returns the first submission.
    The caller has checked that the user may add to ``corpus`` (corpora.access).
    """
    text = text_clean(text)

    def create() -> Submission:
        submission = Submission.objects.create(
            user=user,
            kind=Submission.Kind.TEXT,
            text=text,
            client_token=client_token,
            corpus=corpus,
        )
        _enqueue_classification(submission)
        return submission

    submission, created = submission_create_once(
        user=user, client_token=client_token, create=create
    )
    if created:
        logger.info("submission %s created by user %s", submission.pk, user.pk)
    return submission, created


def submission_by_token(*, user: User, client_token: uuid.UUID | None) -> Submission | None:
    """The submission this person already sent with this token (a second click, a retry)."""
    if client_token is None:
        return None
    return Submission.objects.filter(user=user, client_token=client_token).first()


def submission_create_once(
    *, user: User, client_token: uuid.UUID | None, create: Callable[[], Submission]
) -> tuple[Submission, bool]:
    """`create()`'s submission, made in one transaction, once per ``client_token``: a repeated
    token returns the first submission, also when two requests race past the first look (the
    unique constraint stops the second). Returns (submission, created)."""
    existing = submission_by_token(user=user, client_token=client_token)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = submission_by_token(user=user, client_token=client_token)
        if existing is None:
            raise
        return existing, False  # two clicks raced past the look above; the other one won


def _enqueue_classification(submission: Submission) -> None:
    job_enqueue(jobs.CLASSIFY_SUBMISSION, submission.pk)


@transaction.atomic
def submission_start(
    *, submission_id: int, worker: str = "", takeover: bool = False
) -> Submission | None:
    """Claim a submission for processing by `worker` ("host:pid"). None: nothing (more) to do.

    The job enters its first state: transcribing for a recording with no transcript yet,
    classifying otherwise. A submission found transcribing or classifying is taken over, up to
    PARLURE_MAX_ATTEMPTS times, when its holder is gone: a process of this host that no longer
    runs (its worker died and late acknowledgement gave us its message), a holder silent past
    its lease (the reconciler sent it again), or `takeover` (the caller knows: a retry of our
    own, a stale import chunk). Otherwise another worker is on it and this message is a
    duplicate: None.
    """
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None or submission.is_finished:
        return None
    if submission.status == Submission.Status.RECORDING:
        return None  # still being recorded: its transcription is queued when it stops
    now = timezone.now()
    if submission.is_active and not (takeover or _holder_lost(submission, worker, now)):
        logger.info(
            "submission %s is running in %s: duplicate message",
            submission_id,
            submission.claimed_by,
        )
        return None
    if submission.attempts >= settings.PARLURE_MAX_ATTEMPTS:
        submission_mark_failed(submission, REASON_WORKER_LOST)
        return None
    submission.status = _first_state(submission)
    submission.attempts += 1
    submission.started_at = now
    submission.claimed_by = worker
    submission.heartbeat_at = now
    submission.save(
        update_fields=["status", "attempts", "started_at", "claimed_by", "heartbeat_at"]
    )
    return submission


def _first_state(submission: Submission) -> str:
    if submission.kind == Submission.Kind.AUDIO and not _has_transcript(submission):
        return Submission.Status.TRANSCRIBING
    return Submission.Status.CLASSIFYING


def _has_transcript(submission: Submission) -> bool:
    return Transcript.objects.filter(submission=submission).exists()


def _holder_lost(submission: Submission, worker: str, now: datetime.datetime) -> bool:
    if (
        not submission.claimed_by
        or submission.claimed_by == worker
        or holder_is_gone(submission.claimed_by)
    ):
        return True
    lease = datetime.timedelta(seconds=settings.PARLURE_JOB_LEASE_SECONDS)
    return submission.heartbeat_at is None or submission.heartbeat_at < now - lease


def submission_heartbeat(*, submission_id: int, worker: str) -> bool:
    """The job's holder is alive. False when the job is no longer this worker's to run."""
    return (
        Submission.objects.filter(
            pk=submission_id, status__in=Submission.ACTIVE_STATUSES, claimed_by=worker
        ).update(heartbeat_at=timezone.now())
        == 1
    )


def prediction_record(
    *, submission_id: int, result: "RegisterPrediction", latency_ms: int
) -> Prediction | None:
    """Store a model's output and finish the submission; a no-op (None) once it is finished.

    What follows a prediction in other apps (an uncertain label goes to review) is the caller's:
    ``pipeline.results.prediction_record``.
    """
    recorded = predictions_record(results=[(submission_id, result)], latency_ms=latency_ms)
    return recorded[0] if recorded else None


@transaction.atomic
def predictions_record(
    *, results: Sequence[tuple[int, "RegisterPrediction"]], latency_ms: int
) -> list[Prediction]:
    """Store the model's outputs for several submissions and finish their jobs, in one
    transaction with one lock, one insert and one update (an import's chunk of texts); the
    submissions already finished, or gone, are skipped. Returns the stored predictions in the
    order given."""
    ids = [submission_id for submission_id, _ in results]
    # Locked in id order, as every other path that locks several submissions should.
    locked = Submission.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    by_id = {submission.pk: submission for submission in locked}
    pending = []
    for submission_id, result in results:
        submission = by_id.pop(submission_id, None)  # pop: a repeated id is recorded once
        if submission is not None and not submission.is_finished:
            pending.append((submission, result))
    if not pending:
        return []
    predictions = Prediction.objects.bulk_create(
        Prediction(submission=submission, latency_ms=latency_ms, **prediction_values(result))
        for submission, result in pending
    )
    finished_at = timezone.now()
    for (submission, _result), prediction in zip(pending, predictions, strict=True):
        submission.current_prediction = prediction
        submission.status = Submission.Status.DONE
        submission.progress = 1.0  # a client polling a text job reads the same as for audio
        submission.failure_reason = ""
        submission.finished_at = finished_at
    Submission.objects.bulk_update(
        [submission for submission, _ in pending],
        ["current_prediction", "status", "progress", "failure_reason", "finished_at"],
    )
    return predictions


def prediction_values(result: "RegisterPrediction") -> dict[str, Any]:
    """The Prediction fields a model's output fills: one mapping for every write path."""
    return {
        "label": result.label,
        "top_label": result.top_label,
        "uncertain": result.uncertain,
        "scores": {label: round(float(p), 6) for label, p in result.scores.items()},
        "model_version": result.model_version,
        "sentences": sentences_dump(PredictedSentence.from_model(s) for s in result.sentences),
        # Bulk work classifies without explanations: null until someone asks for them.
        "explained_at": timezone.now() if result.explained else None,
    }


@transaction.atomic
def submission_fail(*, submission_id: int, reason: str) -> Submission | None:
    """Finish a submission as failed, with a reason a person can read."""
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None or submission.is_finished:
        return None
    submission_mark_failed(submission, reason)
    return submission


def submission_mark_failed(submission: Submission, reason: str) -> None:
    """Finish a submission whose row the caller has locked, inside its transaction."""
    submission.status = Submission.Status.FAILED
    submission.failure_reason = reason
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "failure_reason", "finished_at"])
    # What a failed transcription had decoded is not a transcript: it goes.
    LiveSegment.objects.filter(submission=submission).delete()
    logger.warning("submission %s failed: %s", submission.pk, reason)


@transaction.atomic
def submission_delete(*, submission: Submission, acting_user: User) -> None:
    """Delete a submission with everything about it (its audio file goes with its row)."""
    logger.info("submission %s deleted by user %s", submission.pk, acting_user.pk)
    submission.delete()


def submissions_delete(
    *, submissions: Iterable[Submission], acting_user: User
) -> tuple[list[Submission], list[Submission]]:
    """Delete those of these submissions the person may manage (their own, and any in a corpus
    they own); the others are left as they are. Returns (deleted, refused).

    Each goes through ``submission_delete``, in its own transaction: one that fails does not
    bring back the others, and the caller says how many went and why the rest did not.
    """
    deleted: list[Submission] = []
    refused: list[Submission] = []
    for submission in submissions:
        if not submission_allows(user=acting_user, submission=submission, can=Can.MANAGE):
            refused.append(submission)
            continue
        with transaction.atomic():
            submission_delete(submission=submission, acting_user=acting_user)
        deleted.append(submission)
    return deleted, refused
