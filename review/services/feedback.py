"""Feedback: a person says the register shown (or a segment's transcript) is wrong."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from annotation.models import Prediction, Register
from common.text import control_characters_strip
from review.models import Feedback, ReviewItem
from review.targets import prediction_target

from .items import review_item_open

logger = logging.getLogger(__name__)

COMMENT_MAX_CHARS = 2000


def comment_clean(comment: str) -> str:
    comment = control_characters_strip(comment)
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            _("The comment is %(length)s characters long; the limit is %(limit)s characters."),
            code="too_long",
            params={"length": len(comment), "limit": COMMENT_MAX_CHARS},
        )
    return comment


def _suggestion_clean(
    prediction: Prediction, sentence_index: int | None, kind: str, suggested_label: str
) -> str:
    """The suggested register to store, or ValidationError with a message for the person."""
    if kind == Feedback.Kind.TRANSCRIPT:
        if prediction.segment_id is None or sentence_index is not None:
            raise ValidationError(
                _("Only the text of a transcript segment can be flagged as wrong."),
                code="not_a_segment",
            )
        return ""  # the correction itself goes through the transcript editor
    if kind != Feedback.Kind.REGISTER:
        raise ValidationError(
            _("Unknown kind of feedback: use “register” or “transcript”."), code="kind"
        )
    target = prediction_target(prediction, sentence_index)
    if suggested_label not in Register.values:
        raise ValidationError(
            _("Pick the right register: soutenu, neutre or familier."), code="label"
        )
    if suggested_label == target.shown_label:
        raise ValidationError(_("That is already the register shown."), code="same_label")
    return suggested_label


@transaction.atomic
def feedback_submit(
    *,
    user: User,
    prediction: Prediction,
    sentence_index: int | None,
    kind: str,
    suggested_label: str = "",
    comment: str = "",
) -> tuple[Feedback, bool]:
    """Record a person's feedback and open (or reopen) its review item. Returns (feedback, created).

    The caller has checked that the prediction is the person's own. A second click (same person,
    prediction, sentence and kind) updates the first feedback instead of adding one.
    """
    # Locked: concurrent clicks on the same prediction go one after the other.
    prediction = (
        Prediction.objects.select_for_update(of=("self",))
        .select_related("submission", "segment")
        .get(pk=prediction.pk)
    )
    suggested_label = _suggestion_clean(prediction, sentence_index, kind, suggested_label)
    comment = comment_clean(comment)
    feedback = Feedback.objects.filter(
        user=user, prediction=prediction, sentence_index=sentence_index, kind=kind
    ).first()
    created = feedback is None
    if feedback is None:
        feedback = Feedback.objects.create(
            user=user,
            prediction=prediction,
            sentence_index=sentence_index,
            kind=kind,
            suggested_label=suggested_label,
            comment=comment,
        )
        changed = True
    else:
        changed = (feedback.suggested_label, feedback.comment) != (suggested_label, comment)
        if changed:
            feedback.suggested_label = suggested_label
            feedback.comment = comment
            feedback.save(update_fields=["suggested_label", "comment"])
    review_item_open(
        prediction=prediction,
        sentence_index=sentence_index,
        reason=ReviewItem.Reason.FEEDBACK,
        reopen=changed,
    )
    logger.info(
        "feedback %s (%s) on prediction %s by user %s", feedback.pk, kind, prediction.pk, user.pk
    )
    return feedback, created
