"""Writes for drift monitoring: compare live texts with the champion's reference profile.

Run by Celery beat (monitoring.tasks.drift_check_task, every PARLURE_DRIFT_CHECK_MINUTES) on the
nlp queue, where the model is loaded; never on a page request. The statistics live in
parlure_ml.register.drift; each check stores one DriftCheck row (the trend on /suivi/, the
gauges of /metrics). A drift raises one Alert a day at most (banner, e-mail to the
administrators), and with PARLURE_DRIFT_RETRAIN queues a retraining.
"""

import datetime
import logging
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from parlure_ml.register import drift
from pipeline.classification import register_classifier

from . import selectors
from .labels import drift_labels
from .models import Alert, DriftCheck
from .services import ALERT_BANNER_CACHE_KEY, alert_send

logger = logging.getLogger(__name__)

# One drift alert (and e-mail) per day at most while the drift lasts.
DRIFT_ALERT_HOURS = 24


def drift_check() -> DriftCheck:
    """Compare the live window with the champion's profile and record the result."""
    started = time.perf_counter()
    classifier = register_classifier()
    directory = classifier.directory
    profile = drift.profile_read(directory) if directory is not None else None
    rows = selectors.drift_window(
        settings.PARLURE_DRIFT_WINDOW_DAYS, settings.PARLURE_DRIFT_WINDOW_SIZE
    )
    values: dict[str, object] = {"model_version": classifier.model_version, "texts": len(rows)}
    if profile is None:
        status = DriftCheck.Status.NO_PROFILE
    elif len(rows) < settings.PARLURE_DRIFT_MIN_TEXTS:
        status = DriftCheck.Status.TOO_FEW
    else:
        texts = [text for text, _register in rows]
        sample = _spread(texts, settings.PARLURE_DRIFT_EMBEDDING_SAMPLE)
        embeddings = (
            drift.embed(classifier.network, classifier.batcher, sample)[0] if sample else None
        )
        live = drift.live_features(profile, texts, [r for _text, r in rows], embeddings)
        results = drift.compare(
            profile, live, settings.PARLURE_DRIFT_PSI, settings.PARLURE_DRIFT_P_VALUE
        )
        status = (
            DriftCheck.Status.DRIFT if any(r.drifted for r in results) else DriftCheck.Status.STABLE
        )
        values |= {"embedded": len(sample), "features": [r.as_dict() for r in results]}
    check = DriftCheck.objects.create(
        status=status, duration_ms=round((time.perf_counter() - started) * 1000), **values
    )
    cache.delete(ALERT_BANNER_CACHE_KEY)
    if status == DriftCheck.Status.DRIFT:
        logger.warning("drift: %s drift from the reference profile", check.drifted_features)
        _drift_alert(check)
    return check


def _spread(texts: list[str], size: int) -> list[str]:
    """At most ``size`` texts taken evenly across the window (deterministic)."""
    if size <= 0 or not texts:
        return []
    step = max(1, len(texts) // size)
    return texts[::step][:size]


def _drift_alert(check: DriftCheck) -> None:
    """One alert per DRIFT_ALERT_HOURS: e-mail, and a retraining when PARLURE_DRIFT_RETRAIN."""
    length = datetime.timedelta(hours=DRIFT_ALERT_HOURS)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    start = epoch + ((check.created_at - epoch) // length) * length
    try:
        with transaction.atomic():
            alert, created = Alert.objects.get_or_create(
                kind=Alert.Kind.DRIFT,
                window_start=start,
                defaults={
                    "window_end": start + length,
                    "count": len(check.drifted_features),
                    "threshold": 0,
                },
            )
    except IntegrityError:  # another check created it between our get and our insert
        return
    if not created:
        return
    features = ", ".join(drift_labels(check.drifted_features))
    alert_send(
        alert,
        _("[Parlure] Data drift: %(features)s") % {"features": features},
        "\n\n".join(
            [
                _(
                    "The last %(texts)s texts classified differ from the model's training data "
                    "on: %(features)s."
                )
                % {"texts": check.texts, "features": features},
                _(
                    "The model may be less accurate on them. See the monitoring page (%(url)s); "
                    "a retraining on recent corrections may help."
                )
                % {"url": reverse("monitoring:dashboard") + "#drift-heading"},
                _("This is sent once a day at most while the drift lasts."),
            ]
        ),
    )
    if settings.PARLURE_DRIFT_RETRAIN:
        _retraining_queue()


def _retraining_queue() -> None:
    if not apps.is_installed("learning"):
        return
    from learning.models import RetrainingRun
    from learning.selectors import retraining_run_active
    from learning.services import retraining_request

    if retraining_run_active() is not None:
        return
    run, _created = retraining_request(requested_by=None, trigger=RetrainingRun.Trigger.DRIFT)
    logger.warning("drift: retraining %s queued", run.pk)
