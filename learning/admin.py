from django.contrib import admin

from .models import ModelVersion, RetrainingRun, ShadowPrediction


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin[ModelVersion]):
    list_display = (
        "version",
        "name",
        "is_champion",
        "shadow_share",
        "gate_decision",
        "created_at",
        "promoted_at",
    )
    list_filter = ("is_champion", "gate_decision")
    search_fields = ("version", "name", "gate_reason")
    # The registry is the record: versions change through the models page or the services.
    readonly_fields = [f.name for f in ModelVersion._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(RetrainingRun)
class RetrainingRunAdmin(admin.ModelAdmin[RetrainingRun]):
    list_display = (
        "id",
        "status",
        "trigger",
        "requested_by",
        "model_version",
        "promoted",
        "duration_s",
        "created_at",
    )
    list_filter = ("status", "trigger", "promoted")
    readonly_fields = [f.name for f in RetrainingRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ShadowPrediction)
class ShadowPredictionAdmin(admin.ModelAdmin[ShadowPrediction]):
    list_display = ("prediction", "model_version", "top_label", "latency_ms", "created_at")
    list_filter = ("model_version",)
    readonly_fields = [f.name for f in ShadowPrediction._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
