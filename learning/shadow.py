"""Challengers in shadow: which live predictions a challenger also scores, and its answers.

A staff member sets a registered version's ``shadow_share``; after the champion's prediction is
stored, that share of live predictions is sent to a low-priority job (queue "shadow") that
scores the same text with the challenger. Its answers are stored apart (``ShadowPrediction``)
and never shown to users: the champion alone answers, and its answer does not wait for the
challenger's.

One challenger at a time: a worker keeps at most one challenger in memory beside the champion.
"""

import functools
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import User
from annotation.models import Prediction
from common import jobs
from parlure_ml.register import RegisterPrediction, tracking
from parlure_ml.register.gate import Decision, decide, decide_live

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


def shadow_schedule_many(*, predictions: Sequence[Prediction]) -> int:
    """Send the sampled ones of these live predictions to the challenger in shadow; returns
    how many were sent. The challenger is looked up once (an import records a chunk at once).

    Called once the champion's predictions are stored, inside their transaction: the jobs leave
    when it commits, after the champion's answer, never before.
    """
    challenger = shadow_challenger() if predictions else None
    if challenger is None:
        return 0
    sent = 0
    for prediction in predictions:
        if shadow_sampled(prediction_id=prediction.pk, share=challenger.shadow_share):
            transaction.on_commit(functools.partial(_send, prediction.pk, challenger.pk))
            sent += 1
    return sent


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


def _frozen(version: ModelVersion) -> dict[str, Any] | None:
    """A version's recorded frozen-set figures, as the gate reads them."""
    figures = version.metrics.get("frozen")
    if not figures or "macro_f1" not in figures:
        return None
    return {
        "macro_f1": figures["macro_f1"],
        "per_class": {label: {"f1": f1} for label, f1 in figures.get("f1", {}).items()},
    }


def challenger_gate(*, version: str, acting_user: User | None) -> tuple[ModelVersion, bool]:
    """The gate again for a registered challenger, with its live evidence from the shadow
    beside the frozen set; promotes it if both agree. Returns (version, promoted).

    The frozen set: the figures each version recorded on it when registered. The live evidence
    is used once reviewers decided PARLURE_GATE_LIVE_MIN_REVIEWED of the texts it scored; the
    gate's reason says which evidence it used.
    """
    from .selectors import champion, shadow_agreement
    from .services import champion_set

    target = ModelVersion.objects.get(version=version)
    if target.is_champion:
        raise ShadowRefused("champion")
    candidate = _frozen(target)
    current = champion()
    if candidate is None:
        frozen = Decision(False, "no figures on the frozen set")
    else:
        frozen = decide(candidate, _frozen(current) if current is not None else None)
    minimum = settings.PARLURE_GATE_LIVE_MIN_REVIEWED
    figures = shadow_agreement(version=target)
    live = decide_live(
        challenger_correct=figures.with_reviewers.k,
        champion_correct=figures.champion_with_reviewers.k,
        reviewed=figures.with_reviewers.n,
        min_reviewed=minimum,
    )
    if live is not None:
        evidence = f"evidence: frozen set and live shadow. Frozen set: {frozen.reason}; live: "
        reason = evidence + live.reason
        promote = frozen.promote and live.promote
    else:
        why = "off" if minimum <= 0 else f"{figures.with_reviewers.n} reviewed, {minimum} needed"
        reason = f"evidence: frozen set only (live shadow not used: {why}). {frozen.reason}"
        promote = frozen.promote
    verdict = "promoted" if promote else "challenger"
    mlflow_client = tracking.client()
    for key, value in (("gate", verdict), ("gate_reason", reason)):
        mlflow_client.set_model_version_tag(tracking.MODEL_NAME, target.version, key, value)
    ModelVersion.objects.filter(pk=target.pk).update(gate_decision=verdict, gate_reason=reason)
    if promote:
        return champion_set(version=target.version, acting_user=acting_user), True
    target.refresh_from_db()
    return target, False
