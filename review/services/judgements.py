"""Judgements: each reviewer's decision on an item, and the item's decision from all of them."""

import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from annotation.models import Register
from review.models import Feedback, Judgement, ReviewItem

logger = logging.getLogger(__name__)


def accepted_label(item: ReviewItem) -> str:
    """What "accept" means for an item: the person's suggested register, else (an uncertain
    item, or a flagged transcript) the model's most probable one."""
    suggested = (
        Feedback.objects.filter(
            prediction_id=item.prediction_id,
            sentence_index=item.sentence_index,
            kind=Feedback.Kind.REGISTER,
        )
        .exclude(suggested_label="")
        .order_by("-created_at", "-id")
        .values_list("suggested_label", flat=True)
        .first()
    )
    return suggested or item.model_label


def _judged_label(item: ReviewItem, decision: str, label: str | None) -> str:
    if decision == Judgement.Decision.ACCEPT:
        return accepted_label(item)
    if decision == Judgement.Decision.REJECT:
        return item.model_label
    if decision == Judgement.Decision.RELABEL:
        if label not in Register.values:
            raise ValidationError(
                _("Pick the register to relabel with: soutenu, neutre or familier."),
                code="label",
            )
        return str(label)
    raise ValidationError(_("Unknown decision: use accept, reject or relabel."), code="decision")


def majority_label(judgements: list[Judgement], current: str) -> str:
    """The most frequent label; on a tie the current one stays, else the earliest given wins."""
    counts = Counter(judgement.label for judgement in judgements)
    best = max(counts.values())
    tied = [label for label, count in counts.items() if count == best]
    if current in tied:
        return current
    ordered = sorted(judgements, key=lambda judgement: (judgement.created_at, judgement.pk))
    return next(judgement.label for judgement in ordered if judgement.label in tied)


@transaction.atomic
def judgement_record(
    *, item: ReviewItem, reviewer: User, decision: str, label: str | None = None
) -> Judgement:
    """Record (or change) a reviewer's judgement and decide the item by majority.

    A reviewer has one judgement per item: judging again replaces it.
    """
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    judged_label = _judged_label(item, decision, label)
    judgement, _created = Judgement.objects.update_or_create(
        item=item, reviewer=reviewer, defaults={"decision": decision, "label": judged_label}
    )
    final_label = majority_label(list(item.judgements.all()), item.final_label)
    fields = ["status"]
    item.status = ReviewItem.Status.DECIDED
    if final_label != item.final_label or item.decided_at is None:
        item.final_label = final_label
        item.decided_at = timezone.now()
        fields += ["final_label", "decided_at"]
    item.save(update_fields=fields)
    logger.info(
        "item %s judged %s (%s) by reviewer %s; decided %s",
        item.pk,
        decision,
        judged_label,
        reviewer.pk,
        item.final_label,
    )
    return judgement
