"""Reads for monitoring: queue depth, and the figures of /metrics and /suivi/.

Everything here is computed from real sources at the time of the call: the database (jobs,
predictions, feedback, reviews, model versions) and the broker (queue depth). The workers
themselves answer in common.workers (one Celery broadcast, cached).
"""

import datetime
import logging
from dataclasses import dataclass
from statistics import quantiles
from typing import Any, TypedDict

from celery import current_app as celery_app
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from annotation.models import Prediction, Register, Submission
from annotation.workers import QUEUE_ASR, QUEUE_NLP
from review.models import Feedback, ReviewItem

from .models import DriftCheck

logger = logging.getLogger(__name__)


# --- Broker -------------------------------------------------------------------------------------


def queue_depths() -> dict[str, int] | None:
    """Messages waiting in each queue, from the broker itself; None when it cannot be reached.

    kombu's virtual transports (Redis: LLEN of the queue's lists, one per priority; the embedded
    file-system broker: the queue's message files) count with ``_size``; other transports
    answer a passive declare with the count.
    """
    try:
        with celery_app.connection_for_read(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
            channel: Any = conn.default_channel
            depths = {}
            for name in [queue.name for queue in celery_app.conf.task_queues or ()]:
                size = getattr(channel, "_size", None)
                if callable(size):
                    depths[name] = int(size(name))
                else:
                    depths[name] = int(channel.queue_declare(queue=name, passive=True)[1])
            return depths
    except Exception as error:
        logger.warning("queue depth: the broker cannot be reached: %s", error)
        return None


# --- Jobs and durations -------------------------------------------------------------------------


def job_counts() -> dict[tuple[str, str], int]:
    """Submissions by (status, kind), every combination present (zero when none)."""
    counts = {
        (status.value, kind.value): 0 for status in Submission.Status for kind in Submission.Kind
    }
    rows = Submission.objects.values_list("status", "kind").annotate(n=Count("id")).order_by()
    for status, kind, n in rows:
        counts[(status, kind)] = n
    return counts


# Buckets of parlure_task_duration_seconds: a text takes well under a second, a recording minutes.
TASK_DURATION_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0)


@dataclass(frozen=True)
class DurationHistogram:
    queue: str
    task: str
    buckets: list[tuple[float, int]]  # (upper bound in seconds, cumulative count)
    count: int
    total_seconds: float


def task_durations() -> list[DurationHistogram]:
    """How long the workers' jobs took, per queue and task, from the jobs' own timestamps.

    A worker sets ``started_at`` when it claims a job and ``finished_at`` when it records the
    result (or the failure); an audio job's transcription ends when its transcript is written,
    after which the register of the transcript is computed on the nlp queue. Computed at scrape
    time, so every worker process, on any machine, is counted without sharing memory with the web.
    """
    specs: list[tuple[str, str, str, Any]] = [
        (QUEUE_NLP, "classify_submission", Submission.Kind.TEXT, F("finished_at")),
        (
            QUEUE_ASR,
            "transcribe_submission",
            Submission.Kind.AUDIO,
            Coalesce(F("transcript__created_at"), F("finished_at")),
        ),
    ]
    histograms = []
    for queue, task, kind, end in specs:
        duration = ExpressionWrapper(end - F("started_at"), output_field=DurationField())
        rows = (
            Submission.objects.filter(
                kind=kind,
                status__in=[Submission.Status.DONE, Submission.Status.FAILED],
                started_at__isnull=False,
                finished_at__isnull=False,
            )
            .annotate(duration=duration)
            .filter(duration__gte=datetime.timedelta(0))
        )
        aggregates: dict[str, Any] = {
            f"le_{index}": Count("id", filter=Q(duration__lte=datetime.timedelta(seconds=bound)))
            for index, bound in enumerate(TASK_DURATION_BUCKETS)
        }
        result = rows.aggregate(count=Count("id"), total=Sum("duration"), **aggregates)
        total: datetime.timedelta | None = result["total"]
        histograms.append(
            DurationHistogram(
                queue=queue,
                task=task,
                buckets=[
                    (bound, int(result[f"le_{index}"]))
                    for index, bound in enumerate(TASK_DURATION_BUCKETS)
                ],
                count=int(result["count"]),
                total_seconds=total.total_seconds() if total else 0.0,
            )
        )
    return histograms


def prediction_counts() -> dict[tuple[str, str], int]:
    """Every prediction stored, by (register shown, model version)."""
    rows = (
        Prediction.objects.values_list("label", "model_version").annotate(n=Count("id")).order_by()
    )
    return {(label, version): n for label, version, n in rows}


# --- Review -------------------------------------------------------------------------------------


def feedback_counts() -> dict[str, int]:
    """Feedback rows by kind (register: "this label is wrong"; transcript: "this text is wrong")."""
    counts = {kind.value: 0 for kind in Feedback.Kind}
    for kind, n in Feedback.objects.values_list("kind").annotate(n=Count("id")).order_by():
        counts[kind] = n
    return counts


