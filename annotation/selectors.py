"""Every read of submissions goes through these functions; each one is scoped to its user."""

import datetime
import uuid
from typing import TypedDict

from django.core.exceptions import ValidationError as ValidationErrorType
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from accounts.models import User

from .models import Segment, Submission, Transcript, TranscriptRevision


class SubmissionFilters(TypedDict, total=False):
    label: str
    date_from: datetime.date
    date_to: datetime.date


def submission_get_for_user(*, user: User, public_id: uuid.UUID | str) -> Submission:
    """The user's own submission, or 404: someone else's id looks exactly like a missing one."""
    try:
        return Submission.objects.select_related("current_prediction").get(
            public_id=public_id, user=user
        )
    except (Submission.DoesNotExist, ValueError, ValidationErrorType):
        raise Http404("No such submission.") from None


def submission_list_for_user(
    *, user: User, filters: SubmissionFilters | None = None
) -> QuerySet[Submission]:
    filters = filters or {}
    queryset = Submission.objects.filter(user=user).select_related("current_prediction")
    if label := filters.get("label"):
        queryset = queryset.filter(current_prediction__label=label)
    if date_from := filters.get("date_from"):
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to := filters.get("date_to"):
        queryset = queryset.filter(created_at__date__lte=date_to)
    return queryset.order_by("-created_at", "-id")


def submission_counts_for_user(*, user: User) -> dict[str, int]:
    return Submission.objects.filter(user=user).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=Submission.Status.DONE)),
        failed=Count("id", filter=Q(status=Submission.Status.FAILED)),
    )


def segments_to_classify(*, transcript: Transcript) -> list[Segment]:
    """Segments whose register is unknown or older than their latest correction."""
    corrected_in = dict(
        TranscriptRevision.objects.filter(transcript=transcript)
        .values("segment_id")
        .annotate(version=Max("version"))
        .values_list("segment_id", "version")
    )
    return [
        segment
        for segment in transcript.segments.select_related("current_prediction").order_by("index")
        if segment.current_prediction is None
        or (segment.current_prediction.transcript_version or 0) < corrected_in.get(segment.pk, 0)
    ]
