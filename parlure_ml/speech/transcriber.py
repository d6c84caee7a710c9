"""Whisper base (CTranslate2, int8, CPU) through faster-whisper: audio in, timed words out.

Decisions:

- Language: Whisper's language detector always runs first, on the first 30 s of speech, even
  when the caller asks for French. It needs the encoder's output for the first 30 s, which the
  first window of the transcription needs too: the detector is given the features exactly as
  the transcription cuts them, and the encoder remembers its last answer (`_shared_encoder_model`),
  so the two share one pass (faster-whisper itself encodes twice when it detects). The
  transcript then reports both the language it was written in and what the detector heard, so
  the portal can tell someone that their recording does not sound French instead of showing a
  French-looking transcription of English. Transcription itself uses the requested language:
  people decide, the detector only warns.
- Silence: the Silero VAD filter runs before anything else; when it finds no speech we return an
  empty transcript without running Whisper at all, since Whisper invents text ("Sous-titres
  réalisés par...") on silence. Text is also not conditioned on the previous window
  (`condition_on_previous_text=False`), which stops one hallucination from seeding the next;
  faster-whisper already drops windows whose no-speech probability is high and log-probability
  low.
- Threads: `$PARLURE_TORCH_THREADS` (the encoder's setting; CTranslate2 uses it too), so one
  variable sizes every model in a worker.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from parlure_ml.backbone.encoder import torch_threads
from parlure_ml.paths import default_model_dir, force_offline
from parlure_ml.process_local import ProcessLocal, keep_alive
from parlure_ml.speech import confidence
from parlure_ml.speech.audio import SAMPLE_RATE, AudioSource, decode_audio
from parlure_ml.speech.sources import WHISPER_SUBDIR

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

MODEL_NAME = "whisper-base-ct2-int8"
# How a vocabulary (names, places, jargon) reaches the decoder: faster-whisper's ``hotwords``
# (a prefix prompt on every window), Whisper's ``initial_prompt`` (the previous-text context of the
# first window only, since condition_on_previous_text is off), or both. docs/speech.md gives the
# figures that chose it (bench/vocabulary.py).
VOCABULARY_MODES = ("hotwords", "prompt", "both")
VOCABULARY_MODE = "prompt"
# Whisper keeps at most 223 prompt tokens; a vocabulary longer than this is cut to its first terms.
VOCABULARY_MAX_CHARS = 600
# A recording whose speech fits in one 30 s window is decoded in two parts, cut at a pause near
# FIRST_PART_S, so that its first segments (and their register) reach the page while the rest is
# decoded; docs/speech.md has the figures (time, time to the first segment, WER).
WINDOW_S = 30.0
FIRST_PART_S: float | None = 10.0
FIRST_PART_SEARCH_S = 3.0
FIRST_PART_MIN_REST_S = 4.0
COMPUTE_TYPE = "int8"  # int8 weights: ~2x faster than float32 on CPU for no measurable loss


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str  # as Whisper writes it, with its leading space
    probability: float  # Whisper's own, raw
    # Calibrated probability that the word is right, and whether the editor should point at it
    # (`parlure_ml.speech.confidence`); None where no calibration applies.
    confidence: float | None = None
    uncertain: bool | None = None


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: list[Word]
    # What Whisper reports for the window the segment came from (word confidence reads them).
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


@dataclass(frozen=True)
class Transcript:
    language: str | None  # the language the text is in; None only for silence with detection
    # The detector's probability that the speech is in `language` (None when nothing was heard).
    language_probability: float | None
    duration_s: float
    text: str
    segments: list[Segment]
    detected_language: str | None = None  # what the detector heard; may differ from `language`
    model: str = MODEL_NAME

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, strings and floats."""
        return dataclasses.asdict(self)


