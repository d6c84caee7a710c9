"""The result page's reading of a prediction: how sure the model is, in words, and whether the
sentences of the text agree with one another.

The label shown stays the model's; this only says, in words a person can check against the
numbers, how far to trust it and when the text mixes registers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotation.models import Register

if TYPE_CHECKING:
    from annotation.models import Prediction

# At or above this probability of the register shown, the model is "sure"; between the
# hesitation threshold (PARLURE_UNCERTAIN_BELOW, which marks the prediction uncertain) and
# this, "fairly sure".
SURE_FROM = 0.85
# A text is mixed when its sentences hold both ends of the scale (soutenu and familier), or
# when no register holds more than half of them.
MIXED_MAJORITY = 0.5


@dataclass(frozen=True)
class Verdict:
    level: str  # "sure", "fairly_sure" or "hesitant"
    probability: float  # of the model's most probable register
    mixed: bool
    sentence_counts: tuple[tuple[str, int], ...]  # registers held by sentences, most first
    sentence_total: int

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


def verdict_for(prediction: Prediction) -> Verdict:
    """How sure the model is of `prediction`, and whether its sentences disagree strongly."""
    scores = {label: float(p) for label, p in prediction.scores.items()}
    top = prediction.top_label or prediction.label
    probability = scores.get(top, max(scores.values(), default=0.0))
    if prediction.uncertain:
        level = "hesitant"
    elif probability >= SURE_FROM:
        level = "sure"
    else:
        level = "fairly_sure"
    labels = [sentence.label for sentence in prediction.sentence_list()]
    counts = [(register.value, labels.count(register.value)) for register in Register]
    held = tuple(sorted(((label, n) for label, n in counts if n), key=lambda item: -item[1]))
    return Verdict(
        level=level,
        probability=probability,
        mixed=_mixed(labels),
        sentence_counts=held,
        sentence_total=len(labels),
    )


def _mixed(labels: list[str]) -> bool:
    if len(labels) < 2:
        return False
    if Register.SOUTENU.value in labels and Register.FAMILIER.value in labels:
        return True
    largest = max(labels.count(label) for label in set(labels))
    return largest / len(labels) <= MIXED_MAJORITY
