"""Robotic French speech from espeak-ng (Debian package `espeak-ng`), for tests and benchmarks.

Whisper base transcribes it with errors: use it to test behaviour, not accuracy. The voice
variant and speed were chosen by measurement: with "fr+m2" at 125 words a minute the detector
hears French (p ≈ 0.8 on a short sentence, 0.9 on a paragraph); the plain "fr" voice is often
heard as Latin.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FRENCH_VOICE = "fr+m2"
ENGLISH_VOICE = "en"
WORDS_PER_MINUTE = 125

SHORT_FRENCH = (
    "Bonjour à tous. Aujourd'hui, nous allons parler de la météo à Paris. "
    "Il fait beau et le soleil brille sur la ville."
)
# About 30 seconds at WORDS_PER_MINUTE.
LONG_FRENCH = (
    "Bonjour à tous et bienvenue. Aujourd'hui, nous allons parler de la météo à Paris. "
    "Ce matin, il fait beau et le soleil brille sur la ville. Les enfants jouent dans le jardin "
    "pendant que leurs parents boivent un café sur la terrasse. Demain, il va pleuvoir, alors "
    "n'oubliez pas votre parapluie. La semaine prochaine, les températures vont baisser dans "
    "tout le pays. Merci de votre attention et à bientôt."
)
SHORT_ENGLISH = (
    "Hello everyone. Today we are going to talk about the weather in London. It is sunny and warm."
)


class SynthesisUnavailableError(RuntimeError):
    """espeak-ng is not installed."""


def synthesize(
    text: str, path: Path, *, voice: str = FRENCH_VOICE, pitch: int | None = None
) -> Path:
    """Write `text` spoken by espeak-ng to `path` as a 22.05 kHz mono 16-bit WAV.

    `pitch` is espeak-ng's -p, 0 to 99 (its default is 50).
    """
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SynthesisUnavailableError(
            "espeak-ng is not installed; run: apt-get install espeak-ng"
        )
    options = ["-p", str(pitch)] if pitch is not None else []
    subprocess.run(
        [espeak, "-v", voice, *options, "-s", str(WORDS_PER_MINUTE), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path


def synthesize_sentences(
    text: str, path: Path, *, voice: str = FRENCH_VOICE, pause_s: float = 1.5
) -> Path:
    """Speak each sentence of `text` alone and join them with `pause_s` of silence, as a WAV.

    A clip whose speech lasts longer than Whisper's 30-second window cannot come back as one
    segment, whatever the machine's decode: use it where a test needs several segments.
    """
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    frames: list[bytes] = []
    params = None
    with tempfile.TemporaryDirectory() as tmp:
        for index, sentence in enumerate(sentences):
            part = synthesize(sentence, Path(tmp) / f"{index}.wav", voice=voice)
            with wave.open(str(part), "rb") as spoken:
                params = spoken.getparams()
                frames.append(spoken.readframes(spoken.getnframes()))
    if params is None:
        raise ValueError("no sentence to speak")
    silence = b"\x00" * (round(pause_s * params.framerate) * params.sampwidth * params.nchannels)
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(silence.join(frames))
    return path


@dataclass(frozen=True)
class Voice:
    name: str  # an espeak-ng voice, such as "fr+m2"
    pitch: int | None = None


@dataclass(frozen=True)
class Turn:
    speaker: int  # index of the voice that speaks it
    start: float
    end: float


def synthesize_dialogue(
    turns: Sequence[tuple[int, str]],
    voices: Sequence[Voice],
    path: Path,
    *,
    pause_s: float = 0.8,
) -> list[Turn]:
    """Speak each (voice index, text) turn in its voice, `pause_s` apart, as one WAV at `path`.

    Returns where each turn lies in the file: the truth a speaker diarization is measured on.
    """
    frames: list[bytes] = []
    spoken_turns: list[Turn] = []
    params = None
    position = 0
    with tempfile.TemporaryDirectory() as tmp:
        for index, (speaker, text) in enumerate(turns):
            voice = voices[speaker]
            part = synthesize(text, Path(tmp) / f"{index}.wav", voice=voice.name, pitch=voice.pitch)
            with wave.open(str(part), "rb") as spoken:
                if params is None:
                    params = spoken.getparams()
                elif spoken.getframerate() != params.framerate:
                    raise ValueError("espeak-ng voices with different sample rates")
                data = spoken.readframes(spoken.getnframes())
            if frames:
                gap = round(pause_s * params.framerate)
                frames.append(b"\x00" * (gap * params.sampwidth * params.nchannels))
                position += gap
            count = len(data) // (params.sampwidth * params.nchannels)
            frames.append(data)
            spoken_turns.append(
                Turn(speaker, position / params.framerate, (position + count) / params.framerate)
            )
            position += count
    if params is None:
        raise ValueError("no turn to speak")
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(b"".join(frames))
    return spoken_turns
