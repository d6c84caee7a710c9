"""The bridge between Django and the register model: no ORM here, so it can be timed alone."""

import time

from parlure_ml.register import RegisterPrediction, get_classifier


def register_classify(text: str) -> tuple[RegisterPrediction, int]:
    """Classify one text with the process's model; returns the prediction and model time (ms)."""
    classifier = get_classifier()
    started = time.perf_counter()
    [prediction] = classifier.predict([text])
    return prediction, round((time.perf_counter() - started) * 1000)


def register_warm_up() -> None:
    """Load the model now rather than on the first job (called after fork, in each worker child)."""
    get_classifier()
