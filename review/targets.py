"""What a review item or a feedback is about: a prediction, or one sentence of it."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotation.models import Prediction
from annotation.selectors import prediction_text


@dataclass(frozen=True)
class Target:
    source: str  # the text the prediction read (the submission's, or the segment's)
    start: int  # the judged part of ``source``
    end: int
    shown_label: str  # what the page shows (neutre when the model hesitates)
    model_label: str  # the model's most probable register
    scores: dict[str, float]
    uncertain: bool

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]


def prediction_target(prediction: Prediction, sentence_index: int | None) -> Target:
    """The whole prediction (``None``) or one of its sentences; ValidationError if there is no
    such sentence, or if its offsets no longer fit the text."""
    source = prediction_text(prediction=prediction)
    if sentence_index is None:
        return Target(
            source=source,
            start=0,
            end=len(source),
            shown_label=prediction.label,
            model_label=prediction.top_label or prediction.label,
            scores=_scores(prediction.scores),
            uncertain=prediction.uncertain,
        )
    sentences = prediction.sentence_list()
    if not 0 <= sentence_index < len(sentences):
        raise ValidationError(_("There is no such sentence in this text."), code="no_sentence")
    sentence = sentences[sentence_index]
    if not sentence.fits(source):
        raise ValidationError(
            _("This sentence no longer matches the text; reload the page."), code="stale_sentence"
        )
    return Target(
        source=source,
        start=sentence.start,
        end=sentence.end,
        shown_label=sentence.label,
        model_label=sentence.top_label,
        scores=sentence.scores,
        uncertain=sentence.uncertain,
    )


def _scores(raw: dict[str, Any]) -> dict[str, float]:
    return {label: float(value) for label, value in raw.items()}
