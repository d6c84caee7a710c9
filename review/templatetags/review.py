"""``{% feedback_control %}``: the "Wrong register?" (or "Wrong text?") control of a label.

Used by the annotation result templates; the submission comes from their context.
"""

from typing import Any

from django import template

from annotation.models import Prediction, Register
from review.models import Feedback

register = template.Library()


@register.inclusion_tag("review/_feedback.html", takes_context=True)
def feedback_control(
    context: template.Context,
    prediction: Prediction | None,
    segment: int | None = None,
    sentence: int | None = None,
    kind: str = Feedback.Kind.REGISTER,
) -> dict[str, Any]:
    """The control for the whole prediction, one of its sentences, or a segment's."""
    shown = prediction.label if prediction is not None else ""
    if prediction is not None and sentence is not None:
        sentences = prediction.sentence_list()
        shown = sentences[sentence].label if 0 <= sentence < len(sentences) else ""
    where = "all" if sentence is None else f"s{sentence}"
    if segment is not None:
        where = f"seg{segment}"
    return {
        "prediction": prediction,
        "submission": context.get("submission"),
        "csrf_token": context.get("csrf_token"),
        "segment": segment,
        "sentence": sentence,
        "number": None if sentence is None else sentence + 1,
        "kind": kind,
        "shown": shown,
        "registers": [(r.value, r.label) for r in Register],
        "dom_id": f"feedback-{kind}-{where}",
    }
