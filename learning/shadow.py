"""Challengers in shadow: which live predictions a challenger also scores, and its answers.

A staff member sets a registered version's ``shadow_share``; after the champion's prediction is
stored, that share of live predictions is sent to a low-priority job (queue "shadow") that
scores the same text with the challenger. Its answers are stored apart (``ShadowPrediction``)
and never shown to users: the champion alone answers, and its answer does not wait for the
challenger's.

One challenger at a time: a worker keeps at most one challenger in memory beside the champion.
"""

import hashlib
import logging

from django.db import IntegrityError, transaction

from accounts.models import User
from annotation.models import Prediction
from common import jobs
from parlure_ml.register import RegisterPrediction

from .models import ModelVersion, ShadowPrediction

logger = logging.getLogger(__name__)


class ShadowRefused(ValueError):
    """The share cannot be set: the version is the champion, or the share is out of [0, 1]."""


def shadow_sampled(*, prediction_id: int, share: float) -> bool:
    """Whether a challenger scores this prediction: a hash of its id against the share, so a
    rerun (or a second worker) picks the same predictions, and a larger share keeps them."""
    if share <= 0:
        return False
    digest = hashlib.sha256(f"shadow:{prediction_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


@transaction.atomic
def shadow_share_set(*, version: str, share: float, acting_user: User | None) -> ModelVersion:
    """Set the share of live predictions a challenger scores in shadow (0 turns it off).

    Only one challenger runs in shadow: setting a share turns the others off.
    """
    if not 0.0 <= share <= 1.0:
        raise ShadowRefused("share")
    target = ModelVersion.objects.select_for_update().get(version=version)
    if target.is_champion and share > 0:
        raise ShadowRefused("champion")
    if share > 0:
        ModelVersion.objects.exclude(pk=target.pk).filter(shadow_share__gt=0).update(
            shadow_share=0.0
        )
    target.shadow_share = share
    target.save(update_fields=["shadow_share"])
    who = acting_user.email if acting_user else "a command"
    logger.info("shadow share of register version %s set to %s by %s", version, share, who)
    return target


def shadow_challenger() -> ModelVersion | None:
    """The version in shadow, if any (never the champion)."""
    return (
        ModelVersion.objects.filter(shadow_share__gt=0, is_champion=False)
        .order_by("-created_at", "-id")
        .first()
    )


def shadow_schedule(*, prediction: Prediction) -> bool:
    """Send this live prediction to the challenger in shadow when it is sampled; True if sent.

    Called once the champion's prediction is stored, inside its transaction: the job leaves
    when it commits, after the champion's answer, never before.
    """
    challenger = shadow_challenger()
    if challenger is None or not shadow_sampled(
        prediction_id=prediction.pk, share=challenger.shadow_share
    ):
        return False
    transaction.on_commit(lambda: _send(prediction.pk, challenger.pk))
    return True


def _send(prediction_id: int, model_version_id: int) -> None:
    # Best effort: a broker that refuses the shadow job must not fail the champion's job (its
    # answer is stored already); the reconciler does not send shadow jobs again.
    try:
        jobs.job_send(jobs.SHADOW_PREDICT, prediction_id, model_version_id)
    except jobs.JobQueueUnavailable:
        logger.warning("shadow job for prediction %s not sent", prediction_id)


def shadow_prediction_record(
    *, prediction_id: int, model_version_id: int, result: RegisterPrediction, latency_ms: int
) -> ShadowPrediction | None:
    """Store a challenger's answer; None when one is already stored (a re-delivered job)."""
    try:
        with transaction.atomic():
            return ShadowPrediction.objects.create(
                prediction_id=prediction_id,
                model_version_id=model_version_id,
                label=result.label,
                top_label=result.top_label,
                scores={label: round(float(p), 6) for label, p in result.scores.items()},
                latency_ms=latency_ms,
            )
    except IntegrityError:
        return None
