"""Every change to model versions and retraining runs goes through here.

MLflow's registry is the record of versions and of the `champion` alias; `ModelVersion` mirrors
it so that pages, metrics and workers can ask "which champion?" with one query. Promotion and
rollback write both, the registry first.
"""

import hashlib
import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from parlure_ml.register import tracking
from parlure_ml.register.artifact import RUNS_DIR
from parlure_ml.register.examples import Example

from .models import ModelVersion, RetrainingRun

logger = logging.getLogger(__name__)

# One correction in HOLDOUT_EVERY is kept out of training to measure the candidate on recent
# corrections (chosen by the item's id, so the same item always lands on the same side).
HOLDOUT_EVERY = 5
METRIC_SETS = (
    "frozen",
    "test",
    "test_bare",
    "independent_v1",
    "independent_v1_bare",
    "independent_v2",
    "independent_v2_bare",
    "corrections",
)


def _metrics_from_run(run: Any) -> dict[str, Any]:
    """The per-set summary a training run logged, read back from MLflow's metrics."""
    metrics = run.data.metrics if run is not None else {}
    result: dict[str, Any] = {}
    for name in METRIC_SETS:
        if f"{name}_macro_f1" not in metrics:
            continue
        result[name] = {
            "macro_f1": round(metrics[f"{name}_macro_f1"], 4),
            "ece": round(metrics.get(f"{name}_ece", float("nan")), 4),
            "f1": {
                label: round(metrics[f"{name}_f1_{label}"], 4)
                for label in ("soutenu", "neutre", "familier")
                if f"{name}_f1_{label}" in metrics
            },
        }
    return result


@transaction.atomic
def model_versions_sync() -> list[ModelVersion]:
    """Mirror every registered version, its gate decision, metrics and the champion alias."""
    mlflow_client = tracking.client()
    current = tracking.champion(mlflow_client)
    found = mlflow_client.search_model_versions(f"name='{tracking.MODEL_NAME}'")
    synced = []
    ModelVersion.objects.filter(is_champion=True).exclude(
        version=current.version if current else ""
    ).update(is_champion=False)
    for registered in sorted(found, key=lambda v: int(v.version)):
        run = mlflow_client.get_run(registered.run_id) if registered.run_id else None
        is_champion = current is not None and registered.version == current.version
        existing = ModelVersion.objects.filter(version=registered.version).first()
        values = {
            "name": registered.tags.get("version", ""),
            "gate_decision": registered.tags.get("gate", ""),
            "gate_reason": registered.tags.get("gate_reason", ""),
            "metrics": _metrics_from_run(run),
            "mlflow_run_id": registered.run_id or "",
            "is_champion": is_champion,
        }
        if is_champion and (existing is None or not existing.is_champion):
            values["promoted_at"] = timezone.now()
        version, _ = ModelVersion.objects.update_or_create(
            version=registered.version, defaults=values
        )
        synced.append(version)
    return synced


@transaction.atomic
def champion_set(*, version: str, acting_user: User | None) -> ModelVersion:
    """Make a registered version the champion (a promotion by hand, or a rollback).

    Workers notice on their next job and load it, without a restart.
    """
    target = ModelVersion.objects.select_for_update().get(version=version)
    tracking.promote(tracking.client(), version)
    ModelVersion.objects.filter(is_champion=True).exclude(pk=target.pk).update(is_champion=False)
    target.is_champion = True
    target.promoted_at = timezone.now()
    target.shadow_share = 0.0  # the champion answers; it never runs in its own shadow
    # The gate's own decision stays as it was; the hand-over is added to the record.
    who = acting_user.email if acting_user else "a command"
    note = f"Made champion by {who} on {timezone.now():%Y-%m-%d %H:%M}."
    target.gate_reason = f"{target.gate_reason}\n{note}".strip()
    target.save(update_fields=["is_champion", "promoted_at", "gate_reason", "shadow_share"])
    logger.info("register champion set to version %s by %s", version, who)
    return target


