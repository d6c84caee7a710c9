"""Review items as the queue page shows them: the judged text inside its context, the model's
scores, what people said, and what reviewers decided."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from annotation.models import AudioRecording, Register

from .models import Feedback, Judgement, ReviewItem
from .targets import prediction_target

# Characters of context shown on each side of a judged sentence.
CONTEXT_CHARS = 280


@dataclass(frozen=True)
class ItemCard:
    item: ReviewItem
    before: str  # context before the judged text ("" for a whole text)
    text: str
    after: str
    scores: list[tuple[str, float]]
    shown_label: str
    feedback: list[Feedback]
    judgements: list[Judgement]
    mine: Judgement | None
    suggested_labels: list[str] = field(default_factory=list)
    transcript_flagged: bool = False
    informativeness: float | None = None  # uncertain open items only (review.priority)
    # A segment item: the player's source (the segment's span of the recording), or None and
    # ``audio_deleted`` when the recording is no longer kept.
    audio_url: str | None = None
    audio_deleted: bool = False

    @property
    def is_flag(self) -> bool:
        return self.item.reason == ReviewItem.Reason.FEEDBACK

    @property
    def comments(self) -> list[Feedback]:
        return [row for row in self.feedback if row.comment]

    @property
    def accept_label(self) -> str:
        """What "accept" gives (as services.judgements.accepted_label): the latest suggestion,
        else the model's register."""
        return self.suggested_labels[-1] if self.suggested_labels else self.item.model_label


def _context(source: str, start: int, end: int) -> tuple[str, str]:
    before = source[max(0, start - CONTEXT_CHARS) : start]
    after = source[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "…" + before.lstrip()
    if len(source) - end > CONTEXT_CHARS:
        after = after.rstrip() + "…"
    return before, after


def item_audio(item: ReviewItem) -> AudioRecording | None:
    """The recording a segment item was transcribed from (None for a text or a whole text)."""
    if item.prediction.segment_id is None:
        return None
    try:
        return item.prediction.submission.audio
    except ObjectDoesNotExist:
        return None


def _audio(item: ReviewItem) -> tuple[str | None, bool]:
    """(the player's source, whether the recording was deleted) for a segment item."""
    segment = item.prediction.segment
    if segment is None:
        return None, False
    recording = item_audio(item)
    if recording is None or not recording.is_available:
        return None, True
    # A media fragment: the player plays the segment's span only.
    span = f"#t={segment.start:.2f},{segment.end:.2f}"
    return reverse("review:item_audio", args=[item.pk]) + span, False


def item_card(
    item: ReviewItem,
    feedback: list[Feedback],
    reviewer: User,
    *,
    informativeness: float | None = None,
) -> ItemCard:
    """An item's card, with the judged text in its context: the text the prediction read
    (annotation.selectors.prediction_text); when that no longer holds the judged text, the item's
    own text is shown alone."""
    before = after = ""
    scores: dict[str, float] = {}
    shown = item.model_label
    try:
        target = prediction_target(item.prediction, item.sentence_index)
    except ValidationError:
        target = None
    if target is not None:
        scores, shown = target.scores, target.shown_label
        if item.sentence_index is not None and target.text == item.text:
            before, after = _context(target.source, target.start, target.end)
    judgements = list(item.judgements.all())
    audio_url, audio_deleted = _audio(item)
    return ItemCard(
        item=item,
        before=before,
        text=item.text,
        after=after,
        scores=[(register.value, scores.get(register.value, 0.0)) for register in Register],
        shown_label=shown,
        feedback=feedback,
        judgements=judgements,
        mine=next((j for j in judgements if j.reviewer_id == reviewer.pk), None),
        suggested_labels=[row.suggested_label for row in feedback if row.suggested_label],
        transcript_flagged=any(row.kind == Feedback.Kind.TRANSCRIPT for row in feedback),
        informativeness=informativeness,
        audio_url=audio_url,
        audio_deleted=audio_deleted,
    )


def judgement_result(item: ReviewItem, judgement: Judgement) -> dict[str, object]:
    """What a reviewer is told after a judgement, on the page and through the API alike."""
    return {
        "item": item.pk,
        "decision": judgement.decision,
        "label": judgement.label,
        "status": item.status,
        "final_label": item.final_label,
        "judgements": item.judgements.count(),
        "message": _("%(decision)s: %(label)s. Decided register: %(final)s.")
        % {
            "decision": judgement.get_decision_display().capitalize(),
            "label": judgement.label,
            "final": item.final_label,
        },
    }
