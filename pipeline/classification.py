"""The bridge between Django and the models: no ORM here, so it can be timed alone."""

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from learning.champion import champion_pinned, champion_version_resolve
from learning.selectors import model_version_registered
from learning.services import model_directory
from parlure_ml.register import RegisterClassifier, RegisterPrediction, get_classifier
from parlure_ml.register.artifact import SHIPPED_DIR, ModelCard
from parlure_ml.register.classifier import Evidence
from parlure_ml.speech.audio import SAMPLE_RATE, decode_audio
from parlure_ml.speech.live import stable_cut, transcribe_piece
from parlure_ml.speech.speakers import get_voice_encoder, label_speakers
from parlure_ml.speech.transcriber import Segment, Transcript, get_transcriber

logger = logging.getLogger(__name__)

# This process's classifier for the champion it last saw: (pid, registry version, classifier).
_champion: tuple[int, str, RegisterClassifier] | None = None
# Older models this process loaded to explain their own predictions: (pid, {model_version: it}).
_former: tuple[int, dict[str, RegisterClassifier]] | None = None
FORMER_MODELS_KEPT = 2
# One model load at a time in a process: the warm-up thread and the first job can ask together,
# and two loads at once double the memory and race in transformers' lazy imports (seen as
# "cannot import name 'BertModel'", which made a job fall back to the shipped model).
_loading = threading.RLock()


def _new_lock_after_fork() -> None:
    global _loading
    _loading = threading.RLock()


os.register_at_fork(after_in_child=_new_lock_after_fork)
# The challenger this process scores in shadow: (pid, registry version, classifier). One only,
# beside the champion: a new challenger replaces the old one in memory.
_challenger: tuple[int, str, RegisterClassifier] | None = None
INT8_SUFFIX = "+int8"


class ModelUnavailable(Exception):
    """The model that made a prediction cannot be loaded any more (its files are gone)."""


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
    version = None if champion_pinned() is not None else _champion_version()
    if version is None:
        return get_classifier()
    if _champion is not None and _champion[:2] == (os.getpid(), version):
        return _champion[2]
    with _loading:
        return _champion_load(version)


def _champion_load(version: str) -> RegisterClassifier:
    global _champion
    if _champion is not None and _champion[:2] == (os.getpid(), version):
        return _champion[2]  # another thread loaded it while this one waited
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
    """Classify one text someone submitted, with its explanations (they open the result at
    once); returns the prediction and model time (ms)."""
    [prediction], latency_ms = register_classify_many([text], explain=True)
    return prediction, latency_ms


def register_classify_many(
    texts: list[str], *, explain: bool
) -> tuple[list[RegisterPrediction], int]:
    """Classify several texts in one batch; returns the predictions and the total time (ms).

    Bulk work (imports) passes explain=False: explanations cost several times the model's
    own time, and are computed when someone asks for them (``register_explain``).
    """
    classifier = register_classifier()
    started = time.perf_counter()
    predictions = classifier.predict(
        texts, uncertain_below=settings.PARLURE_UNCERTAIN_BELOW, explain=explain
    )
    return predictions, round((time.perf_counter() - started) * 1000)


def register_classifier_for(model_version: str) -> RegisterClassifier:
    """The classifier that recorded ``model_version`` on its predictions: the champion's, or an
    older registered version (or the shipped one) loaded once per process.

    Raises ModelUnavailable when no model of that version can be loaded: a prediction is never
    explained by another model than the one that made it.
    """
    current = register_classifier()
    if current.model_version == model_version:
        return current
    with _loading:
        return _former_load(model_version)


def _former_load(model_version: str) -> RegisterClassifier:
    global _former
    if _former is None or _former[0] != os.getpid():
        _former = (os.getpid(), {})
    loaded = _former[1]
    if model_version in loaded:
        return loaded[model_version]
    name = model_version.removesuffix(INT8_SUFFIX)
    int8 = model_version.endswith(INT8_SUFFIX)
    try:
        classifier = RegisterClassifier.load(_model_directory_named(name), int8=int8)
    except ModelUnavailable:
        raise
    except Exception as error:
        logger.exception("cannot load register model %s", model_version)
        raise ModelUnavailable(model_version) from error
    if classifier.model_version != model_version:  # a directory that lies about its card
        raise ModelUnavailable(model_version)
    while len(loaded) >= FORMER_MODELS_KEPT:
        loaded.pop(next(iter(loaded)))
    loaded[model_version] = classifier
    return classifier


def _model_directory_named(name: str) -> Path:
    """Where the model whose card says ``name`` lives: pinned, shipped or registered."""
    for directory in (champion_pinned(), SHIPPED_DIR):
        card = directory / "model.json" if directory is not None else None
        if card is not None and card.exists() and ModelCard.read(card.parent).version == name:
            return card.parent
    try:
        registry_version = model_version_registered(name=name)
    except DatabaseError:
        registry_version = None
    if registry_version is None:
        raise ModelUnavailable(name)
    return model_directory(registry_version)


def register_explain(
    *, text: str, sentences: list[tuple[int, int, str]], model_version: str
) -> tuple[list[tuple[Evidence, ...]], int]:
    """The deciding words of a prediction's sentences, (start, end, top_label) in the text it
    read, by the model that made it: the same as if it had explained them at once. Returns the
    evidence per sentence and the model time (ms); raises ModelUnavailable."""
    classifier = register_classifier_for(model_version)
    started = time.perf_counter()
    evidence = classifier.explain(text, sentences)
    return evidence, round((time.perf_counter() - started) * 1000)


