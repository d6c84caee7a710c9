"""GET /metrics (Prometheus; staff or a bearer token) and the staff monitoring page /suivi/."""

import datetime
import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from accounts.http import AuthenticatedHttpRequest
from annotation.models import Register, Submission
from common.workers import worker_health

from . import charts, selectors
from .metrics import metrics_render
from .services import alert_active

CHART_DAYS = 30


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
    # Short and unambiguous in every language: "26 Oct", "26 oct.".
    return formats.date_format(day, "j M")


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
            unit=" s",
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
        "versions": versions,
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
    }
    return render(request, "monitoring/dashboard.html", context)
