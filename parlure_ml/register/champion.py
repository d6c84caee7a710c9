"""Which register model the portal uses.

1. `$PARLURE_REGISTER_MODEL`, a model directory, when set (tests, experiments);
2. else the MLflow registry's `champion` version, downloaded once under var/models/register;
3. else the champion shipped in git (`parlure_ml/register/champion/`): a fresh setup
   classifies well before any training or registry exists.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from parlure_ml.register import tracking
from parlure_ml.register.artifact import RUNS_DIR, SHIPPED_DIR

logger = logging.getLogger(__name__)


def champion_dir() -> Path:
    explicit = os.environ.get("PARLURE_REGISTER_MODEL")
    if explicit:
        return Path(explicit)
    if tracking.is_local_store_missing():
        return SHIPPED_DIR
    try:
        mlflow_client = tracking.client()
        version = tracking.champion(mlflow_client)
        if version is not None:
            return tracking.download(mlflow_client, version, RUNS_DIR / "registry")
    except Exception:  # an unreachable tracking server must not stop the portal classifying
        logger.exception("cannot read the register champion from MLflow; using the shipped model")
    return SHIPPED_DIR
