"""probe_audio and decode_audio on real files made at test time; no model involved."""

import io
import struct
from pathlib import Path

import av
import numpy as np
import pytest

from parlure_ml.speech.audio import (
    AudioError,
    AudioInfo,
    decode_audio,
    probe_audio,
    remux_seekable,
)
from parlure_ml.tests.speech.media import FORMATS, encode, png_bytes, write_wav


def _probe_error(source, **limits) -> AudioError:
    with pytest.raises(AudioError) as caught:
        probe_audio(source, **{"max_seconds": 60, **limits})
    return caught.value


def test_wav_is_probed(french_wav: Path, french_seconds: float):
    info = probe_audio(french_wav, max_seconds=60)

    assert info == AudioInfo(
        duration_s=round(french_seconds, 3),
        codec="pcm_s16le",
        sample_rate=22050,
        channels=1,
        container="wav",
    )


@pytest.mark.parametrize(
    ("fmt", "codec", "container"),
    [
        ("mp3", "mp3float", "mp3"),
        ("ogg", "opus", "ogg"),
        ("webm", "opus", "matroska,webm"),
        ("flac", "flac", "flac"),
        ("m4a", "aac", "mov,mp4,m4a,3gp,3g2,mj2"),
    ],
)
def test_compressed_formats_are_probed(
    french_wav, tmp_path, fmt, codec, container, french_seconds: float
):
    path = tmp_path / f"speech.{fmt}"
    encode(french_wav, path, *FORMATS[fmt])

    info = probe_audio(path, max_seconds=60)

    assert (info.codec, info.container, info.channels) == (codec, container, 1)
    assert info.duration_s == pytest.approx(french_seconds, abs=0.06)  # encoder padding


def test_recorder_webm_has_no_duration_header_yet_is_measured(
    recorder_webm, counting_reader, french_seconds: float
):
    with av.open(str(recorder_webm)) as container:
        assert container.duration is None
        assert container.streams.audio[0].duration is None
    reader = counting_reader(recorder_webm)

    info = probe_audio(reader, max_seconds=60)

    assert info.duration_s == pytest.approx(french_seconds, abs=0.03)
    assert (info.codec, info.container) == ("opus", "matroska,webm")
    assert info.has_duration is False


def test_recorder_webm_remuxed_gets_a_duration_and_cues_without_reencoding(
    recorder_webm: Path, french_seconds: float
):
    remuxed = io.BytesIO(remux_seekable(recorder_webm))

    info = probe_audio(remuxed, max_seconds=60)
    assert info.has_duration is True
    assert info.duration_s == pytest.approx(french_seconds, abs=0.03)
    assert (info.codec, info.container) == ("opus", "matroska,webm")
    with av.open(str(recorder_webm), "r") as before, av.open(remuxed, "r") as after:
        old = [bytes(p) for p in before.demux(audio=0) if p.size]
        new = [bytes(p) for p in after.demux(audio=0) if p.size]
        assert new == old  # the same Opus packets: copied, not encoded again
        after.seek(int(4 * av.time_base))  # cues: a player can jump into the middle
        pts = next(p.pts for p in after.demux(audio=0) if p.pts is not None)
        time_base = after.streams.audio[0].time_base
        assert time_base is not None
        assert float(pts * time_base) == pytest.approx(4, abs=1.0)


def test_file_object_is_rewound_after_probe(recorder_webm):
    with recorder_webm.open("rb") as fh:
        fh.seek(100)
        probe_audio(fh, max_seconds=60)
        assert fh.tell() == 0


def test_name_is_ignored(french_wav, tmp_path):
    misnamed = tmp_path / "speech.png"
    misnamed.write_bytes(french_wav.read_bytes())

    assert probe_audio(misnamed, max_seconds=60).container == "wav"


def test_zero_bytes_is_empty(tmp_path):
    path = tmp_path / "empty.wav"
    path.touch()

    error = _probe_error(path)

    assert (error.code, error.message) == ("empty", "The file is empty.")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"<!DOCTYPE html><html><body><p>Bonjour</p></body></html>\n", id="html"),
        pytest.param(png_bytes(), id="png"),
        pytest.param(b"Ceci n'est pas un son.\n" * 40, id="text"),
        pytest.param(bytes(range(256)) * 64, id="binary"),
    ],
)
def test_other_files_renamed_wav_are_not_audio(tmp_path, content):
    path = tmp_path / "recording.wav"
    path.write_bytes(content)

    error = _probe_error(path)

    assert (error.code, error.message) == ("not_audio", "This file is not an audio recording.")


def test_video_only_file_is_not_audio(tmp_path, french_wav):
    path = tmp_path / "video.mkv"
    encode(french_wav, path, "matroska", "libopus", 48000, video=True, audio_streams=0)

    assert _probe_error(path).code == "not_audio"


@pytest.mark.parametrize(
    "kwargs",
    [pytest.param({"video": True}, id="with-video"), pytest.param({"audio_streams": 2}, id="two")],
)
def test_several_streams(tmp_path, french_wav, kwargs):
    path = tmp_path / "several.mkv"
    encode(french_wav, path, "matroska", "libopus", 48000, **kwargs)

    error = _probe_error(path)

    assert error.code == "several_streams"
    assert error.message.startswith("This file contains more than one stream")