class Transcriber:
    def __init__(self, model: WhisperModel) -> None:
        self.model = model

    @classmethod
    def load(cls, model_dir: Path | None = None) -> Transcriber:
        """Load `<model_dir>/whisper-base` (see `parlure_ml.assemble`); never downloads."""
        force_offline()  # faster-whisper imports huggingface_hub, which reads these at import

        path = (model_dir or default_model_dir()) / WHISPER_SUBDIR
        if not (path / "model.bin").is_file():
            # A bare name would make faster-whisper download from the hub: refuse before that.
            raise FileNotFoundError(
                f"{path}: no assembled model; run python -m parlure_ml.assemble"
            )
        model = _shared_encoder_model()(
            str(path),
            device="cpu",
            compute_type=COMPUTE_TYPE,
            cpu_threads=torch_threads(),
            local_files_only=True,
        )
        return cls(model)

    def transcribe(
        self,
        source: AudioSource,
        *,
        language: str | None = "fr",
        beam_size: int = 5,
        vad: bool = True,
        on_progress: Callable[[float], None] | None = None,
        on_segment: Callable[[Segment], None] | None = None,
        max_seconds: float | None = None,
        detect_language: bool = True,
        vocabulary: Sequence[str] = (),
        vocabulary_mode: str = VOCABULARY_MODE,
        second_decode: bool | None = None,
        first_part_s: float | None = FIRST_PART_S,
    ) -> Transcript:
        """Transcribe `source` (a path or a binary file object) with word timings.

        `language=None` transcribes in the detected language. `on_progress` receives the
        fraction of the audio covered so far, never decreasing, ending with 1.0; `on_segment`
        receives each segment as soon as it is decoded, before its progress is reported.
        Raises `AudioError` for a file that cannot be decoded, or that decodes to more than
        `max_seconds` (check files with `probe_audio` first: this is the backstop).
        `detect_language=False` skips the detector (about 0.75 s) when `language` is given; the
        transcript then has no detected language and no probability. `vocabulary` lists words
        and names the speech may contain (people, places, jargon), passed as `vocabulary_mode`
        says (VOCABULARY_MODES). Each word carries a calibrated `confidence` and an `uncertain`
        flag; `second_decode` (default: what the calibration file says) decodes the speech once
        more, greedily, and sharpens them with where the two decodes disagree.
        """
        from faster_whisper.transcribe import restore_speech_timestamps

        audio = decode_audio(source, max_seconds=max_seconds)
        duration = len(audio) / SAMPLE_RATE
        progress = _Progress(duration, on_progress)
        speech, chunks = speech_only(audio) if vad else (audio, [])
        if vad and not chunks:
            progress.done()
            return Transcript(language, None, round(duration, 3), "", [])

        cut = first_part_end(speech, first_part_s)
        detected: str | None = None
        probabilities: dict[str, float] = {}
        if detect_language or language is None:
            # The features of the first window exactly as transcribe() will cut them (it drops
            # the last frame): the encoder's output is then the one the first window needs,
            # and _SharedEncoder hands it over instead of encoding the window twice.
            features = self.model.feature_extractor(speech[:cut])[..., :-1]
            detected, _, all_probs = self.model.detect_language(features=features)
            probabilities = dict(all_probs)
        language = language or detected
        # The speech alone, as faster-whisper's own VAD filter cuts it (its default VadOptions,
        # the chunks joined end to end), and the times put back on the recording as it does:
        # its filter would run the VAD a second time (62 % of a worker's transcription time in
        # a profile on the shared 2-core machine).
        options = vocabulary_options(vocabulary, vocabulary_mode)
        decode = functools.partial(
            self._decode, language=language, beam_size=beam_size, options=options
        )
        if cut is None:
            raw_segments = decode(speech)
        else:
            # The first part on its own: its segments come while the rest is decoded.
            raw_segments = itertools.chain(
                decode(speech[:cut]), decode(speech[cut:], offset=cut / SAMPLE_RATE)
            )
        if vad:
            raw_segments = restore_speech_timestamps(raw_segments, chunks, SAMPLE_RATE)
        two_decodes = confidence.second_decode_enabled() if second_decode is None else second_decode
        segments = []
        for raw in raw_segments:  # lazy: each window is decoded when the loop asks for it
            words = [
                Word(float(w.start), float(w.end), w.word, round(float(w.probability), 4))
                for w in raw.words or []
            ]
            segment = Segment(
                float(raw.start),
                float(raw.end),
                raw.text.strip(),
                words,
                avg_logprob=round(float(raw.avg_logprob), 4),
                no_speech_prob=round(float(raw.no_speech_prob), 4),
                compression_ratio=round(float(raw.compression_ratio), 4),
            )
            if not two_decodes:
                segment = with_confidence(segment)  # final now: the live page can show it
            segments.append(segment)
            if on_segment is not None:
                on_segment(segment)
            progress.reached(float(raw.end))
        if two_decodes:
            greedy = self.greedy_text(speech, language, options)
            segments = with_agreement(segments, greedy)
        progress.done()
        return Transcript(
            language=language,
            language_probability=(
                round(float(probabilities.get(language or "", 0.0)), 4) if probabilities else None
            ),
            duration_s=round(duration, 3),
            text=" ".join(s.text for s in segments if s.text),
            segments=segments,
            detected_language=detected,
        )

    def _decode(
        self,
        speech: np.ndarray,
        *,
        language: str | None,
        beam_size: int,
        options: dict[str, str],
        offset: float = 0.0,
    ) -> Iterator[Any]:
        """faster-whisper's segments for `speech`, lazily, their times moved by `offset` s."""
        raw_segments, _info = self.model.transcribe(
            speech,
            language=language,
            beam_size=beam_size,
            vad_filter=False,
            word_timestamps=True,
            condition_on_previous_text=False,
            **options,
        )
        for raw in raw_segments:
            if offset:
                raw.start += offset
                raw.end += offset
                for word in raw.words or []:
                    word.start += offset
                    word.end += offset
            yield raw

    def greedy_text(self, speech: np.ndarray, language: str | None, options: dict[str, str]) -> str:
        """The same speech decoded once more, greedily and without word timings (its words are
        only compared with the beam search's)."""
        raw_segments, _info = self.model.transcribe(
            speech,
            language=language,
            beam_size=1,
            temperature=0.0,
            vad_filter=False,
            condition_on_previous_text=False,
            **options,
        )
        return " ".join(raw.text for raw in raw_segments)


