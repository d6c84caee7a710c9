"""Every read of feedback, review items and corrections goes through these functions."""

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from annotation.access import submission_allows, submission_get, submissions_visible
from annotation.models import Prediction
from corpora.access import OWNER, ROLE_CAN, Can
from corpora.models import CorpusMember

from .models import CorrectionSet, Feedback, Judgement, ReviewItem
from .priority import informativeness, margin_uncertainty, recency

# Filters of the decided items, for a second (or a changed) judgement; the first is the default.
DECIDED_FILTERS = ("all", "not_mine", "single", "disagreement")


def prediction_for_feedback(
    *, user: User, public_id: uuid.UUID | str, segment_index: int | None
) -> Prediction:
    """The prediction the person sees: the submission's, or one of its segments'. 404 for a
    submission they cannot see, an unknown segment, or nothing predicted yet; 403 when their
    corpus role does not let them annotate it."""
    submission = submission_get(user=user, public_id=public_id, can=Can.ANNOTATE)
    if segment_index is None:
        prediction = submission.current_prediction
    else:
        transcript = getattr(submission, "transcript", None)
        segment = (
            transcript.segments.select_related("current_prediction")
            .filter(index=segment_index)
            .first()
            if transcript is not None
            else None
        )
        prediction = segment.current_prediction if segment is not None else None
    if prediction is None:
        raise Http404("Nothing to give feedback on.")
    return prediction


def prediction_get_for_feedback(*, user: User, prediction_id: int) -> Prediction:
    """A prediction of a submission the person may annotate: 404 if they cannot see the
    submission, 403 if they see it but their corpus role does not let them annotate."""
    prediction = (
        Prediction.objects.select_related("submission__corpus", "segment")
        .filter(pk=prediction_id, submission__in=submissions_visible(user=user))
        .first()
    )
    if prediction is None:
        raise Http404("No such prediction.")
    if not submission_allows(user=user, submission=prediction.submission, can=Can.ANNOTATE):
        raise PermissionDenied
    return prediction


def feedback_list_visible(*, user: User) -> QuerySet[Feedback]:
    """The person's own feedback, and everybody's on the submissions of the corpora where they
    may review (corpora.access: the owner and reviewer members), newest first."""
    reviewing_roles = [
        role for role, allowed in ROLE_CAN.items() if Can.REVIEW in allowed and role != OWNER
    ]
    reviews_corpus = CorpusMember.objects.filter(
        corpus=OuterRef("prediction__submission__corpus"), user=user, role__in=reviewing_roles
    )
    return (
        Feedback.objects.filter(
            Q(user=user) | Q(prediction__submission__corpus__owner=user) | Q(Exists(reviews_corpus))
        )
        .select_related("user", "prediction__submission__corpus", "prediction__segment")
        .order_by("-created_at", "-id")
    )


def _items() -> QuerySet[ReviewItem]:
    return ReviewItem.objects.select_related(
        "prediction__submission__audio", "prediction__segment"
    ).prefetch_related(
        Prefetch("judgements", queryset=Judgement.objects.select_related("reviewer"))
    )


def review_queue_order() -> list[tuple[int, float | None]]:
    """The open items' ids in queue order, each with its informativeness (None for a flag).

    People's flags first, oldest first: somebody is waiting for an answer. Then the model's
    uncertain items, most informative first (review.priority explains the score), the oldest
    first on a tie. One query on the open items' few columns (status is indexed); the page then
    loads only its own items (review_items_by_id).
    """
    rows = list(
        ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
        .order_by("created_at", "id")
        .values_list("id", "reason", "model_label", "created_at", "prediction__scores")
    )
    flags = [(pk, None) for pk, reason, *_ in rows if reason == ReviewItem.Reason.FEEDBACK]
    uncertain = [row for row in rows if row[1] != ReviewItem.Reason.FEEDBACK]
    waiting = Counter(model_label for _, _, model_label, _, _ in uncertain)
    now = timezone.now()
    scored = [
        (
            pk,
            informativeness(
                uncertainty=margin_uncertainty(scores or {}),
                recency=recency(opened_at, now),
                share=waiting[model_label] / len(uncertain),
            ),
        )
        for pk, _, model_label, opened_at, scores in uncertain
    ]
    scored.sort(key=lambda entry: -entry[1])  # stable: the oldest first on a tie
    return [*flags, *scored]


def review_items_by_id(ids: list[int]) -> list[ReviewItem]:
    """These items, in this order (one that is gone is left out)."""
    found = _items().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def review_items_decided(*, reviewer: User, which: str) -> QuerySet[ReviewItem]:
    """Decided items, most recently decided first: ``all``, ``not_mine`` (not judged by this
    reviewer yet), ``single`` (judged by one reviewer only) or ``disagreement``."""
    items = _items().filter(status=ReviewItem.Status.DECIDED)
    if which == "not_mine":
        items = items.exclude(judgements__reviewer=reviewer)
    elif which == "single":
        items = items.annotate(judges=Count("judgements")).filter(judges=1)
    elif which == "disagreement":
        items = items.filter(pk__in=disagreement_item_ids())
    return items.order_by("-decided_at", "-id")