def test_cover_picture_is_accepted(tmp_path, french_wav, french_seconds: float):
    path = tmp_path / "podcast.mp3"
    encode(french_wav, path, "mp3", "libmp3lame", cover=True)
    with av.open(str(path)) as container:
        assert len(container.streams.video) == 1  # the picture is really there

    info = probe_audio(path, max_seconds=60)

    assert info.codec == "mp3float"
    assert len(decode_audio(path)) == pytest.approx(french_seconds * 16000, rel=0.01)


@pytest.mark.parametrize("keep", [40, 150, 300])
def test_webm_cut_inside_its_header_is_undecodable(tmp_path, recorder_webm, keep):
    path = tmp_path / "cut.webm"
    path.write_bytes(recorder_webm.read_bytes()[:keep])

    error = _probe_error(path)

    assert error.code == "undecodable"
    assert error.message == "This looks like an audio file, but it is damaged or incomplete."


def test_wav_header_without_samples_is_undecodable(tmp_path, french_wav):
    path = tmp_path / "header.wav"
    path.write_bytes(french_wav.read_bytes()[:44])

    assert _probe_error(path).code == "undecodable"


def test_webm_cut_midway_keeps_the_part_before_the_cut(
    tmp_path, recorder_webm, french_seconds: float
):
    data = recorder_webm.read_bytes()
    path = tmp_path / "half.webm"
    path.write_bytes(data[: len(data) // 2])

    info = probe_audio(path, max_seconds=60)

    assert french_seconds / 2 - 1.5 < info.duration_s < french_seconds / 2 + 0.5
    assert len(decode_audio(path)) == pytest.approx(info.duration_s * 16000, rel=0.02)


def test_audio_that_does_not_decode_is_undecodable(tmp_path):
    # A well-formed WAV header announcing MP3 data (format tag 0x55), then zeros: the container
    # opens, but no packet decodes into sound.
    header = b"RIFF" + struct.pack("<I", 36 + 4000) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 0x55, 1, 8000, 1000, 1, 0)
    header += b"data" + struct.pack("<I", 4000)
    path = tmp_path / "bad.wav"
    path.write_bytes(header + bytes(4000))
    with av.open(str(path)) as container:
        assert container.streams.audio[0].codec_context.name == "mp3float"

    error = _probe_error(path)

    assert (error.code, error.message) == (
        "undecodable",
        "The audio in this file cannot be decoded: the file is damaged or incomplete.",
    )


def test_too_short(tmp_path):
    path = write_wav(tmp_path / "blip.wav", np.zeros(int(0.2 * 16000)))

    error = _probe_error(path)

    assert error.code == "too_short"
    assert error.message == ("The recording lasts 0.2 seconds; it must last at least 0.3 seconds.")


@pytest.fixture(scope="module")
def long_recorder_webm(french_wav, tmp_path_factory) -> Path:
    """~69 s of MediaRecorder-like WebM (no duration header)."""
    path = tmp_path_factory.mktemp("long") / "long.webm"
    encode(french_wav, path, "webm", "libopus", 48000, repeat=8, container_options={"live": "1"})
    return path


def test_too_long_without_header_stops_reading_early(long_recorder_webm, counting_reader):
    reader = counting_reader(long_recorder_webm)

    error = _probe_error(reader, max_seconds=10)

    assert (error.code, error.message) == (
        "too_long",
        "The recording is too long: the limit is 10 s.",
    )
    # Demuxing stopped just past 10 s of 69: the rest of the file was never read.
    assert reader.bytes_read < long_recorder_webm.stat().st_size / 4


def test_too_long_from_header_reads_little(french_wav, tmp_path, counting_reader):
    samples = decode_audio(french_wav)
    path = write_wav(tmp_path / "long.wav", np.tile(samples, 8))  # 69 s
    reader = counting_reader(path)

    error = _probe_error(reader, max_seconds=60)

    assert error.code == "too_long"
    assert (
        error.message
        == "The recording is too long: the limit is 1 min 00 s. This one lasts 1 min 08 s."
    )
    assert reader.bytes_read < path.stat().st_size / 4


def test_decode_stops_past_max_seconds(long_recorder_webm):
    with pytest.raises(AudioError) as caught:
        decode_audio(long_recorder_webm, max_seconds=10)

    assert caught.value.code == "too_long"


def test_decode_gives_16khz_mono_float(recorder_webm, french_seconds: float):
    with recorder_webm.open("rb") as fh:
        samples = decode_audio(fh)

    assert samples.dtype == np.float32
    assert len(samples) == pytest.approx(french_seconds * 16000, rel=0.005)
    assert 0.05 < np.abs(samples).max() <= 1.0


def test_unknown_error_code_is_refused():
    with pytest.raises(ValueError, match="unknown audio error code"):
        AudioError("bad", "Bad.")
