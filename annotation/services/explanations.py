"""A prediction's explanations (its sentences' deciding words), computed when someone asks.

Bulk work (imports) classifies without them. Opening a result, the API's ``?explain=1`` and an
export with explanations ask for them: ``prediction_explain_request`` queues the job
(``pipeline.tasks.explanations``), which computes them with the model that made the prediction
and stores them once through ``prediction_explanations_store``.
"""

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from annotation.models import Prediction
from annotation.predictions import sentences_dump, sentences_explain
from common import jobs

if TYPE_CHECKING:
    from parlure_ml.register.classifier import Evidence

logger = logging.getLogger(__name__)

# Stored untranslated and translated when shown.
REASON_MODEL_GONE = gettext_noop(
    "The model that made this prediction can no longer be loaded, so its deciding words cannot "
    "be shown; no other model explains in its place."
)


def prediction_explain_request(*, prediction: Prediction) -> bool:
    """Queue the computation of a prediction's missing explanations, once the transaction
    commits; False when there is nothing to compute (explained, or it cannot be).

    Safe to call on every page view: the job does nothing for a prediction explained meanwhile.
    """
    if not prediction.explanation_pending:
        return False
    prediction_id = prediction.pk
    # Keyed by the row's creation too, so that a reused id is never taken for another's.
    sent_key = f"explain-sent:{prediction_id}:{prediction.created_at.timestamp()}"
    transaction.on_commit(lambda: _explain_send(prediction_id, sent_key))
    return True


# A page polls every few seconds while an explanation is computed, and an export asks for all of
# its predictions at each poll: one job per prediction is enough. A job lost with its broker is
# sent again once this has passed.
EXPLAIN_RESEND_SECONDS = 60


def _explain_send(prediction_id: int, sent_key: str) -> None:
    try:
        if not cache.add(sent_key, True, timeout=EXPLAIN_RESEND_SECONDS):
            return  # sent a moment ago, and still waiting in the queue or running
    except Exception as error:  # the cache is Redis too: without it, send as before
        logger.warning("explanation of prediction %s: no cache (%s)", prediction_id, error)
    try:
        jobs.job_send(jobs.EXPLAIN_PREDICTION, prediction_id)
    except jobs.JobQueueUnavailable:
        # Reading a result must not fail with the broker: the next view asks again.
        logger.warning("explanation of prediction %s not queued: no broker", prediction_id)
        cache.delete(sent_key)


def predictions_explain_request(*, predictions: Iterable[Prediction]) -> int:
    """``prediction_explain_request`` for several (an export); returns how many were queued."""
    return sum(prediction_explain_request(prediction=p) for p in predictions)


def prediction_explanation_claim(*, prediction_id: int) -> Prediction | None:
    """Lock a prediction whose explanations are still to compute; None when there is nothing to
    do (gone, explained, or it cannot be).

    Call it inside a transaction and compute before it ends: a concurrent request waits on the
    lock, then finds the prediction explained, so the model runs and the row is written once.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("prediction_explanation_claim() must run inside a transaction")
    prediction = (
        Prediction.objects.select_for_update()
        .select_related("submission")
        .filter(pk=prediction_id)
        .first()
    )
    if prediction is None or not prediction.explanation_pending:
        return None
    return prediction


@transaction.atomic
def prediction_explanations_store(
    *, prediction_id: int, evidence: Sequence[Iterable["Evidence"]]
) -> bool:
    """Store a prediction's explanations, one evidence list per stored sentence; False (and
    nothing written) when they are stored already."""
    prediction = Prediction.objects.select_for_update().filter(pk=prediction_id).first()
    if prediction is None or prediction.explained_at is not None:
        return False
    sentences = sentences_explain(prediction.sentence_list(), evidence)
    prediction.sentences = sentences_dump(sentences)
    prediction.explained_at = timezone.now()
    prediction.explanation_failure = ""
    prediction.save(update_fields=["sentences", "explained_at", "explanation_failure"])
    return True


@transaction.atomic
def prediction_explanation_fail(*, prediction_id: int, reason: str = REASON_MODEL_GONE) -> bool:
    """Record why a prediction cannot be explained; False when it is explained already."""
    prediction = Prediction.objects.select_for_update().filter(pk=prediction_id).first()
    if prediction is None or prediction.explained_at is not None:
        return False
    prediction.explanation_failure = reason[:200]
    prediction.save(update_fields=["explanation_failure"])
    return True
