"""Audio files for the portal's tests, made at test time (espeak-ng for speech)."""

import io
import math
import struct
import wave
from pathlib import Path

import pytest

from parlure_ml.speech.synth import SHORT_FRENCH, SynthesisUnavailableError, synthesize


@pytest.fixture(scope="session")
def french_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "bonjour.wav"
    try:
        return synthesize(SHORT_FRENCH, path)
    except SynthesisUnavailableError as error:
        pytest.skip(str(error))


def wav_bytes(seconds: float, *, tone_hz: float | None = None, rate: int = 16_000) -> bytes:
    """A mono 16-bit WAV of silence, or of a pure tone."""
    frames = int(seconds * rate)
    samples = (
        int(8000 * math.sin(2 * math.pi * tone_hz * n / rate)) if tone_hz else 0
        for n in range(frames)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buffer.getvalue()