def model_directory(version: str) -> Path:
    """The files of a registered version, downloaded once into var/models/register/registry."""
    mlflow_client = tracking.client()
    registered = mlflow_client.get_model_version(tracking.MODEL_NAME, version)
    return tracking.download(mlflow_client, registered, RUNS_DIR / "registry")


def retraining_request(*, requested_by: User | None, trigger: str) -> tuple[RetrainingRun, bool]:
    """Queue a retraining, or return the one already waiting; (run, created)."""
    from .tasks import retraining_task

    try:
        with transaction.atomic():
            run = RetrainingRun.objects.create(trigger=trigger, requested_by=requested_by)
            transaction.on_commit(lambda: retraining_task.delay(run.pk))
            return run, True
    except IntegrityError:  # one is already waiting: a second click joins it
        waiting = RetrainingRun.objects.get(status=RetrainingRun.Status.QUEUED)
        return waiting, False


def _corrections(created_by: User | None) -> Any:
    """A snapshot of every accepted correction so far, split for training and evaluation."""
    from django.apps import apps

    from parlure_ml.register.train import Corrections

    if not apps.is_installed("review"):
        return None
    from review.selectors import correction_set_latest
    from review.services import correction_set_create

    snapshot = correction_set_create(created_by=created_by) or correction_set_latest()
    if snapshot is None or not snapshot.rows:
        return None
    train: list[Example] = []
    held_out: list[Example] = []
    for row in snapshot.rows:
        example = Example(row["text"], row["label"], f"corrections-v{snapshot.version}")
        digest = int(hashlib.sha256(str(row["item"]).encode()).hexdigest(), 16)
        (held_out if digest % HOLDOUT_EVERY == 0 else train).append(example)
    return Corrections(train, held_out, snapshot.version, snapshot.sha256)


def retraining_execute(*, run_id: int) -> RetrainingRun | None:
    """Run a queued retraining: corrections snapshot, training, gate, mirror. Idempotent: a run
    already finished is left alone; one found running (its worker died) starts again."""
    from parlure_ml.register.train import TrainConfig, train

    with transaction.atomic():
        run = RetrainingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in {RetrainingRun.Status.DONE, RetrainingRun.Status.FAILED}:
            return None
        run.status = RetrainingRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    started = time.perf_counter()
    try:
        corrections = _corrections(run.requested_by)
        config = TrainConfig(
            mode=settings.PARLURE_RETRAIN_MODE, epochs=settings.PARLURE_RETRAIN_EPOCHS
        )
        summary = train(config, None, Path(settings.PARLURE_REGISTER_DATASET), corrections)
    except Exception as error:  # the run fails with its reason; nothing else is touched
        logger.exception("retraining %s failed", run_id)
        return _finish(
            run_id,
            status=RetrainingRun.Status.FAILED,
            reason=str(error)[:2000],
            duration_s=time.perf_counter() - started,
        )
    model_versions_sync()
    version = ModelVersion.objects.get(version=summary["registered_version"])
    return _finish(
        run_id,
        status=RetrainingRun.Status.DONE,
        reason=summary["gate"]["reason"],
        duration_s=time.perf_counter() - started,
        promoted=summary["gate"]["promoted"],
        model_version=version,
        mlflow_run_id=summary["run_id"],
        corrections_version=corrections.version if corrections else None,
        corrections_count=len(corrections.train) + len(corrections.evaluation)
        if corrections
        else 0,
    )


@transaction.atomic
def _finish(run_id: int, **values: Any) -> RetrainingRun:
    run = RetrainingRun.objects.select_for_update().get(pk=run_id)
    for field, value in values.items():
        setattr(run, field, value)
    run.finished_at = timezone.now()
    run.save()
    return run


def retraining_if_due() -> RetrainingRun | None:
    """Beat's check: queue a run when enough new corrections are waiting and none is active."""
    from .selectors import pending_corrections_count, retraining_run_active

    if retraining_run_active() is not None:
        return None
    pending = pending_corrections_count()
    if pending is None or pending < settings.PARLURE_RETRAIN_MIN_CORRECTIONS:
        return None
    run, _ = retraining_request(requested_by=None, trigger=RetrainingRun.Trigger.SCHEDULE)
    return run
