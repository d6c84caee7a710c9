"""MLflow: where runs are tracked and where the model registry keeps the `champion` alias.

Embedded default: a SQLite store and an artifact folder under the repository's git-ignored `var/`.
`MLFLOW_TRACKING_URI` points at a tracking server instead. The registered model is
`parlure-register`; the version the portal uses carries the alias `champion`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parlure_ml.paths import REPO_ROOT

if TYPE_CHECKING:
    from mlflow import MlflowClient

EXPERIMENT = "parlure-register"
MODEL_NAME = "parlure-register"
CHAMPION = "champion"
LOCAL_DIR = REPO_ROOT / "var" / "mlflow"
ARTIFACT_PATH = "model"


def tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{LOCAL_DIR / 'mlflow.db'}"


def is_local_store_missing() -> bool:
    """True when the embedded store is used and does not exist yet (nothing registered)."""
    return not os.environ.get("MLFLOW_TRACKING_URI") and not (LOCAL_DIR / "mlflow.db").exists()


def client() -> MlflowClient:
    import logging

    import mlflow

    # The SQLite store logs its schema migrations at INFO on first use: noise for our callers.
    logging.getLogger("mlflow.store.db.utils").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # A tqdm bar per model download would clutter worker logs.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    uri = tracking_uri()
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    return mlflow.MlflowClient()


def experiment_id(mlflow_client: MlflowClient) -> str:
    found = mlflow_client.get_experiment_by_name(EXPERIMENT)
    if found is not None:
        return str(found.experiment_id)
    return str(mlflow_client.create_experiment(EXPERIMENT, artifact_location=_artifact_location()))


def _artifact_location() -> str | None:
    """Artifacts beside a SQLite store (MLflow's default, ./mlruns, depends on the working
    directory); a tracking server chooses its own."""
    uri = tracking_uri()
    if uri.startswith("sqlite:///"):
        return (Path(uri.removeprefix("sqlite:///")).parent / "artifacts").as_uri()
    return None


def register(mlflow_client: MlflowClient, run_id: str, tags: dict[str, str]) -> str:
    """Register the run's `model/` artifact as a new version of `parlure-register`."""
    from mlflow.exceptions import MlflowException

    with contextlib.suppress(MlflowException):  # already registered
        mlflow_client.create_registered_model(MODEL_NAME)
    version = mlflow_client.create_model_version(
        MODEL_NAME, f"runs:/{run_id}/{ARTIFACT_PATH}", run_id=run_id, tags=tags
    )
    return str(version.version)


def champion(mlflow_client: MlflowClient) -> Any | None:
    """The model version carrying the `champion` alias, or None."""
    from mlflow.exceptions import MlflowException

    try:
        return mlflow_client.get_model_version_by_alias(MODEL_NAME, CHAMPION)
    except MlflowException:
        return None


def promote(mlflow_client: MlflowClient, version: str) -> None:
    mlflow_client.set_registered_model_alias(MODEL_NAME, CHAMPION, version)


def download(mlflow_client: MlflowClient, version: Any, cache: Path) -> Path:
    """The model directory of a registered version, downloaded once into `cache/v<N>-<run>`
    (the run id too: another registry's version N is another model)."""
    target = cache / f"v{version.version}-{version.run_id[:12]}"
    if (target / "model.json").is_file():
        return target
    import mlflow.artifacts

    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        path = mlflow.artifacts.download_artifacts(
            artifact_uri=f"runs:/{version.run_id}/{ARTIFACT_PATH}",
            dst_path=tmp,
            tracking_uri=tracking_uri(),
        )
        shutil.move(path, target)  # complete or absent: a crash never leaves half a model
    return target
