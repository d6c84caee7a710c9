"""Recording a model's output, and what follows it in the other apps.

annotation stores the prediction (its rows, its write path); an uncertain label then opens a
review item. Both happen in one transaction, so a re-delivered task never records one without
the other.
"""

from collections.abc import Sequence

from django.db import transaction

from annotation import services as annotation_services
from annotation.models import Prediction
from learning.shadow import shadow_schedule_many
from parlure_ml.register import RegisterPrediction
from review.services import review_item_open_uncertain


def prediction_record(
    *, submission_id: int, result: RegisterPrediction, latency_ms: int
) -> Prediction | None:
    """Store a text's prediction and finish its job; a no-op (None) once the job is finished."""
    recorded = predictions_record(results=[(submission_id, result)], latency_ms=latency_ms)
    return recorded[0] if recorded else None


@transaction.atomic
def predictions_record(
    *, results: Sequence[tuple[int, RegisterPrediction]], latency_ms: int
) -> list[Prediction]:
    """Store several texts' predictions (an import's chunk) and finish their jobs, in one
    transaction: one commit for the chunk instead of one per text."""
    predictions = annotation_services.predictions_record(results=results, latency_ms=latency_ms)
    for prediction in predictions:
        review_item_open_uncertain(prediction=prediction)  # an uncertain label goes to review
    shadow_schedule_many(predictions=predictions)  # sent on commit, after the champion's answer
    return predictions


@transaction.atomic
def transcript_predictions_record(
    *,
    transcript_id: int,
    version: int,
    whole: RegisterPrediction,
    segments: Sequence[tuple[int, RegisterPrediction]],
    latency_ms: int,
) -> bool:
    """Store the register of a transcript version, whole and per segment; False when dropped
    (a newer version, or this one already classified)."""
    recorded = annotation_services.transcript_predictions_record(
        transcript_id=transcript_id,
        version=version,
        whole=whole,
        segments=segments,
        latency_ms=latency_ms,
    )
    for prediction in recorded:
        review_item_open_uncertain(prediction=prediction)  # an uncertain label goes to review
    return bool(recorded)
