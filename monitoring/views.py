"""GET /metrics (Prometheus; staff or a bearer token) and the staff monitoring page /suivi/."""

import datetime
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from accounts.http import AuthenticatedHttpRequest
from annotation.models import Register, Submission
from common.workers import worker_health
from parlure_ml.register import drift

from . import charts, selectors
from .labels import drift_label, drift_labels, gate_label
from .metrics import metrics_render
from .models import DriftCheck
from .services import alert_active

CHART_DAYS = 30
DRIFT_DAYS = 7
DRIFT_POINTS = 200  # the latest checks drawn at most


def _bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def _metrics_refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the request may read the metrics, else the answer to give it."""
    token = _bearer_token(request)
    if token is not None:
        expected = settings.PARLURE_METRICS_TOKEN
        # Constant time: the comparison says nothing about how much of the token was right.
        if expected and token and hmac.compare_digest(token.encode(), expected.encode()):
            return None
        return HttpResponse("Invalid token.\n", status=403, content_type="text/plain")
    user = request.user
    if user.is_authenticated and user.is_active and user.is_staff:
        return None
    if user.is_authenticated:
        return HttpResponse("Staff only.\n", status=403, content_type="text/plain")
    response = HttpResponse(
        "Authentication required: a staff session or a bearer token.\n",
        status=401,
        content_type="text/plain",
    )
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    refusal = _metrics_refusal(request)
    if refusal is not None:
        return refusal
    return HttpResponse(metrics_render(), content_type=CONTENT_TYPE_LATEST)


def _day_label(day: datetime.date) -> str:
    # Short and unambiguous in each language: "Oct. 26", "26 oct.".
    return formats.date_format(day, pgettext("a day on a chart's axis (date format)", "N j"))


def _moment_label(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{_day_label(local.date())} {formats.time_format(local.time(), 'H:i')}"


# What each drift feature's "reference" and "live" figures are (monitoring/drift.py).
def _drift_measure(row: dict[str, Any]) -> str:
    feature = row["feature"]
    if feature == "length":
        return _("mean words per text")
    if feature == "distance":
        return _("mean cosine distance to the training centroid")
    if feature == "register":
        return _("share predicted “%(register)s”") % {
            "register": Register(row["category"]).label if row.get("category") else "—"
        }
    return _("share of texts")


def _drift_figure(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if row["feature"] in {"length", "distance"}:
        return charts.number(value)
    return formats.number_format(100 * value, decimal_pos=0, use_l10n=True) + "\u202f%"


def _drift_context() -> dict[str, Any]:
    history = selectors.drift_history(DRIFT_DAYS)[-DRIFT_POINTS:]
    latest = selectors.drift_latest()
    compared = [check for check in history if check.features]
    series = [
        charts.Series(
            f"drift-{feature}",
            drift_label(feature),
            [_psi(check, feature) for check in compared],
        )
        for feature in drift.FEATURES
    ]
    threshold = charts.Series(
        "drift-threshold",
        _("threshold"),
        [settings.PARLURE_DRIFT_PSI] * len(compared),
        dashed=True,
    )
    rows = [
        {
            "label": drift_label(row["feature"]),
            "measure": _drift_measure(row),
            "reference": _drift_figure(row, "reference"),
            "live": _drift_figure(row, "live"),
            "psi": charts.number(row["psi"]),
            "p_value": formats.number_format(row["p_value"], decimal_pos=3, use_l10n=True)
            if row["p_value"] >= 0.001
            else "< " + formats.number_format(0.001, decimal_pos=3, use_l10n=True),
            "drifted": row["drifted"],
        }
        for row in (latest.features if latest is not None else [])
    ]
    return {
        "drift": latest,
        "drift_rows": rows,
        "drift_labels": drift_labels(latest.drifted_features) if latest is not None else [],
        "drift_chart": charts.lines(
            chart_id="chart-drift",
            title=_("Drift of each feature over the last %(days)s days (PSI)")
            % {"days": DRIFT_DAYS},
            description=_(
                "Population stability index of each feature at each check, live texts against "
                "the training data; above the dashed line (%(threshold)s) a feature may drift."
            )
            % {"threshold": charts.number(settings.PARLURE_DRIFT_PSI)},
            x_labels=[_moment_label(check.created_at) for check in compared],
            series=[*series, threshold],
        )
        if compared
        else None,
        "drift_legend": [
            (s.label, charts.legend_swatch(s.key, s.dashed)) for s in [*series, threshold]
        ],
        "drift_settings": {
            "psi": charts.number(settings.PARLURE_DRIFT_PSI),
            "p_value": charts.number(settings.PARLURE_DRIFT_P_VALUE),
            "minutes": settings.PARLURE_DRIFT_CHECK_MINUTES,
            "days": settings.PARLURE_DRIFT_WINDOW_DAYS,
            "size": settings.PARLURE_DRIFT_WINDOW_SIZE,
            "min_texts": settings.PARLURE_DRIFT_MIN_TEXTS,
            "retrain": settings.PARLURE_DRIFT_RETRAIN,
        },
    }


def _psi(check: DriftCheck, feature: str) -> float | None:
    for row in check.features:
        if row["feature"] == feature:
            return float(row["psi"])
    return None


@never_cache
@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    registers = selectors.register_distribution(CHART_DAYS)
    corrections = selectors.correction_rate(CHART_DAYS)
    latencies = selectors.latency_percentiles(CHART_DAYS)
    backlog = selectors.backlog()
    health = worker_health(refresh=request.GET.get("ping") == "1")
    versions = selectors.model_versions()
    judged, disagreements = selectors.disagreement_counts()
    days = [_day_label(row["day"]) for row in registers]

    register_series = [
        charts.Series(
            register.value, register.value, [row["counts"][register] for row in registers]
        )
        for register in Register
    ]
    # One chart per kind: a text takes a second, a recording a minute.
    latency_charts = []
    for kind, rows in latencies.items():
        name = Submission.Kind(kind).label
        series = [
            charts.Series(f"{kind}-p50", f"{name} p50", [r["p50"] for r in rows]),
            charts.Series(f"{kind}-p95", f"{name} p95", [r["p95"] for r in rows], dashed=True),
        ]
        chart = charts.lines(
            chart_id=f"chart-latency-{kind}",
            title=_("Time from submission to result, %(kind)s (p50 and p95)") % {"kind": name},
            description=_(
                "Median (solid) and 95th percentile (dashed) in seconds, each of the last "
                "%(days)s days; a gap is a day without finished jobs."
            )
            % {"days": CHART_DAYS},
            x_labels=days,
            series=series,
            unit="\u00a0s",
        )
        legend = [(s.label, charts.legend_swatch(s.key, s.dashed)) for s in series]
        latency_charts.append({"chart": chart, "legend": legend})
    backlog_rows = [
        (
            _("%(kind)s jobs %(state)s")
            % {"kind": Submission.Kind(kind).label, "state": Submission.Status(state).label},
            state,
            float(count),
        )
        for kind, states in backlog["jobs"].items()
        for state, count in states.items()
    ]
    if backlog["depths"] is not None:
        backlog_rows += [
            (_("queue “%(queue)s” in the broker") % {"queue": queue}, "depth", float(depth))
            for queue, depth in backlog["depths"].items()
        ]
    macro_rows = [
        (
            f"v{row['version']} {row['name']}",
            "champion" if row["is_champion"] else "version",
            row["macro_f1"],
        )
        for row in versions or []
        if row["macro_f1"] is not None
    ]
    context = {
        "days": CHART_DAYS,
        "registers": registers,
        "register_chart": charts.stacked_bars(
            chart_id="chart-registers",
            title=_("Registers predicted per day"),
            description=_(
                "Stacked bars: for each of the last %(days)s days, the predictions of whole texts "
                "and transcripts by register."
            )
            % {"days": CHART_DAYS},
            x_labels=days,
            series=register_series,
        ),
        "register_legend": [(s.label, charts.legend_swatch(s.key)) for s in register_series],
        "corrections": corrections,
        "correction_chart": charts.lines(
            chart_id="chart-corrections",
            title=_("Correction rate per day"),
            description=_(
                "Feedback received per 100 predictions, each of the last %(days)s days; a gap is "
                "a day without predictions."
            )
            % {"days": CHART_DAYS},
            x_labels=days,
            series=[
                charts.Series(
                    "rate", _("feedback per 100 predictions"), [r["rate"] for r in corrections]
                )
            ],
        ),
        "latencies": latencies,
        "latency_days": list(zip(latencies["text"], latencies["audio"], strict=True)),
        "latency_charts": latency_charts,
        "backlog": backlog,
        "backlog_table": [
            (Submission.Kind(kind).label, states) for kind, states in backlog["jobs"].items()
        ],
        "backlog_chart": charts.horizontal_bars(
            chart_id="chart-backlog",
            title=_("Backlog now"),
            description=_("Jobs queued and running, by kind, and messages waiting in the broker."),
            rows=backlog_rows,
        ),
        "health": health,
        "queues": [
            (
                queue,
                (backlog["depths"] or {}).get(queue) if backlog["depths"] is not None else None,
                hosts,
            )
            for queue, hosts in health.by_queue().items()
        ],
        "versions": [row | {"gate_label": gate_label(row["gate_decision"])} for row in versions]
        if versions is not None
        else None,
        "registers_order": [register.value for register in Register],
        "macro_chart": charts.horizontal_bars(
            chart_id="chart-versions",
            title=_("Macro-F1 of each model version (test set)"),
            description=_(
                "One bar per registered version with test figures; the champion's bar is green."
            ),
            rows=[(label, key, value or 0.0) for label, key, value in macro_rows],
        )
        if macro_rows
        else None,
        "model": selectors.model_in_use(),
        "feedback": selectors.feedback_counts(),
        "judged": judged,
        "disagreements": disagreements,
        "alert": alert_active(),
        "alert_threshold": settings.PARLURE_ALERT_REJECTIONS,
        "alert_minutes": settings.PARLURE_ALERT_WINDOW_MINUTES,
        **_drift_context(),
    }
    return render(request, "monitoring/dashboard.html", context)