def first_part_end(speech: np.ndarray, target_s: float | None) -> int | None:
    """Where to end the first part of the speech (a sample index): in the quietest 200 ms
    within FIRST_PART_SEARCH_S of `target_s` (a pause between words), when the speech fits in
    one window and leaves FIRST_PART_MIN_REST_S after the cut; None: decode it in one part."""
    if not target_s or len(speech) > WINDOW_S * SAMPLE_RATE:
        return None  # longer speech already comes window by window
    frame = SAMPLE_RATE // 5
    low = int((target_s - FIRST_PART_SEARCH_S) * SAMPLE_RATE)
    high = min(
        int((target_s + FIRST_PART_SEARCH_S) * SAMPLE_RATE),
        len(speech) - int(FIRST_PART_MIN_REST_S * SAMPLE_RATE),
    )
    if low < frame or high - low < frame:
        return None
    frames = speech[low:high][: (high - low) // frame * frame].reshape(-1, frame)
    quietest = int(np.argmin(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))))
    return low + quietest * frame + frame // 2


def speech_only(audio: np.ndarray) -> tuple[np.ndarray, list[dict[str, int]]]:
    """The speech in `audio` as Silero VAD finds it (faster-whisper's default options), joined
    end to end, and the chunks it came from (none: no speech)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(audio, VadOptions())
    if not chunks:
        return audio[:0], []
    return np.concatenate([audio[c["start"] : c["end"]] for c in chunks]), chunks


def _stats(segment: Segment) -> confidence.SegmentStats:
    return confidence.SegmentStats(
        segment.avg_logprob, segment.no_speech_prob, segment.compression_ratio
    )


def with_confidence(segment: Segment, agrees: Sequence[bool] | None = None) -> Segment:
    """The segment with each word's calibrated confidence and uncertain flag."""
    calibration = confidence.calibration(two_decodes=agrees is not None)
    if not segment.words or calibration is None:
        return segment
    rows = confidence.feature_rows(
        [w.probability for w in segment.words],
        [w.end - w.start for w in segment.words],
        [w.word for w in segment.words],
        _stats(segment),
        agrees,
    )
    words = []
    for word, row in zip(segment.words, rows, strict=True):
        value = calibration.confidence(row)
        words.append(
            dataclasses.replace(
                word, confidence=round(value, 4), uncertain=value < calibration.threshold
            )
        )
    return dataclasses.replace(segment, words=words)


