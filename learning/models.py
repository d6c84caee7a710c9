"""The register model's versions (a mirror of the MLflow registry) and retraining runs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    """One registered version of the register model; MLflow stays the record, this is its mirror
    for pages, metrics and the workers' cheap "which champion?" question."""

    version = models.CharField(_("registry version"), max_length=20, unique=True)
    # What predictions record as their model_version (model.json "version").
    name = models.CharField(_("name"), max_length=100)
    is_champion = models.BooleanField(_("champion"), default=False, db_index=True)
    # "promoted", "challenger", "shipped" or "rollback", with the gate's reason.
    gate_decision = models.CharField(_("gate decision"), max_length=12, blank=True)
    gate_reason = models.TextField(_("gate reason"), blank=True)
    # {"frozen": {"macro_f1", "f1": {...}, "ece"}, "test": {...}, "corrections": {...}, ...}
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    mlflow_run_id = models.CharField(_("MLflow run"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("made champion at"), null=True, blank=True)
    # The share of live predictions this (non-champion) version also scores in shadow: its
    # answers are stored apart (ShadowPrediction) and never shown. 0 is off.
    shadow_share = models.FloatField(
        _("shadow share"),
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_champion"],
                condition=models.Q(is_champion=True),
                name="modelversion_one_champion",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    def f1(self, label: str, evaluation_set: str = "frozen") -> float | None:
        value = self.metrics.get(evaluation_set, {}).get("f1", {}).get(label)
        return float(value) if value is not None else None


class RetrainingRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("from the page")
        API = "api", _("from the API")
        SCHEDULE = "schedule", _("scheduled (new corrections)")
        COMMAND = "command", _("from the command line")
        DRIFT = "drift", _("data drift")

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retraining_runs",
        verbose_name=_("requested by"),
    )
    # Which snapshot of accepted corrections it trained on (review.CorrectionSet.version).
    corrections_version = models.PositiveIntegerField(
        _("corrections version"), null=True, blank=True
    )
    corrections_count = models.PositiveIntegerField(_("corrections"), default=0)
    mlflow_run_id = models.CharField(_("MLflow run"), max_length=64, blank=True)
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("model version"),
    )
    promoted = models.BooleanField(_("promoted"), null=True, blank=True)
    reason = models.TextField(_("gate decision or failure"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("retraining run")
        verbose_name_plural = _("retraining runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one run waiting (and one running): a second click joins the waiting one.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status__in=["queued", "running"]),
                name="retrainingrun_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"retraining {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class ShadowPrediction(models.Model):
    """A challenger's answer on a live prediction's text, scored in shadow: kept for the models
    page's agreement figures and the gate, never shown to the person who submitted the text."""

    prediction = models.ForeignKey(
        "annotation.Prediction",
        on_delete=models.CASCADE,
        related_name="shadow_predictions",
        verbose_name=_("champion's prediction"),
    )
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.CASCADE,
        related_name="shadow_predictions",
        verbose_name=_("challenger"),
    )
    label = models.CharField(_("register"), max_length=10)
    top_label = models.CharField(_("most probable register"), max_length=10)
    scores = models.JSONField(_("scores"))
    latency_ms = models.PositiveIntegerField(_("model time (ms)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("shadow prediction")
        verbose_name_plural = _("shadow predictions")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A re-delivered shadow job finds its row and stops.
            models.UniqueConstraint(
                fields=["prediction", "model_version"], name="shadowprediction_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"shadow v{self.model_version_id} on {self.prediction_id}: {self.top_label}"
