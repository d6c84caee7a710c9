"""Reads for model versions and retraining runs."""

from django.apps import apps
from django.db.models import QuerySet

from .models import ModelVersion, RetrainingRun


def champion() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_champion=True).first()


def champion_version() -> str | None:
    """The registry version workers should serve: one indexed query, cheap enough per job."""
    return ModelVersion.objects.filter(is_champion=True).values_list("version", flat=True).first()


def model_version_registered(*, name: str) -> str | None:
    """The registry version of the model whose card says ``name`` (what predictions record)."""
    return (
        ModelVersion.objects.filter(name=name)
        .order_by("-created_at", "-id")
        .values_list("version", flat=True)
        .first()
    )


def model_version_list() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.order_by("-created_at", "-id")


def retraining_run_list(limit: int | None = 20) -> QuerySet[RetrainingRun]:
    """The newest runs; limit=None leaves the queryset whole (the API pages through it)."""
    runs = RetrainingRun.objects.select_related("model_version", "requested_by")
    return runs if limit is None else runs[:limit]


def retraining_run_active() -> RetrainingRun | None:
    return (
        RetrainingRun.objects.filter(
            status__in=[RetrainingRun.Status.QUEUED, RetrainingRun.Status.RUNNING]
        )
        .order_by("created_at")
        .first()
    )


def pending_corrections_count() -> int | None:
    """Accepted corrections not in any snapshot yet; None without the review app."""
    if not apps.is_installed("review"):
        return None
    from review.selectors import correction_set_latest, corrections_since

    latest = correction_set_latest()
    return len(corrections_since(latest.version if latest else None))