def with_agreement(segments: list[Segment], other_text: str) -> list[Segment]:
    """Segments scored with the two-decode calibration: each word's agreement with `other_text`,
    a second decode of the same speech."""
    agrees = confidence.agreement([w.word for s in segments for w in s.words], other_text)
    scored = []
    at = 0
    for segment in segments:
        count = len(segment.words)
        scored.append(with_confidence(segment, agrees[at : at + count]))
        at += count
    return scored


def _shared_encoder_model() -> type[WhisperModel]:
    """WhisperModel whose encoder remembers its last answer: language detection and the first
    window of the transcription encode the same 30 s, which cost a second encoder pass (about
    0.5 s on 2 cores for Whisper base). Keyed by the features' content, so only the same input
    gets the same output."""
    from faster_whisper import WhisperModel

    class SharedEncoderWhisper(WhisperModel):
        _last: tuple[bytes, Any] | None = None

        def encode(self, features: np.ndarray) -> Any:
            key = hashlib.blake2b(np.ascontiguousarray(features).tobytes(), digest_size=16)
            digest = key.digest() + str(features.shape).encode()
            if self._last is not None and self._last[0] == digest:
                return self._last[1]
            output = super().encode(features)
            self._last = (digest, output)
            return output

    return SharedEncoderWhisper


def vocabulary_options(vocabulary: Sequence[str], mode: str) -> dict[str, str]:
    """faster-whisper's keyword arguments for a vocabulary: {} for none."""
    if mode not in VOCABULARY_MODES:
        raise ValueError(f"vocabulary mode {mode!r} is not one of {VOCABULARY_MODES}")
    terms: list[str] = []
    for term in (" ".join(term.split()) for term in vocabulary):
        if term and term not in terms and len(", ".join([*terms, term])) <= VOCABULARY_MAX_CHARS:
            terms.append(term)
    if not terms:
        return {}
    listed = ", ".join(terms)
    options = {}
    if mode in ("hotwords", "both"):
        options["hotwords"] = listed
    if mode in ("prompt", "both"):
        options["initial_prompt"] = f"{listed}."
    return options


class _Progress:
    """Turns segment end times into a non-decreasing fraction of the audio, ending at 1.0."""

    def __init__(self, duration: float, callback: Callable[[float], None] | None) -> None:
        self.duration = duration
        self.callback = callback
        self.last = 0.0

    def reached(self, seconds: float) -> None:
        if self.duration > 0:
            self._report(min(1.0, seconds / self.duration))

    def done(self) -> None:
        self._report(1.0)

    def _report(self, fraction: float) -> None:
        # Strictly increasing, so 1.0 comes once: from the last segment or from done().
        if fraction > self.last:
            self.last = fraction
            if self.callback is not None:
                self.callback(fraction)


def _clear_vad_session() -> None:
    # faster-whisper caches its VAD's ONNX Runtime session per process; it must not cross a fork.
    vad = sys.modules.get("faster_whisper.vad")
    if vad is not None and vad.get_vad_model.cache_info().currsize:
        # Keep the parent's session alive (see process_local): only the cache forgets it.
        keep_alive(vad.get_vad_model())
        vad.get_vad_model.cache_clear()


_transcriber = ProcessLocal(lambda: Transcriber.load(), after_fork=_clear_vad_session)


def get_transcriber() -> Transcriber:
    """The process-wide transcriber, loaded on first use: after a worker forks, never at import."""
    return _transcriber.get()
