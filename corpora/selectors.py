"""Reads about corpora and their imports."""

import uuid
from collections.abc import Iterable
from typing import TypedDict

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from annotation.models import Submission
from annotation.selectors import SubmissionFilters, submissions_filter

from .access import OWNER, corpora_visible, public_id_or_404
from .models import Corpus, CorpusMember, ImportBatch


class BatchProgress(TypedDict):
    """Where an import's submissions stand; ``fraction`` is the finished share, 0 to 1."""

    total: int
    queued: int
    classifying: int
    done: int
    failed: int
    cancelled: int
    finished: bool
    fraction: float


def batch_progress(*, batch: ImportBatch) -> BatchProgress:
    """Counts by status of the batch's submissions (one query). A batch with no accepted item is
    finished."""
    Status = Submission.Status
    counts = Submission.objects.filter(batch=batch).aggregate(
        total=Count("id"),
        **{status.value: Count("id", filter=Q(status=status)) for status in Status},
    )
    total = counts["total"]
    ended = counts[Status.DONE] + counts[Status.FAILED] + counts[Status.CANCELLED]
    return {
        "total": total,
        "queued": counts[Status.QUEUED],
        "classifying": counts[Status.CLASSIFYING],
        "done": counts[Status.DONE],
        "failed": counts[Status.FAILED],
        "cancelled": counts[Status.CANCELLED],
        "finished": ended == total,
        "fraction": ended / total if total else 1.0,
    }


def batch_list_for_corpus(*, corpus: Corpus) -> QuerySet[ImportBatch]:
    """The corpus's imports, newest first, with who made each."""
    return (
        ImportBatch.objects.filter(corpus=corpus)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def batch_texts_running(*, batch_id: int) -> bool:
    """Whether some of the batch's texts are being classified (or were, by a worker that died)."""
    return Submission.objects.filter(
        batch_id=batch_id, kind=Submission.Kind.TEXT, status=Submission.Status.CLASSIFYING
    ).exists()


# --- Corpora, members and the submissions they group (helper h4) -------------------------------


def corpus_list_for_user(*, user: User) -> QuerySet[Corpus]:
    """The corpora the person owns or is a member of, newest first, each annotated with
    ``role`` (theirs: "owner", "viewer", "annotator" or "reviewer") and ``submission_count``."""
    member_role = CorpusMember.objects.filter(corpus=OuterRef("pk"), user=user).values("role")[:1]
    counts = (
        Submission.objects.filter(corpus=OuterRef("pk"))
        .order_by()
        .values("corpus")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        corpora_visible(user=user)
        .select_related("owner")
        .annotate(
            role=Case(
                When(owner=user, then=Value(OWNER)),
                default=Subquery(member_role),
                output_field=CharField(),
            ),
            submission_count=Coalesce(Subquery(counts), 0),
        )
        .order_by("-created_at", "-id")
    )


def corpus_member_list(*, corpus: Corpus) -> QuerySet[CorpusMember]:
    """The people the corpus is shared with, in the order they were added."""
    return (
        CorpusMember.objects.filter(corpus=corpus).select_related("user").order_by("added_at", "id")
    )


def corpus_member_get(*, corpus: Corpus, member_id: int) -> CorpusMember:
    """One member of this corpus, or 404 (a member of another corpus is none of this one's)."""
    member = corpus_member_list(corpus=corpus).select_related("corpus").filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    return member


def corpus_submission_list(
    *, corpus: Corpus, filters: SubmissionFilters | None = None
) -> QuerySet[Submission]:
    """The corpus's submissions that pass the filters (search, kind, register, dates), newest
    first, with what a table of them shows."""
    queryset = Submission.objects.filter(corpus=corpus).select_related("current_prediction", "user")
    return submissions_filter(queryset, filters).order_by("-created_at", "-id")


def corpus_submission_get(*, corpus: Corpus, public_id: uuid.UUID | str) -> Submission:
    """A submission of this corpus, or 404."""
    parsed = public_id_or_404(public_id)
    submission = (
        Submission.objects.select_related("corpus").filter(corpus=corpus, public_id=parsed).first()
    )
    if submission is None:
        raise Http404("No such submission.")
    return submission


def submissions_addable_for_user(*, user: User) -> QuerySet[Submission]:
    """The person's own submissions that are in no corpus yet: those they may add to one."""
    return (
        Submission.objects.filter(user=user, corpus__isnull=True)
        .select_related("current_prediction")
        .order_by("-created_at", "-id")
    )


def submissions_by_public_ids(*, public_ids: Iterable[uuid.UUID]) -> list[Submission]:
    """The submissions with these ids that exist (anyone's: the caller's service checks)."""
    return list(Submission.objects.filter(public_id__in=list(public_ids)).order_by("pk"))


def corpus_import_get(*, corpus: Corpus, public_id: uuid.UUID | str) -> ImportBatch:
    """One import of this corpus, or 404."""
    parsed = public_id_or_404(public_id)
    batch = (
        ImportBatch.objects.select_related("corpus", "created_by")
        .filter(corpus=corpus, public_id=parsed)
        .first()
    )
    if batch is None:
        raise Http404("No such import.")
    return batch