def disagreement_counts() -> tuple[int, int]:
    """(items judged by two reviewers or more, those among them whose labels differ)."""
    several = ReviewItem.objects.annotate(
        reviewers=Count("judgements__reviewer", distinct=True),
        labels=Count("judgements__label", distinct=True),
    ).filter(reviewers__gte=2)
    return several.count(), several.filter(labels__gte=2).count()


def rejections_since(since: datetime.datetime) -> int:
    """Register feedback (people saying a label is wrong) received since ``since``."""
    return Feedback.objects.filter(kind=Feedback.Kind.REGISTER, created_at__gte=since).count()


# --- Model versions -----------------------------------------------------------------------------


class ModelInUse(TypedDict):
    version: str  # what predictions record as their model_version
    registry_version: str  # the MLflow registry version, when known
    source: str  # "champion" (learning app) or "latest_prediction"


def model_in_use() -> ModelInUse | None:
    """The champion of the learning app, else the version of the latest prediction."""
    if apps.is_installed("learning"):
        from learning.champion import champion_resolve

        current = champion_resolve()
        if current is not None:
            return {
                "version": current.name,
                "registry_version": current.version,
                "source": "champion",
            }
    latest = (
        Prediction.objects.order_by("-created_at", "-id")
        .values_list("model_version", flat=True)
        .first()
    )
    if latest is None:
        return None
    return {"version": latest, "registry_version": "", "source": "latest_prediction"}


class ModelVersionRow(TypedDict):
    version: str
    name: str
    is_champion: bool
    gate_decision: str
    gate_reason: str
    macro_f1: float | None
    f1: dict[str, float | None]
    ece: float | None
    corrections_macro_f1: float | None
    created_at: datetime.datetime
    promoted_at: datetime.datetime | None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def model_versions(limit: int = 20) -> list[ModelVersionRow] | None:
    """The registry's versions with their evaluation figures; None without the learning app."""
    if not apps.is_installed("learning"):
        return None
    from learning.champion import champion_resolve
    from learning.selectors import model_version_list

    # The resolver is the one answer to "which is the champion" (the facts above the table too).
    current = champion_resolve()
    rows: list[ModelVersionRow] = []
    for version in model_version_list()[:limit]:
        metrics = version.metrics if isinstance(version.metrics, dict) else {}
        test = metrics.get("frozen") or metrics.get("test") or {}
        corrections = metrics.get("corrections") or {}
        f1 = test.get("f1") or {}
        rows.append(
            {
                "version": version.version,
                "name": version.name,
                "is_champion": current is not None and version.pk == current.pk,
                "gate_decision": version.gate_decision,
                "gate_reason": version.gate_reason,
                "macro_f1": _number(test.get("macro_f1")),
                "f1": {register.value: _number(f1.get(register.value)) for register in Register},
                "ece": _number(test.get("ece")),
                "corrections_macro_f1": _number(corrections.get("macro_f1")),
                "created_at": version.created_at,
                "promoted_at": version.promoted_at,
            }
        )
    return rows


# --- The staff page's series --------------------------------------------------------------------


def days_back(days: int) -> list[datetime.date]:
    """The last ``days`` local days, oldest first, today included."""
    today = timezone.localdate()
    return [today - datetime.timedelta(days=offset) for offset in reversed(range(days))]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class RegisterDay(TypedDict):
    day: datetime.date
    counts: dict[str, int]
    total: int


