"""The bridge between Django and the models: no ORM here, so it can be timed alone."""

import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from parlure_ml.register import RegisterPrediction, get_classifier
from parlure_ml.speech.transcriber import Transcript, get_transcriber


def register_classify(text: str) -> tuple[RegisterPrediction, int]:
    """Classify one text with the process's model; returns the prediction and model time (ms)."""
    [prediction], latency_ms = register_classify_many([text])
    return prediction, latency_ms


def register_classify_many(texts: list[str]) -> tuple[list[RegisterPrediction], int]:
    """Classify several texts in one batch; returns the predictions and the total time (ms)."""
    classifier = get_classifier()
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
        get_classifier()
    if "speech" in names:
        get_transcriber()
