"""Alerts raised by the monitoring checks (one row per alert: what it saw, and whom it told),
and the drift checks' results (one row per check: the trend /suivi/ draws)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    class Kind(models.TextChoices):
        REJECTIONS = "rejections", _("rejected predictions spike")
        DRIFT = "drift", _("data drift")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The fixed window (aligned on PARLURE_ALERT_WINDOW_MINUTES) the alert was raised in: one
    # alert per kind and window, enforced by the database, so two checks never send two e-mails.
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    # What was counted over the sliding window ending at the check, and the threshold it passed
    # (drift: the features found drifting, and 0).
    count = models.PositiveIntegerField(_("count"))
    threshold = models.PositiveIntegerField(_("threshold"))
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "window_start"], name="alert_one_per_window"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.window_start:%Y-%m-%d %H:%M} ({self.count})"


class DriftCheck(models.Model):
    """One comparison of live texts with the champion's reference profile (monitoring.drift)."""

    class Status(models.TextChoices):
        STABLE = "stable", _("stable")
        DRIFT = "drift", _("drift")
        TOO_FEW = "too_few", _("too few texts")
        NO_PROFILE = "no_profile", _("no reference profile")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    model_version = models.CharField(_("model version"), max_length=100, blank=True)
    # The live window compared: texts read, and how many of them were embedded (distance).
    texts = models.PositiveIntegerField(_("texts"), default=0)
    embedded = models.PositiveIntegerField(_("texts embedded"), default=0)
    # One entry per feature: {"feature", "psi", "p_value", "reference", "live", "drifted"}.
    features = models.JSONField(_("features"), default=list, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("drift check")
        verbose_name_plural = _("drift checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.texts})"

    @property
    def drifted_features(self) -> list[str]:
        return [row["feature"] for row in self.features if row.get("drifted")]
