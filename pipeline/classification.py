"""The bridge between Django and the models: no ORM here, so it can be timed alone."""

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from learning.champion import champion_pinned, champion_version_resolve
from learning.services import model_directory
from parlure_ml.register import RegisterClassifier, RegisterPrediction, get_classifier
from parlure_ml.speech.transcriber import Transcript, get_transcriber

logger = logging.getLogger(__name__)

# This process's classifier for the champion it last saw: (pid, registry version, classifier).
_champion: tuple[int, str, RegisterClassifier] | None = None


def _champion_version() -> str | None:
    try:
        return champion_version_resolve()
    except DatabaseError:  # no tables yet (a command before `migrate`): the shipped champion
        return None


def register_classifier() -> RegisterClassifier:
    """The current champion's classifier, reloaded when staff promote or roll back a version.

    Asks learning's resolver which version is champion (one indexed query per job, the registry
    every few seconds), so workers switch without a restart, and follow a promotion made in the
    registry (make train). A pinned model (PARLURE_REGISTER_MODEL) or an empty mirror falls back
    to parlure_ml's own choice (the pinned directory, else the shipped champion), loaded once.
    """
    global _champion
    version = None if champion_pinned() is not None else _champion_version()
    if version is None:
        return get_classifier()
    if _champion is not None and _champion[:2] == (os.getpid(), version):
        return _champion[2]
    try:
        classifier = RegisterClassifier.load(model_directory(version))
    except Exception:
        # The registry is unreachable or the files are bad: keep serving what this process has
        # rather than failing every job; the next job tries again.
        logger.exception("cannot load register champion version %s", version)
        if _champion is not None and _champion[0] == os.getpid():
            return _champion[2]
        return get_classifier()
    logger.info("register champion is now version %s (%s)", version, classifier.model_version)
    _champion = (os.getpid(), version, classifier)
    return classifier


def register_classify(text: str) -> tuple[RegisterPrediction, int]:
    """Classify one text with the process's model; returns the prediction and model time (ms)."""
    [prediction], latency_ms = register_classify_many([text])
    return prediction, latency_ms


def register_classify_many(texts: list[str]) -> tuple[list[RegisterPrediction], int]:
    """Classify several texts in one batch; returns the predictions and the total time (ms)."""
    classifier = register_classifier()
    started = time.perf_counter()
    predictions = classifier.predict(
        texts, uncertain_below=settings.PARLURE_UNCERTAIN_BELOW, explain=True
    )
    return predictions, round((time.perf_counter() - started) * 1000)


def speech_transcribe(path: Path, on_progress: Callable[[float], None]) -> Transcript:
    """Transcribe a French recording with the process's speech model."""
    return get_transcriber().transcribe(
        path,
        language="fr",
        on_progress=on_progress,
        # A backstop: the upload was checked, but a header can lie about the duration.
        max_seconds=settings.PARLURE_AUDIO_MAX_SECONDS,
    )


def models_warm_up(names: list[str]) -> None:
    """Load the named models ("register", "speech") now rather than on the first job."""
    if "register" in names:
        register_classifier()
    if "speech" in names:
        get_transcriber()
