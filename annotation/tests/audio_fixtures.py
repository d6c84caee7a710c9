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


def recorder_chunks(wav: bytes, *, count: int) -> list[bytes]:
    """`wav` as a browser's MediaRecorder sends it while recording: WebM/Opus written live (no
    duration in the header), handed over in `count` pieces that cut it anywhere, as the
    recorder's own chunks do. Joined in order, they make the whole file again."""
    import av

    output = io.BytesIO()
    with av.open(io.BytesIO(wav), "r") as inp:
        frames = list(inp.decode(audio=0))
    with av.open(output, "w", format="webm", container_options={"live": "1"}) as out:
        stream = out.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format, layout="mono", rate=48000)
        for frame in [*frames, None]:
            if frame is not None:
                frame.pts = None
            for converted in resampler.resample(frame):
                out.mux(stream.encode(converted))
        out.mux(stream.encode(None))
    data = output.getvalue()
    size = -(-len(data) // count)
    return [data[at : at + size] for at in range(0, len(data), size)]