def register_distribution(days: int = 30) -> list[RegisterDay]:
    """Registers of whole texts and transcripts (not segments) predicted each day."""
    dates = days_back(days)
    series: dict[datetime.date, dict[str, int]] = {
        day: {register.value: 0 for register in Register} for day in dates
    }
    rows = (
        Prediction.objects.filter(segment__isnull=True, created_at__gte=_day_start(dates[0]))
        .annotate(day=TruncDate("created_at"))
        .values_list("day", "label")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, label, n in rows:
        if day in series and label in series[day]:
            series[day][label] = n
    return [
        {"day": day, "counts": series[day], "total": sum(series[day].values())} for day in dates
    ]


class CorrectionDay(TypedDict):
    day: datetime.date
    predictions: int
    feedback: int
    rate: float | None  # feedback per 100 predictions; None on a day without predictions


def _per_day(rows: Any) -> dict[datetime.date, int]:
    return dict(
        rows.annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )


def correction_rate(days: int = 30) -> list[CorrectionDay]:
    """Feedback received per 100 predictions made, each day (every prediction can get some)."""
    dates = days_back(days)
    since = _day_start(dates[0])
    predictions = _per_day(Prediction.objects.filter(created_at__gte=since))
    feedback = _per_day(Feedback.objects.filter(created_at__gte=since))
    result: list[CorrectionDay] = []
    for day in dates:
        made, flagged = predictions.get(day, 0), feedback.get(day, 0)
        result.append(
            {
                "day": day,
                "predictions": made,
                "feedback": flagged,
                "rate": round(100 * flagged / made, 1) if made else None,
            }
        )
    return result


class LatencyDay(TypedDict):
    day: datetime.date
    p50: float | None  # seconds
    p95: float | None
    count: int


class _Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"


def latency_percentiles(days: int = 30) -> dict[str, list[LatencyDay]]:
    """p50 and p95 of "from submission to result" (what people wait), per kind and day."""
    dates = days_back(days)
    waited = ExpressionWrapper(F("finished_at") - F("created_at"), output_field=DurationField())
    done = Submission.objects.filter(
        status=Submission.Status.DONE,
        finished_at__isnull=False,
        created_at__gte=_day_start(dates[0]),
    ).annotate(day=TruncDate("created_at"))
    figures: dict[tuple[str, datetime.date], tuple[float | None, float | None, int]] = {}
    if connection.vendor == "postgresql":
        rows = (
            done.values_list("kind", "day")
            .annotate(
                p50=_Percentile(waited, percentile=0.5, output_field=DurationField()),
                p95=_Percentile(waited, percentile=0.95, output_field=DurationField()),
                n=Count("id"),
            )
            .order_by()
        )
        for kind, day, p50, p95, n in rows:
            figures[(kind, day)] = (_seconds(p50), _seconds(p95), n)
    else:  # SQLite (the embedded default) has no percentile function: compute them here
        samples: dict[tuple[str, datetime.date], list[float]] = {}
        for kind, day, value in done.annotate(waited=waited).values_list("kind", "day", "waited"):
            samples.setdefault((kind, day), []).append(value.total_seconds())
        for key, values in samples.items():
            figures[key] = (_quantile(values, 0.5), _quantile(values, 0.95), len(values))
    return {
        kind.value: [
            {
                "day": day,
                "p50": figures.get((kind.value, day), (None, None, 0))[0],
                "p95": figures.get((kind.value, day), (None, None, 0))[1],
                "count": figures.get((kind.value, day), (None, None, 0))[2],
            }
            for day in dates
        ]
        for kind in Submission.Kind
    }


def _seconds(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds(), 3) if value is not None else None


def _quantile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    cuts = quantiles(sorted(values), n=100, method="inclusive")
    return round(cuts[int(fraction * 100) - 1], 3)


class Backlog(TypedDict):
    jobs: dict[str, dict[str, int]]  # kind → {"queued": n, "transcribing": n, "classifying": n}
    depths: dict[str, int] | None  # queue → messages waiting in the broker; None: unreachable
    oldest_queued: datetime.datetime | None


def backlog() -> Backlog:
    """Jobs waiting or in progress now, and what the broker holds for each queue."""
    counts = job_counts()
    oldest = (
        Submission.objects.filter(status=Submission.Status.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return {
        "jobs": {
            kind.value: {
                status: counts[(status, kind.value)]
                for status in (
                    Submission.Status.QUEUED.value,
                    Submission.Status.TRANSCRIBING.value,
                    Submission.Status.CLASSIFYING.value,
                )
            }
            for kind in Submission.Kind
        },
        "depths": queue_depths(),
        "oldest_queued": oldest,
    }


# --- Data drift ---------------------------------------------------------------------------------


def drift_window(days: int, size: int) -> list[tuple[str, str]]:
    """(text, most probable register) of the latest texts classified within ``days`` days.

    At most ``size``, newest first: each submission once, with its current whole-text
    prediction (a transcript's segments are not counted; recordings without a text are left out).
    """
    since = timezone.now() - datetime.timedelta(days=days)
    rows = (
        Submission.objects.filter(
            current_prediction__isnull=False, current_prediction__created_at__gte=since
        )
        .exclude(text="")
        .order_by("-current_prediction__created_at", "-id")
        .values_list("text", "current_prediction__top_label", "current_prediction__label")[:size]
    )
    return [(text, top or label) for text, top, label in rows]


def drift_latest() -> DriftCheck | None:
    return DriftCheck.objects.first()


def drift_history(days: int) -> list[DriftCheck]:
    """The drift checks of the last ``days`` days, oldest first (the trend /suivi/ draws)."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(DriftCheck.objects.filter(created_at__gte=since).order_by("created_at", "id"))


def drift_alert_active(*, now: datetime.datetime | None = None) -> DriftCheck | None:
    """The latest drift check when it found a drift and is recent (three check periods)."""
    now = now or timezone.now()
    latest = drift_latest()
    if latest is None or latest.status != DriftCheck.Status.DRIFT:
        return None
    stale = datetime.timedelta(minutes=3 * settings.PARLURE_DRIFT_CHECK_MINUTES)
    return latest if now - latest.created_at < stale else None
