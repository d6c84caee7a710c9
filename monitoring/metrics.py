"""Prometheus metrics: what GET /metrics exposes (names used by deploy/grafana/dashboards).

Two sources:

- live, in the web process: ``parlure_http_request_duration_seconds``, observed by
  RequestMetricsMiddleware. With several web processes (gunicorn workers), set
  PROMETHEUS_MULTIPROC_DIR to an empty folder shared by them (docs/operations.md): every scrape
  then sums all of them, whichever process answers it;
- computed at scrape time from the database, the broker and the workers (PortalCollector):
  jobs, task durations, predictions, feedback and disagreements, queue depth and consumers, the
  model in use. Workers run in other processes, containers or machines: their jobs' timestamps
  in the database are the one place where all of them can be read, so task durations are
  computed there rather than kept in each worker's memory.
"""

import logging
import os
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponseBase
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from common.workers import worker_health

from . import selectors

logger = logging.getLogger(__name__)

# The URL name of /metrics (portal/urls.py): scrapes are not counted as requests.
METRICS_VIEW_NAME = "metrics"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

if _multiprocess_dir := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Each process writes its figures there; a tmpfs folder (e.g. under /dev/shm) is empty at
    # every container start, as prometheus_client wants.
    os.makedirs(_multiprocess_dir, exist_ok=True)

REQUEST_DURATION = Histogram(
    "parlure_http_request_duration_seconds",
    "Time the portal took to answer an HTTP request, by view name, method and status.",
    ["view", "method", "status"],
    # Not in the default registry: each scrape builds its own (see registry_build).
    registry=None,
)


def request_observe(request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
    match = request.resolver_match
    # URL names keep the label set small; a path that matched nothing is one label for all.
    view = match.view_name if match is not None else "unresolved"
    if view == METRICS_VIEW_NAME:
        return
    method = request.method if request.method in _METHODS else "other"
    REQUEST_DURATION.labels(view=view, method=method, status=str(response.status_code)).observe(
        seconds
    )


class PortalCollector(Collector):
    """The figures read at scrape time. A source that fails is left out and logged."""

    def collect(self) -> Iterator[Metric]:
        yield from self._jobs()
        yield from self._task_durations()
        yield from self._predictions()
        yield from self._review()
        yield from self._model()
        yield from self._queues()
        yield from self._drift()

    def _jobs(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily(
            "parlure_jobs", "Submissions by state and kind, now.", labels=["state", "kind"]
        )
        for (state, kind), count in sorted(selectors.job_counts().items()):
            jobs.add_metric([state, kind], count)
        yield jobs

    def _task_durations(self) -> Iterator[Metric]:
        durations = HistogramMetricFamily(
            "parlure_task_duration_seconds",
            "Time a worker took for a job, from claiming it to recording its result, by queue and "
            "task (from the jobs' timestamps in the database).",
            labels=["queue", "task"],
        )
        for histogram in selectors.task_durations():
            buckets: list[tuple[str, float]] = [
                (floatToGoString(bound), float(count)) for bound, count in histogram.buckets
            ]
            buckets.append(("+Inf", float(histogram.count)))
            durations.add_metric(
                [histogram.queue, histogram.task], buckets, sum_value=histogram.total_seconds
            )
        yield durations

    def _predictions(self) -> Iterator[Metric]:
        predictions = CounterMetricFamily(
            "parlure_predictions",
            "Register predictions stored, by register shown and model version.",
            labels=["register", "model_version"],
        )
        for (label, version), count in sorted(selectors.prediction_counts().items()):
            predictions.add_metric([label, version], count)
        yield predictions

    def _review(self) -> Iterator[Metric]:
        feedback = CounterMetricFamily(
            "parlure_feedback",
            "Feedback received: people saying a register (or a transcript) is wrong, by kind.",
            labels=["kind"],
        )
        for kind, count in sorted(selectors.feedback_counts().items()):
            feedback.add_metric([kind], count)
        yield feedback
        judged, disagreements = selectors.disagreement_counts()
        yield GaugeMetricFamily(
            "parlure_review_items_multi_judged",
            "Review items judged by two reviewers or more.",
            value=judged,
        )
        yield GaugeMetricFamily(
            "parlure_review_disagreements",
            "Review items judged by two reviewers or more whose labels differ.",
            value=disagreements,
        )

    def _model(self) -> Iterator[Metric]:
        model = selectors.model_in_use()
        if model is None:
            return
        info = InfoMetricFamily(
            "parlure_model",
            "The register model in use: the champion, else the version of the latest prediction.",
        )
        info.add_metric(
            [],
            {
                "version": model["version"],
                "registry_version": model["registry_version"],
                "source": model["source"],
            },
        )
        yield info

    def _queues(self) -> Iterator[Metric]:
        depths = selectors.queue_depths()
        yield GaugeMetricFamily(
            "parlure_broker_up",
            "1 when the broker answered this scrape.",
            value=int(depths is not None),
        )
        if depths is not None:
            depth = GaugeMetricFamily(
                "parlure_queue_depth", "Jobs waiting in the broker, by queue.", labels=["queue"]
            )
            for queue, count in sorted(depths.items()):
                depth.add_metric([queue], count)
            yield depth
        health = worker_health()
        workers = GaugeMetricFamily(
            "parlure_queue_workers",
            "Workers that answered the last ping (cached 15 s) and consume the queue.",
            labels=["queue"],
        )
        for queue, hosts in sorted(health.by_queue().items()):
            workers.add_metric([queue], len(hosts))
        yield workers

    def _drift(self) -> Iterator[Metric]:
        check = selectors.drift_latest()
        if check is None:
            return
        yield GaugeMetricFamily(
            "parlure_drift_detected",
            "1 when the latest drift check found live texts drifting from the training data.",
            value=int(check.status == check.Status.DRIFT),
        )
        yield GaugeMetricFamily(
            "parlure_drift_window_texts",
            "Texts the latest drift check compared with the model's reference profile.",
            value=check.texts,
        )
        yield GaugeMetricFamily(
            "parlure_drift_check_timestamp_seconds",
            "When the latest drift check ran (Unix time).",
            value=check.created_at.timestamp(),
        )
        size = GaugeMetricFamily(
            "parlure_drift_psi",
            "Population stability index of each feature, live window against the reference "
            "profile (latest check; above PARLURE_DRIFT_PSI counts as drift).",
            labels=["feature"],
        )
        p_value = GaugeMetricFamily(
            "parlure_drift_p_value",
            "p-value of each feature's test (Kolmogorov-Smirnov or chi-squared), latest check.",
            labels=["feature"],
        )
        drifted = GaugeMetricFamily(
            "parlure_drift_feature_drifted",
            "1 when the feature passed both drift thresholds in the latest check.",
            labels=["feature"],
        )
        for row in check.features:
            size.add_metric([row["feature"]], row["psi"])
            p_value.add_metric([row["feature"]], row["p_value"])
            drifted.add_metric([row["feature"]], int(bool(row["drifted"])))
        yield size
        yield p_value
        yield drifted


def registry_build() -> CollectorRegistry:
    """A registry for one scrape: the request histogram (every process's) and PortalCollector."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_DURATION)
    registry.register(PortalCollector())
    return registry


def metrics_render() -> bytes:
    return generate_latest(registry_build())
