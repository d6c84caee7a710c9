"""Audio fixtures made at test time: PyAV encodes (no ffmpeg binary needed), numpy synthesizes."""

from __future__ import annotations

import io
import wave
from fractions import Fraction
from pathlib import Path
from typing import IO

import av
import numpy as np
from av.audio.stream import AudioStream

# (container, encoder, sample rate) as people and browsers produce them.
FORMATS = {
    "mp3": ("mp3", "libmp3lame", None),
    "ogg": ("ogg", "libopus", 48000),
    "webm": ("webm", "libopus", 48000),
    "flac": ("flac", "flac", None),
    "m4a": ("ipod", "aac", None),
}


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def encode(
    src: Path,
    dst: Path | IO[bytes],
    container: str,
    codec: str,
    rate: int | None = None,
    *,
    repeat: int = 1,
    container_options: dict[str, str] | None = None,
    audio_streams: int = 1,
    video: bool = False,
    cover: bool = False,
) -> None:
    """Re-encode the audio of `src` (`repeat` times over) into `dst`."""
    with av.open(str(src)) as inp:
        frames = list(inp.decode(audio=0))
    source_rate = frames[0].sample_rate
    with av.open(dst, "w", format=container, container_options=container_options) as out:
        streams = [_audio_stream(out, codec, rate or source_rate) for _ in range(audio_streams)]
        for stream in streams:
            stream.layout = "mono"
        if video:
            picture = out.add_stream("mpeg4", rate=10)
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        if cover:
            _add_cover(out)
        for stream in streams:
            resampler = av.AudioResampler(format=stream.format, layout="mono", rate=stream.rate)
            for frame in [*frames * repeat, None]:  # None flushes the resampler
                if frame is not None:
                    frame.pts = None
                for converted in resampler.resample(frame):
                    out.mux(stream.encode(converted))
            out.mux(stream.encode(None))
        if video:
            for index in range(10):
                image = av.VideoFrame.from_ndarray(
                    np.full((48, 64, 3), index * 20, dtype=np.uint8), format="rgb24"
                )
                image.pts = index
                image.time_base = Fraction(1, 10)
                out.mux(picture.encode(image.reformat(format="yuv420p")))
            out.mux(picture.encode(None))


def _audio_stream(out: av.container.OutputContainer, codec: str, rate: int) -> AudioStream:
    stream = out.add_stream(codec, rate=rate)
    assert isinstance(stream, AudioStream)
    return stream


def _add_cover(out: av.container.OutputContainer) -> None:
    png = io.BytesIO()
    with av.open(png, "w", format="image2pipe") as image_out:
        stream = image_out.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 8, 8, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), dtype=np.uint8), format="rgb24")
        image_out.mux(stream.encode(frame))
        image_out.mux(stream.encode(None))
    cover = out.add_stream("png", rate=1)
    cover.width, cover.height, cover.pix_fmt = 8, 8, "rgb24"
    cover.disposition = av.stream.Disposition.attached_pic
    packet = av.Packet(png.getvalue())
    packet.stream = cover
    packet.pts = packet.dts = 0
    out.mux(packet)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="image2pipe") as out:
        stream = out.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), dtype=np.uint8), format="rgb24")
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buffer.getvalue()
