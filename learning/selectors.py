"""Reads for model versions and retraining runs."""

from django.db.models import QuerySet

from .models import ModelVersion, RetrainingRun


def champion() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_champion=True).first()


def champion_version() -> str | None:
    """The registry version workers should serve: one indexed query, cheap enough per job."""
    return ModelVersion.objects.filter(is_champion=True).values_list("version", flat=True).first()


def model_version_list() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.order_by("-created_at", "-id")


def retraining_run_list(limit: int = 20) -> QuerySet[RetrainingRun]:
    return RetrainingRun.objects.select_related("model_version", "requested_by")[:limit]


def retraining_run_active() -> RetrainingRun | None:
    return (
        RetrainingRun.objects.filter(
            status__in=[RetrainingRun.Status.QUEUED, RetrainingRun.Status.RUNNING]
        )
        .order_by("created_at")
        .first()
    )
