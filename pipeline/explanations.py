"""Explanations on demand: the deciding words of a prediction made without them (an import's).

The same model that made the prediction explains it (``register_explain``), on the text it read
(``annotation.selectors.prediction_text``), with the same per-call budget as an explanation made
at once, so the result is the one ``predict(explain=True)`` would have stored. The row stays
locked while the model runs: a second request waits, finds it explained and does nothing.
"""

import logging

from django.db import transaction

from annotation import services as annotation_services
from annotation.selectors import prediction_text

from .classification import ModelUnavailable, register_explain

logger = logging.getLogger(__name__)


@transaction.atomic
def prediction_explain(*, prediction_id: int) -> bool:
    """Compute and store a prediction's missing explanations; False when there was nothing to
    do (explained already, gone) or the model that made it cannot be loaded any more (recorded
    on the prediction, so that pages say why)."""
    prediction = annotation_services.prediction_explanation_claim(prediction_id=prediction_id)
    if prediction is None:
        return False
    text = prediction_text(prediction=prediction)
    sentences = [(s.start, s.end, s.top_label) for s in prediction.sentence_list()]
    try:
        evidence, _latency_ms = register_explain(
            text=text, sentences=sentences, model_version=prediction.model_version
        )
    except ModelUnavailable:
        logger.warning(
            "prediction %s: model %s is gone, not explained",
            prediction_id,
            prediction.model_version,
        )
        annotation_services.prediction_explanation_fail(prediction_id=prediction_id)
        return False
    return annotation_services.prediction_explanations_store(
        prediction_id=prediction_id, evidence=evidence
    )
