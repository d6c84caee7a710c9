"""Review items: opened by feedback or an uncertain prediction; one per (prediction, sentence)."""

import logging

from django.db import IntegrityError, transaction

from annotation.models import Prediction
from review.models import ReviewItem
from review.targets import prediction_target

logger = logging.getLogger(__name__)


def review_item_open(
    *, prediction: Prediction, sentence_index: int | None, reason: str, reopen: bool = False
) -> ReviewItem:
    """The item for this prediction (or sentence), created if needed. Idempotent.

    Feedback outranks uncertainty: an item opened as uncertain becomes a feedback item when a
    person flags it. ``reopen`` puts a decided item back in the queue (its feedback changed).
    """
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update()
            .filter(prediction=prediction, sentence_index=sentence_index)
            .first()
        )
        if item is None:
            item = _create(prediction, sentence_index, reason)
        fields = []
        if reason == ReviewItem.Reason.FEEDBACK and item.reason != reason:
            item.reason = reason
            fields.append("reason")
        if reopen and item.status == ReviewItem.Status.DECIDED:
            item.status = ReviewItem.Status.OPEN
            fields.append("status")
        if fields:
            item.save(update_fields=fields)
    return item


def _create(prediction: Prediction, sentence_index: int | None, reason: str) -> ReviewItem:
    target = prediction_target(prediction, sentence_index)
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
            item = ReviewItem.objects.create(
                prediction=prediction,
                sentence_index=sentence_index,
                reason=reason,
                text=target.text,
                model_label=target.model_label,
            )
    except IntegrityError:  # another request opened it meanwhile
        return ReviewItem.objects.select_for_update().get(
            prediction=prediction, sentence_index=sentence_index
        )
    logger.info("review item %s opened (%s)", item.pk, reason)
    return item


def review_item_open_uncertain(*, prediction: Prediction) -> ReviewItem | None:
    """Queue an uncertain prediction for review; nothing for a confident one.

    Called where predictions are recorded, in their transaction; the whole prediction only (its
    uncertain sentences would flood the queue). Safe to call twice.
    """
    if not prediction.uncertain:
        return None
    return review_item_open(
        prediction=prediction, sentence_index=None, reason=ReviewItem.Reason.UNCERTAIN
    )
