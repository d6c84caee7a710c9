"""Reads for model versions and retraining runs."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet

from .models import ModelVersion, RetrainingRun, ShadowPrediction


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


def model_versions_with_shadow() -> set[int]:
    """Ids of the versions in shadow now or with shadow predictions stored."""
    return set(ModelVersion.objects.filter(shadow_share__gt=0).values_list("pk", flat=True)) | set(
        ShadowPrediction.objects.values_list("model_version_id", flat=True).distinct()
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


@dataclass(frozen=True)
class Proportion:
    """k successes out of n, with a 95 % confidence interval (Wilson score)."""

    k: int
    n: int

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.n:
            return None
        # Imported here: only the pages that show figures pay for it.
        from scipy.stats import binomtest

        ci = binomtest(self.k, self.n).proportion_ci(confidence_level=0.95, method="wilson")
        return float(ci.low), float(ci.high)

    @property
    def percent(self) -> float | None:
        return None if self.value is None else 100 * self.value

    @property
    def interval_percent(self) -> tuple[float, float] | None:
        interval = self.interval
        return None if interval is None else (100 * interval[0], 100 * interval[1])


@dataclass(frozen=True)
class ShadowAgreement:
    """A challenger's live evidence: how often it picks the champion's register, how often
    each of them picks the reviewers' decided register on the same items."""

    n: int
    with_champion: Proportion
    with_reviewers: Proportion
    champion_with_reviewers: Proportion


def shadow_agreement(*, version: ModelVersion) -> ShadowAgreement:
    """The agreement figures of a challenger's shadow predictions (the most likely register of
    each model is compared, so an uncertain "hésitant" answer counts by its best guess)."""
    rows = list(
        ShadowPrediction.objects.filter(model_version=version).values_list(
            "prediction_id", "top_label", "prediction__top_label"
        )
    )
    same = sum(1 for _id, shadow, champion in rows if shadow == champion)
    decided: dict[int, str] = {}
    if apps.is_installed("review"):
        from review.selectors import decided_labels_by_prediction

        decided = decided_labels_by_prediction(
            prediction_ids=ShadowPrediction.objects.filter(model_version=version).values(
                "prediction_id"
            )
        )
    reviewed = [row for row in rows if row[0] in decided]
    return ShadowAgreement(
        n=len(rows),
        with_champion=Proportion(same, len(rows)),
        with_reviewers=Proportion(
            sum(1 for pk, shadow, _c in reviewed if shadow == decided[pk]), len(reviewed)
        ),
        champion_with_reviewers=Proportion(
            sum(1 for pk, _s, champion in reviewed if champion == decided[pk]), len(reviewed)
        ),
    )