def challenger_classifier(version: str) -> RegisterClassifier:
    """The classifier of a registered challenger, loaded once per process and kept alone: a
    process holds at most one challenger beside its champion."""
    global _challenger
    if _challenger is not None and _challenger[:2] == (os.getpid(), version):
        return _challenger[2]
    _challenger = None  # free the previous one before loading the next
    with _loading:
        classifier = RegisterClassifier.load(model_directory(version))
    logger.info(
        "register challenger in shadow is version %s (%s)", version, classifier.model_version
    )
    _challenger = (os.getpid(), version, classifier)
    return classifier


def challenger_classify(version: str, text: str) -> tuple[RegisterPrediction, int]:
    """A challenger's answer on one text, without explanations (nobody reads them); returns
    the prediction and model time (ms)."""
    classifier = challenger_classifier(version)
    started = time.perf_counter()
    [prediction] = classifier.predict(
        [text], uncertain_below=settings.PARLURE_UNCERTAIN_BELOW, explain=False
    )
    return prediction, round((time.perf_counter() - started) * 1000)


def speech_transcribe(
    path: Path,
    on_progress: Callable[[float], None],
    vocabulary: Sequence[str] = (),
    on_segment: Callable[[Segment], None] | None = None,
    max_seconds: float | None = None,
) -> Transcript:
    """Transcribe a French recording with the process's speech model; ``vocabulary`` lists the
    names and jargon it may contain (the corpus's and its author's); ``on_segment`` receives
    each segment as soon as it is decoded."""
    return get_transcriber().transcribe(
        path,
        language="fr",
        on_progress=on_progress,
        on_segment=on_segment,
        vocabulary=vocabulary,
        # A backstop: the upload was checked, but a header can lie about the duration.
        max_seconds=max_seconds or settings.PARLURE_AUDIO_MAX_SECONDS,
    )


def speech_decode_stable(
    path: Path,
    *,
    from_s: float,
    max_seconds: float,
    detect_language: bool,
    vocabulary: Sequence[str] = (),
) -> tuple[float, Transcript] | None:
    """A recording still being made: decode, for good, its audio from `from_s` to the last
    pause that is over (parlure_ml.speech.live). Returns where that audio ends and its
    transcript (times in the recording); None when no pause is over yet."""
    audio = decode_audio(path, max_seconds=max_seconds)[round(from_s * SAMPLE_RATE) :]
    cut = stable_cut(audio)
    if cut is None:
        return None
    piece = audio[: round(cut * SAMPLE_RATE)]
    result = transcribe_piece(
        get_transcriber(),
        piece,
        offset_s=from_s,
        detect_language=detect_language,
        vocabulary=vocabulary,
    )
    return from_s + len(piece) / SAMPLE_RATE, result


def speech_transcribe_after(
    path: Path,
    *,
    from_s: float,
    before: Sequence[Segment],
    detected_language: str | None,
    language_probability: float | None,
    max_seconds: float,
    on_progress: Callable[[float], None],
    vocabulary: Sequence[str] = (),
    on_segment: Callable[[Segment], None] | None = None,
) -> Transcript:
    """A recording whose audio before `from_s` was decoded while it was made (`before`, its
    segments, and what the language detector heard in it): decode the rest, and return the
    whole transcript, as ``speech_transcribe`` would."""
    audio = decode_audio(path, max_seconds=max_seconds)
    duration = len(audio) / SAMPLE_RATE
    start = min(round(from_s * SAMPLE_RATE), len(audio))
    rest = duration - start / SAMPLE_RATE

    def progress(fraction: float) -> None:
        on_progress(min(1.0, (from_s + fraction * rest) / duration) if duration else 1.0)

    after = transcribe_piece(
        get_transcriber(),
        audio[start:],
        offset_s=start / SAMPLE_RATE,
        detect_language=not detected_language,
        vocabulary=vocabulary,
        on_progress=progress,
        on_segment=on_segment,
    )
    segments = [*before, *after.segments]
    detected = detected_language or after.detected_language
    return Transcript(
        language="fr",
        language_probability=(
            language_probability if detected_language else after.language_probability
        ),
        duration_s=round(duration, 3),
        text=" ".join(segment.text for segment in segments if segment.text),
        segments=segments,
        detected_language=detected,
    )


def speech_speakers(path: Path, transcript: Transcript, speakers: str) -> list[str]:
    """Who speaks each of the transcript's segments ("S1", "S2"...), one label per segment
    ("" for a segment without text).

    ``speakers`` is "auto" (the number of speakers is found) or how many there are. The voice
    encoder is the process's own (loaded on first use, then kept); the audio is decoded again
    here, as the speech model read it.
    """
    audio = decode_audio(path, max_seconds=settings.PARLURE_AUDIO_MAX_SECONDS)
    # Segments without text are not stored: they get no speaker, and take no label number.
    spoken = [segment for segment in transcript.segments if segment.text.strip()]
    labels = iter(
        label_speakers(
            audio,
            [(segment.start, segment.end) for segment in spoken],
            speakers=None if speakers == "auto" else int(speakers),
            encoder=get_voice_encoder(),
        )
    )
    return [next(labels) if segment.text.strip() else "" for segment in transcript.segments]


def models_warm_up(names: list[str]) -> None:
    """Load the named models ("register", "speech", "speakers") now rather than on the first
    job."""
    if "register" in names:
        register_classifier()
    if "speech" in names:
        get_transcriber()
    if "speakers" in names:
        get_voice_encoder()