def review_item_get(*, item_id: int) -> ReviewItem:
    try:
        return ReviewItem.objects.get(pk=item_id)
    except ReviewItem.DoesNotExist:
        raise Http404("No such review item.") from None


def feedback_for_items(items: list[ReviewItem]) -> dict[int, list[Feedback]]:
    """Each item's feedback (same prediction and sentence), oldest first."""
    by_target: dict[tuple[int, int | None], list[Feedback]] = {}
    feedback = Feedback.objects.filter(
        prediction_id__in={item.prediction_id for item in items}
    ).order_by("created_at", "id")
    for row in feedback:
        by_target.setdefault((row.prediction_id, row.sentence_index), []).append(row)
    return {item.pk: by_target.get((item.prediction_id, item.sentence_index), []) for item in items}


def review_counts() -> dict[str, int]:
    """Open items (and, of them, flags and uncertain predictions) and decided items."""
    is_open = Q(status=ReviewItem.Status.OPEN)
    return ReviewItem.objects.aggregate(
        open=Count("id", filter=is_open),
        flags=Count("id", filter=is_open & Q(reason=ReviewItem.Reason.FEEDBACK)),
        uncertain=Count("id", filter=is_open & Q(reason=ReviewItem.Reason.UNCERTAIN)),
        decided=Count("id", filter=Q(status=ReviewItem.Status.DECIDED)),
    )


def judgement_ratings() -> dict[int, dict[int, str]]:
    """item id -> {reviewer id: label}, for the items judged by two reviewers or more."""
    shared = (
        Judgement.objects.values("item_id")
        .annotate(judges=Count("id"))
        .filter(judges__gte=2)
        .values("item_id")
    )
    ratings: dict[int, dict[int, str]] = {}
    for item_id, reviewer_id, label in Judgement.objects.filter(item_id__in=shared).values_list(
        "item_id", "reviewer_id", "label"
    ):
        ratings.setdefault(item_id, {})[reviewer_id] = label
    return ratings


def disagreement_item_ids() -> list[int]:
    """Items judged by two reviewers or more who do not all give the same register."""
    return list(
        Judgement.objects.values("item_id")
        .annotate(judges=Count("id"), labels=Count("label", distinct=True))
        .filter(judges__gte=2, labels__gte=2)
        .values_list("item_id", flat=True)
    )


def reviewers_by_id(ids: set[int]) -> dict[int, User]:
    return {user.pk: user for user in User.objects.filter(pk__in=ids)}


# --- Corrections ---------------------------------------------------------------------------------


def corrections_current() -> list[dict[str, Any]]:
    """Every correction now: decided items from feedback, and decided items whose register
    differs from the model's. Rows as in CorrectionSet.rows, by item id."""
    items = (
        ReviewItem.objects.filter(status=ReviewItem.Status.DECIDED)
        .filter(Q(reason=ReviewItem.Reason.FEEDBACK) | ~Q(final_label=F("model_label")))
        .order_by("id")
        .values("id", "text", "final_label", "model_label", "decided_at")
    )
    return [
        {
            "item": item["id"],
            "text": item["text"],
            "label": item["final_label"],
            "model_label": item["model_label"],
            "decided_at": item["decided_at"].isoformat() if item["decided_at"] else None,
        }
        for item in items
    ]


def rows_sha256(rows: list[dict[str, Any]]) -> str:
    """The hash of rows' canonical JSON: sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def correction_set_latest() -> CorrectionSet | None:
    return CorrectionSet.objects.order_by("-version").first()


def correction_set_get(*, version: int) -> CorrectionSet:
    try:
        return CorrectionSet.objects.get(version=version)
    except CorrectionSet.DoesNotExist:
        raise Http404("No such corrections snapshot.") from None


def correction_set_list(*, limit: int = 50) -> QuerySet[CorrectionSet]:
    return CorrectionSet.objects.select_related("created_by").order_by("-version")[:limit]


def corrections_since(version: int | None) -> list[dict[str, Any]]:
    """Corrections not in snapshot ``version`` or earlier (all of them for None).

    Snapshots are cumulative, so the latest one up to ``version`` holds all the earlier ones. A
    correction whose register changed since counts as new.
    """
    rows = corrections_current()
    if version is None:
        return rows
    snapshot = CorrectionSet.objects.filter(version__lte=version).order_by("-version").first()
    if snapshot is None:
        return rows
    known = {(row["item"], row["label"]) for row in snapshot.rows}
    return [row for row in rows if (row["item"], row["label"]) not in known]


def decided_labels_by_prediction(
    *, prediction_ids: Iterable[int] | QuerySet[Any]
) -> dict[int, str]:
    """The register reviewers decided for each of these predictions' whole text (items about
    one sentence are left out), by prediction id; undecided predictions are absent."""
    return dict(
        ReviewItem.objects.filter(
            prediction_id__in=prediction_ids,
            sentence_index__isnull=True,
            status=ReviewItem.Status.DECIDED,
        )
        .exclude(final_label="")
        .values_list("prediction_id", "final_label")
    )
