"""Audio made at test time for the portal's tests."""

import io
import math
import struct
import wave


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
