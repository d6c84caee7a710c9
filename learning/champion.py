"""Which register model is the champion: one answer for the jobs, the pages and the API.

MLflow's ``champion`` alias is the record: training's gate, ``registry bootstrap`` (make models),
``registry promote`` and ``champion_set`` (pages, API, rollback) move it. ``ModelVersion``
mirrors it so that a job or a page asks with one indexed query. The resolver keeps the mirror
true: at most every CHAMPION_CHECK_SECONDS per process it asks the registry which version holds
the alias, and mirrors the registry when the alias moved outside the portal (``make train``), so
the next job serves the new champion and every page shows it, without a manual models_sync.

A model pinned by PARLURE_REGISTER_MODEL (tests, experiments) is served instead of any champion;
parlure_ml loads it, and the registry is not asked.
"""

import logging
import os
import time
from pathlib import Path

from parlure_ml.register import tracking

from .models import ModelVersion
from .selectors import champion, champion_version
from .services import model_versions_sync

logger = logging.getLogger(__name__)

PINNED_MODEL_ENV = "PARLURE_REGISTER_MODEL"
# Asking the registry costs a few milliseconds on the embedded store, a round trip to a server:
# once per few seconds per process, not once per job.
CHAMPION_CHECK_SECONDS = 5.0

# When this process last asked the registry: (pid, time.monotonic()).
_registry_checked: tuple[int, float] | None = None


def champion_pinned() -> Path | None:
    """The model directory PARLURE_REGISTER_MODEL pins, served instead of the champion."""
    value = os.environ.get(PINNED_MODEL_ENV)
    return Path(value) if value else None


def champion_resolve() -> ModelVersion | None:
    """The champion's row, once the mirror follows the registry; None when none is registered."""
    _registry_follow()
    return champion()


def champion_version_resolve() -> str | None:
    """The registry version the jobs serve (one indexed query most of the time)."""
    _registry_follow()
    return champion_version()


def _registry_follow() -> None:
    global _registry_checked
    if champion_pinned() is not None:
        return
    now = time.monotonic()
    if _registry_checked is not None:
        pid, checked_at = _registry_checked
        if pid == os.getpid() and now - checked_at < CHAMPION_CHECK_SECONDS:
            return
    _registry_checked = (os.getpid(), now)
    if tracking.is_local_store_missing():
        return  # nothing was ever registered: the shipped champion serves
    try:
        current = tracking.champion(tracking.client())
    except Exception:  # an unreachable registry must not stop the jobs: the mirror answers
        logger.warning("cannot ask the registry for the register champion", exc_info=True)
        return
    if current is not None and str(current.version) != champion_version():
        logger.info("the registry's champion is version %s: mirroring it", current.version)
        model_versions_sync()
