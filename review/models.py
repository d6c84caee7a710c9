"""What people say of the labels, what reviewers decide, and the corrections that become data.

A Feedback row is one person saying a label (or a transcript segment's text) is wrong. Feedback
and uncertain predictions open a ReviewItem: one thing to review, a prediction or one sentence of
it, at most one per (prediction, sentence). Each reviewer gives it one Judgement (changed, never
added to); the item's final label is its judgements' majority. Decided items are corrections, and
a CorrectionSet freezes all of them, versioned and hashed, as training data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from annotation.models import Register


def _one_per_prediction_and_sentence(name: str, *fields: str) -> list[models.BaseConstraint]:
    """Unique on ``fields`` + prediction + sentence_index, a missing sentence counting as one.

    Two partial constraints rather than ``nulls_distinct=False``, which SQLite (the embedded
    default) does not have.
    """
    keys = [*fields, "prediction"]
    return [
        models.UniqueConstraint(
            fields=keys,
            condition=models.Q(sentence_index__isnull=True),
            name=f"{name}_unique_whole",
        ),
        models.UniqueConstraint(
            fields=[*keys, "sentence_index"],
            condition=models.Q(sentence_index__isnull=False),
            name=f"{name}_unique_sentence",
        ),
    ]


class Feedback(models.Model):
    class Kind(models.TextChoices):
        REGISTER = "register", _("wrong register")
        TRANSCRIPT = "transcript", _("wrong transcript")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("user"),
    )
    prediction = models.ForeignKey(
        "annotation.Prediction",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("prediction"),
    )
    # None: the whole text (or the whole segment, for a segment's prediction).
    sentence_index = models.PositiveIntegerField(_("sentence"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REGISTER)
    # The register the person says is right (register kind only).
    suggested_label = models.CharField(
        _("suggested register"), max_length=10, choices=Register.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]
        # A second click updates the person's feedback instead of adding one.
        constraints = _one_per_prediction_and_sentence("feedback", "user", "kind")

    def __str__(self) -> str:
        target = self.suggested_label or self.get_kind_display()
        return f"{self.user} → {target} ({self.prediction_id})"


class ReviewItem(models.Model):
    class Reason(models.TextChoices):
        FEEDBACK = "feedback", _("feedback")
        UNCERTAIN = "uncertain", _("uncertain prediction")

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        DECIDED = "decided", _("decided")

    prediction = models.ForeignKey(
        "annotation.Prediction",
        on_delete=models.CASCADE,
        related_name="review_items",
        verbose_name=_("prediction"),
    )
    sentence_index = models.PositiveIntegerField(_("sentence"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # What is judged (the whole text, a sentence or a segment), as it was when the item opened.
    text = models.TextField(_("text"))
    # The model's most probable register for that text (not the hesitant "neutre" shown).
    model_label = models.CharField(_("model's register"), max_length=10, choices=Register.choices)
    final_label = models.CharField(
        _("decided register"), max_length=10, choices=Register.choices, blank=True
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    # When the final label was last set (a judgement that confirms it leaves this alone).
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["created_at", "id"]
        permissions = [("review_items", "Can review items")]
        constraints = _one_per_prediction_and_sentence("reviewitem")

    def __str__(self) -> str:
        where = "" if self.sentence_index is None else f" #{self.sentence_index}"
        return f"{self.get_reason_display()} {self.prediction_id}{where} ({self.status})"

    @property
    def is_correction(self) -> bool:
        """A training row: decided, and either from feedback or differing from the model."""
        return self.status == self.Status.DECIDED and (
            self.reason == self.Reason.FEEDBACK or self.final_label != self.model_label
        )


class Judgement(models.Model):
    class Decision(models.TextChoices):
        ACCEPT = "accept", _("accept")
        REJECT = "reject", _("reject")
        RELABEL = "relabel", _("relabel")

    item = models.ForeignKey(
        ReviewItem, on_delete=models.CASCADE, related_name="judgements", verbose_name=_("item")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    # The register this reviewer says is right.
    label = models.CharField(_("register"), max_length=10, choices=Register.choices)
    created_at = models.DateTimeField(_("judged at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="judgement_one_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.decision} → {self.label}"


class CorrectionSet(models.Model):
    """A frozen, versioned snapshot of every correction so far: training data for the model.

    Kept in the database, apart from the seed data set (parlure_ml/ is never written to).
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    # sha256 of the canonical JSON of ``rows``: the same corrections always give the same hash.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    count = models.PositiveIntegerField(_("rows"))
    # [{"item": id, "text": ..., "label": ..., "model_label": ..., "decided_at": iso}, ...]
    rows = models.JSONField(_("rows"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("corrections snapshot")
        verbose_name_plural = _("corrections snapshots")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.count})"
