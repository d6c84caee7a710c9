"""Check an uploaded audio file and decode it, with PyAV only (its wheel bundles FFmpeg).

Nothing here trusts a file's name or declared content type: FFmpeg is handed a file object, so
its format probe sees bytes only, never an extension. Every failure is one `AudioError` whose
`code` is stable (the portal translates by code) and whose message is a plain English sentence.

Decisions:

- Demuxers are limited to the formats people and browsers actually send (`ALLOWED_FORMATS`):
  FFmpeg can open playlists (hls, concat) that make it read other files or URLs, which an
  upload must never trigger.
- Exactly one audio stream. A cover picture (a video stream flagged `attached_pic`, as in MP3s
  and M4As from music or podcast software) is accepted and ignored: it is one still image, never
  decoded, and rejecting it would refuse ordinary files for no gain. Any other video stream (a
  film, a screen recording) or a second audio stream is "several_streams": we would have to
  guess which soundtrack the person meant. Subtitle, data and attachment streams carry no sound
  and are ignored.
- A file cut short (a browser tab closed mid-recording) keeps what was written before the cut:
  FFmpeg stops at the damage, the audio before it is transcribed, and the duration is that of
  the part that remains. Only a file with nothing decodable is "undecodable".
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import av
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from av.audio.stream import AudioStream
    from av.container import InputContainer

AudioSource = str | os.PathLike[str] | IO[bytes]

SAMPLE_RATE = 16_000  # what Whisper expects
# FFmpeg demuxer names; one name matches a multi-name demuxer such as "mov,mp4,m4a,3gp,3g2,mj2".
ALLOWED_FORMATS = "wav,w64,aiff,caf,mp3,aac,flac,ogg,matroska,mov"
# A decoder may need a few packets before its first frame (Opus pre-skip, AAC priming).
DECODE_CHECK_PACKETS = 32
# Magic numbers of the allowed containers: a file that starts like one but fails to open is
# damaged audio ("undecodable"), anything else is "not_audio".
_AUDIO_MAGIC = (b"RIFF", b"RF64", b"FORM", b"caff", b"ID3", b"OggS", b"fLaC", b"\x1a\x45\xdf\xa3")


class AudioError(ValueError):
    """An audio file the portal cannot use; `code` is one of the CODES."""

    CODES = ("empty", "not_audio", "several_streams", "undecodable", "too_short", "too_long")

    def __init__(self, code: str, message: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown audio error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AudioInfo:
    duration_s: float
    codec: str  # FFmpeg decoder name, e.g. "opus", "mp3float", "pcm_s16le"
    sample_rate: int
    channels: int
    container: str  # FFmpeg demuxer name, e.g. "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"
    # False when the header says nothing of the duration (MediaRecorder's WebM): players then
    # show no length and cannot seek until the file is remuxed (`remux_seekable`).
    has_duration: bool = True


def probe_audio(source: AudioSource, *, max_seconds: float, min_seconds: float = 0.3) -> AudioInfo:
    """Check that `source` holds one decodable audio stream lasting min to max seconds.

    Reads little: the duration comes from the container's header when it has one; otherwise
    (browsers' MediaRecorder WebM has none) packets are demuxed, not decoded, and their time
    stamps read, stopping as soon as `max_seconds` is passed. Only the first packets are decoded,
    to prove the codec works. A file object is read from its start and rewound afterwards.
    """
    with _open(source) as container:
        stream = _the_audio_stream(container)
        time_base = float(stream.time_base) if stream.time_base else 0.0
        header_duration = _header_duration(container, stream)
        if header_duration is not None and header_duration > max_seconds:
            raise _too_long(header_duration, max_seconds)

        start: float | None = None
        end = 0.0
        decoded = False
        packets_decoded = 0
        for packet in container.demux(stream):
            if packet.size == 0:  # the flush packet at the end of the stream
                break
            if packet.pts is not None:
                pts = packet.pts * time_base
                start = pts if start is None else min(start, pts)
                end = max(end, pts + (packet.duration or 0) * time_base)
            if not decoded and packets_decoded < DECODE_CHECK_PACKETS:
                packets_decoded += 1
                decoded = _decodes(packet)
            if header_duration is None and start is not None and end - start > max_seconds:
                raise _too_long(None, max_seconds)
            if decoded and header_duration is not None:
                break
        if not decoded:
            decoded = _flush_decodes(stream)
        if not decoded:
            raise AudioError(
                "undecodable",
                "The audio in this file cannot be decoded: the file is damaged or incomplete.",
            )
        duration = header_duration if header_duration is not None else end - (start or 0.0)
        if duration < min_seconds:
            raise AudioError(
                "too_short",
                f"The recording lasts {duration:.1f} seconds; it must last at least "
                f"{min_seconds:g} seconds.",
            )
        context = stream.codec_context
        return AudioInfo(
            duration_s=round(duration, 3),
            codec=context.name,
            sample_rate=context.sample_rate,
            channels=context.channels,
            container=container.format.name,
            has_duration=header_duration is not None,
        )


def remux_seekable(source: AudioSource) -> bytes:
    """The same audio stream, copied packet by packet (never re-encoded) into a new Matroska/WebM
    file whose header gives the duration and whose cues let a player seek.

    A browser's MediaRecorder streams its WebM as it records, so it never goes back to write
    the duration: players show 0:00 and cannot scrub. Writing the file again to a seekable
    output lets the muxer fill both in. Opus and Vorbis stay WebM; other codecs go to Matroska.
    A failure is an `AudioError` ("undecodable"), as when probing.
    """
    output = io.BytesIO()
    with _open(source) as container:
        stream = _the_audio_stream(container)
        name = "webm" if stream.codec_context.name in {"opus", "vorbis"} else "matroska"
        with av.open(output, mode="w", format=name) as out:
            copy = out.add_stream_from_template(stream)
            for packet in container.demux(stream):
                if packet.dts is None:  # the flush packet at the end of the stream
                    continue
                packet.stream = copy
                out.mux(packet)
    return output.getvalue()


def decode_audio(
    source: AudioSource, *, max_seconds: float | None = None
) -> npt.NDArray[np.float32]:
    """The audio as 16 kHz mono float32 samples, as Whisper takes it.

    Stops with "too_long" as soon as more than `max_seconds` have been decoded: a header may lie
    about the duration that `probe_audio` checked. Damaged frames after the first are skipped, as
    players do.
    """
    limit = None if max_seconds is None else int(max_seconds * SAMPLE_RATE)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[npt.NDArray[np.generic]] = []  # int16: the resampler's format
    total = 0
    with _open(source) as container:
        stream = _the_audio_stream(container)
        for frame in _frames(container, stream):
            for out in resampler.resample(frame):
                chunk = out.to_ndarray().reshape(-1)
                chunks.append(chunk)
                total += chunk.size
            if limit is not None and total > limit:
                raise _too_long(None, limit / SAMPLE_RATE)
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    if not chunks:
        raise AudioError("undecodable", "The audio in this file cannot be decoded.")
    return np.concatenate(chunks).astype(np.float32) / 32768.0


@contextmanager
def _open(source: AudioSource) -> Iterator[InputContainer]:
    """Open `source` for FFmpeg as a file object (no extension hint), mapping failures."""
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as fh, _open_file(fh) as container:
            yield container
    else:
        source.seek(0)
        try:
            with _open_file(source) as container:
                yield container
        finally:
            source.seek(0)


@contextmanager
def _open_file(fh: IO[bytes]) -> Iterator[InputContainer]:
    head = fh.read(12)
    if not head:
        raise AudioError("empty", "The file is empty.")
    fh.seek(0)
    try:
        container = av.open(
            fh,
            mode="r",
            container_options={"format_whitelist": ALLOWED_FORMATS},
            metadata_errors="ignore",
        )
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        if _looks_like_audio(head):
            raise AudioError(
                "undecodable",
                "This looks like an audio file, but it is damaged or incomplete.",
            ) from exc
        raise AudioError("not_audio", "This file is not an audio recording.") from exc
    try:
        yield container
    except (av.FFmpegError, OSError) as exc:
        raise AudioError(
            "undecodable", "The audio in this file cannot be decoded: the file is damaged."
        ) from exc
    finally:
        container.close()


def _looks_like_audio(head: bytes) -> bool:
    if head.startswith(_AUDIO_MAGIC) or head[4:8] == b"ftyp":  # ftyp: MP4/M4A/3GP
        return True
    # An MPEG audio frame sync (MP3 without ID3 tag, AAC in ADTS).
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0


def _the_audio_stream(container: InputContainer) -> AudioStream:
    audio = list(container.streams.audio)
    videos = [
        s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic
    ]
    if not audio:
        if not container.streams:  # a recognized container whose header is cut short
            raise AudioError(
                "undecodable", "This looks like an audio file, but it is damaged or incomplete."
            )
        raise AudioError("not_audio", "This file contains no sound.")
    if len(audio) > 1 or videos:
        raise AudioError(
            "several_streams",
            "This file contains more than one stream (several soundtracks, or a video); "
            "send a file with a single audio track.",
        )
    return audio[0]


def _header_duration(container: InputContainer, stream: AudioStream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    return None


def _decodes(packet: av.Packet) -> bool:
    try:
        return any(isinstance(frame, av.AudioFrame) and frame.samples for frame in packet.decode())
    except av.FFmpegError:
        return False  # a bad first packet may be followed by good ones


def _flush_decodes(stream: AudioStream) -> bool:
    """Frames a decoder still holds at the end of a very short stream."""
    try:
        return any(frame.samples for frame in stream.codec_context.decode(None))
    except av.FFmpegError:
        return False


def _frames(container: InputContainer, stream: AudioStream) -> Iterator[av.AudioFrame]:
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.FFmpegError:
            continue  # skip a damaged frame; an entirely damaged file yields no chunk at all
        for frame in frames:
            if isinstance(frame, av.AudioFrame):
                yield frame


def _too_long(duration: float | None, max_seconds: float) -> AudioError:
    """`duration` when the header gives it; None when we stopped reading past the limit."""
    lasts = f" This one lasts {_clock(duration)}." if duration is not None else ""
    return AudioError(
        "too_long", f"The recording is too long: the limit is {_clock(max_seconds)}.{lasts}"
    )


def _clock(seconds: float) -> str:
    """1 min 05 s, or 42 s."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
