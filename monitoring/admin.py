from django.contrib import admin
from django.http import HttpRequest

from .models import Alert, DriftCheck


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("kind", "window_start", "count", "threshold", "emailed_at", "recipients")
    list_filter = ("kind", "created_at")
    date_hierarchy = "created_at"
    readonly_fields = (
        "kind",
        "window_start",
        "window_end",
        "count",
        "threshold",
        "emailed_at",
        "recipients",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Alerts are raised by the check, never typed in.
        return False


@admin.register(DriftCheck)
class DriftCheckAdmin(admin.ModelAdmin[DriftCheck]):
    list_display = ("created_at", "status", "texts", "embedded", "model_version", "duration_ms")
    list_filter = ("status", "created_at")
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "model_version",
        "texts",
        "embedded",
        "features",
        "duration_ms",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Checks are recorded by the beat task, never typed in.
        return False
