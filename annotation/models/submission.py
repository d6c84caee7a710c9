"""Submissions (what people send) and predictions (what the register model says of them).

Every interaction with a model goes through the database: a Submission row holds the input, a
Prediction row holds one model's output for it. A submission keeps every prediction ever made for
it (later ones come from corrected text or newer models); ``current_prediction`` is the one shown.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from annotation.predictions import PredictedSentence, sentences_load


class Register(models.TextChoices):
    SOUTENU = "soutenu", _("formal (soutenu)")
    NEUTRE = "neutre", _("standard (neutre)")
    FAMILIER = "familier", _("colloquial (familier)")


class Submission(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        AUDIO = "audio", _("audio")

    class Status(models.TextChoices):
        # A job's whole life, one state at a time: an audio job goes queued, transcribing,
        # classifying, done; a text job skips transcribing. Only the last three are final. A
        # recording sent while it is made (annotation.services.recording) is "recording" until
        # it stops: no job runs for it yet, so neither the reconciler nor the workers' claim
        # touches it, and an abandoned one is expired (recordings_abandoned_expire).
        RECORDING = "recording", _("recording")
        QUEUED = "queued", _("queued")
        TRANSCRIBING = "transcribing", _("transcribing")
        CLASSIFYING = "classifying", _("classifying")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    # The states in which a worker holds the job (claimed_by, heartbeat_at).
    ACTIVE_STATUSES = (Status.TRANSCRIBING, Status.CLASSIFYING)

    # Used in URLs instead of the sequential key, so ids say nothing about other people's work.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    # The corpus it belongs to, if any, and the import that created it, if any.
    corpus = models.ForeignKey(
        "corpora.Corpus",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("corpus"),
    )
    batch = models.ForeignKey(
        "corpora.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("import"),
    )
    # For audio, the current transcript: what the register model reads. Empty until transcribed.
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    # A random token put in each form: a second click on "submit" sends the same token and gets the
    # submission the first click created, instead of a duplicate.
    client_token = models.UUIDField(_("form token"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The worker process that holds a running job ("host:pid"), and its last sign of life: a job
    # whose worker went silent longer than PARLURE_JOB_LEASE_SECONDS is sent again
    # (pipeline.reconciler). For a queued job, when its message was last sent.
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # Share of the work done, 0 to 1, while a long job (a transcription) runs.
    progress = models.FloatField(_("progress"), default=0.0)
    current_prediction = models.OneToOneField(
        "Prediction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current prediction"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="submission_user_recent"),
            models.Index(fields=["corpus", "-created_at"], name="submission_corpus_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_token"], name="submission_unique_client_token"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}

    @property
    def is_active(self) -> bool:
        """A worker holds the job: it is transcribing or classifying."""
        return self.status in self.ACTIVE_STATUSES

    @property
    def duration_ms(self) -> int | None:
        """From submission to result, as the person waited for it."""
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.created_at).total_seconds() * 1000)


class Prediction(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="predictions",
        verbose_name=_("submission"),
    )
    # The register shown: neutre when the model is uncertain (the portal's hesitation marker).
    label = models.CharField(_("register"), max_length=10, choices=Register.choices)
    # The model's most probable register, even when it is not sure of it.
    top_label = models.CharField(
        _("most probable register"), max_length=10, choices=Register.choices, blank=True
    )
    # Calibrated probability of the top register below the uncertainty threshold: shown as
    # hesitant and sent to review.
    uncertain = models.BooleanField(_("uncertain"), default=False)
    # {"soutenu": p, "neutre": p, "familier": p}, calibrated probabilities summing to 1.
    scores = models.JSONField(_("scores"))
    # One entry per sentence of the text: {"start", "end", "label", "top_label", "scores",
    # "uncertain", "evidence": [[start, end, weight], ...]}, offsets into the text it read; read
    # and written through annotation/predictions.py only (sentence_list()).
    sentences = models.JSONField(_("sentences"), default=list, blank=True)
    # When the sentences' evidence was computed: at once for a text someone submitted, on demand
    # (pipeline.explanations) for bulk work such as imports. Null: not computed yet, and the
    # sentences' evidence is empty until it is.
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    # Why the evidence cannot be computed (the model that made the prediction is gone); blank
    # otherwise. No other model explains in its place.
    explanation_failure = models.CharField(
        _("why not explained"), max_length=200, blank=True, default=""
    )
    model_version = models.CharField(_("model version"), max_length=100)
    latency_ms = models.PositiveIntegerField(_("model time (ms)"))
    # Set when the prediction is about one transcript segment rather than the whole submission.
    segment = models.ForeignKey(
        "Segment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="predictions",
        verbose_name=_("segment"),
    )
    # The transcript version the prediction was made on (audio only): corrections make new ones.
    transcript_version = models.PositiveIntegerField(_("transcript version"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("prediction")
        verbose_name_plural = _("predictions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["label", "created_at"], name="prediction_label_date"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(uncertain=True),
                name="prediction_uncertain_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.model_version})"

    @property
    def is_explained(self) -> bool:
        return self.explained_at is not None

    @property
    def explanation_pending(self) -> bool:
        """Not explained yet, and it can be: someone asking for it queues the work."""
        return self.explained_at is None and not self.explanation_failure

    def sentence_list(self) -> list[PredictedSentence]:
        """The stored sentences, typed (annotation/predictions.py)."""
        return sentences_load(self.sentences)

    @property
    def shares(self) -> list[tuple[str, float]]:
        """The share of sentences shown under each register, in the portal's order."""
        labels = [sentence.label for sentence in self.sentence_list()]
        total = len(labels) or 1
        return [(register.value, labels.count(register.value) / total) for register in Register]

    def sorted_scores(self) -> list[tuple[str, float]]:
        """Scores in the portal's fixed register order, for display."""
        return [
            (register.value, float(self.scores.get(register.value, 0.0))) for register in Register
        ]
