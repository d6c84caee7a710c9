"""Alerts raised by the monitoring checks, one row per alert: what it saw, and whom it told."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    class Kind(models.TextChoices):
        REJECTIONS = "rejections", _("rejected predictions spike")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The fixed window (aligned on PARLURE_ALERT_WINDOW_MINUTES) the alert was raised in: one
    # alert per kind and window, enforced by the database, so two checks never send two e-mails.
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    # What was counted over the sliding window ending at the check, and the threshold it passed.
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
