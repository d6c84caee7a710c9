"""Transcribe a recording while it is being made: piece by piece, each cut in a pause.

The recording grows by a chunk a second. Decoding all of it again each time would cost more
and more; decoding what came in since the last time would cut words in two. So the audio is cut
only where the voice pauses: ``stable_cut`` finds the last pause that is over (the speech after
it has begun, or the silence has lasted long enough), and the audio before it is decoded once,
for good (``transcribe_piece``). After the recording stops, only the audio after the last cut is
left to decode: that is what makes the transcript arrive soon after the stop.

Decisions:

- The pauses are Silero VAD's, as ``Transcriber`` finds speech, but with shorter silences
  (``LIVE_VAD``): faster-whisper's default wants 2 s of silence between two chunks of speech,
  and a person reading aloud rarely stops that long. 300 ms is where sentences end in
  espeak-ng's voice; a pause within a sentence may cut it too, which costs a little context
  (each piece is decoded alone, as Whisper's 30 s windows already are without
  ``condition_on_previous_text``), never a word.
- Nothing within ``MARGIN_S`` of the end of the audio received is cut: at the edge of a
  recording still going on, the VAD cannot tell a pause from a breath.
- A piece is at least ``MIN_PIECE_S`` long: a Whisper call costs an encoder pass on a 30 s
  window whatever the length of the audio in it.
- Each piece goes through ``Transcriber.transcribe`` unchanged (same decoding, VAD, options),
  written as a WAV in memory; only the times are moved to where the piece lies in the recording.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import wave
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from parlure_ml.speech.audio import SAMPLE_RATE

if TYPE_CHECKING:
    from parlure_ml.speech.transcriber import Segment, Transcriber, Transcript

# Silero VAD as faster-whisper runs it, with pauses from 300 ms (see the module's docstring).
LIVE_MIN_SILENCE_MS = 300
LIVE_SPEECH_PAD_MS = 100
MARGIN_S = 2.0
MIN_PIECE_S = 2.0


def stable_cut(
    audio: npt.NDArray[np.float32],
    *,
    margin_s: float = MARGIN_S,
    min_piece_s: float = MIN_PIECE_S,
    final: bool = False,
) -> float | None:
    """Seconds into `audio` (16 kHz mono) before which it can be decoded for good: the middle
    of the last pause that ends at least `margin_s` before the end, or that has lasted
    `margin_s` up to the end. None: no such pause at least `min_piece_s` in.

    `final`: the recording is over, so its end is a pause as good as any.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    duration = len(audio) / SAMPLE_RATE
    if final:
        return duration if duration > 0 else None
    if duration < min_piece_s:
        return None
    options = VadOptions(
        min_silence_duration_ms=LIVE_MIN_SILENCE_MS, speech_pad_ms=LIVE_SPEECH_PAD_MS
    )
    chunks = [
        (c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE)
        for c in get_speech_timestamps(audio, options)
    ]
    if not chunks:
        # Silence only, so far: nothing to decode, and nothing worth keeping to decode later
        # but its last `margin_s`.
        cut = duration - margin_s
        return cut if cut >= min_piece_s else None
    candidates = [(end + start) / 2 for (_, end), (start, _) in itertools.pairwise(chunks)]
    last_end = chunks[-1][1]
    if duration - last_end >= margin_s:
        candidates.append(last_end + min(0.5, (duration - last_end) / 2))
    usable = [cut for cut in candidates if min_piece_s <= cut <= duration - margin_s]
    return max(usable) if usable else None


def transcribe_piece(
    transcriber: Transcriber,
    audio: npt.NDArray[np.float32],
    *,
    offset_s: float,
    detect_language: bool,
    vocabulary: Sequence[str] = (),
    on_progress: Callable[[float], None] | None = None,
    on_segment: Callable[[Segment], None] | None = None,
) -> Transcript:
    """`audio` (a piece of a recording, 16 kHz mono) transcribed as ``Transcriber.transcribe``
    does, in French, with its segments' and words' times moved by `offset_s`: where the piece
    starts in the recording. `on_segment` receives the moved segments."""

    def moved(segment: Segment) -> Segment:
        return segment_shift(segment, offset_s)

    result = transcriber.transcribe(
        _wav(audio),
        language="fr",
        detect_language=detect_language,
        vocabulary=vocabulary,
        on_progress=on_progress,
        on_segment=None if on_segment is None else (lambda s: on_segment(moved(s))),
    )
    return dataclasses.replace(result, segments=[moved(s) for s in result.segments])


def segment_shift(segment: Segment, offset_s: float) -> Segment:
    if not offset_s:
        return segment
    return dataclasses.replace(
        segment,
        start=round(segment.start + offset_s, 3),
        end=round(segment.end + offset_s, 3),
        words=[
            dataclasses.replace(
                word, start=round(word.start + offset_s, 3), end=round(word.end + offset_s, 3)
            )
            for word in segment.words
        ],
    )


def _wav(audio: npt.NDArray[np.float32]) -> io.BytesIO:
    """16-bit PCM: what ``decode_audio`` made the samples from, so nothing is lost."""
    pcm = np.clip(np.round(audio * 32768.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    buffer.seek(0)
    return buffer
