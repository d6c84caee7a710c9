"""Speech fixtures: the real Whisper model, and recordings synthesized once per session."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest

from parlure_ml.assemble import assemble_whisper
from parlure_ml.paths import default_model_dir
from parlure_ml.speech.synth import (
    LONG_FRENCH,
    SHORT_ENGLISH,
    SHORT_FRENCH,
    Turn,
    Voice,
    synthesize,
    synthesize_dialogue,
    synthesize_sentences,
)
from parlure_ml.speech.transcriber import Transcriber
from parlure_ml.tests.speech.media import encode


@pytest.fixture(scope="session")
def whisper_model_dir() -> Path:
    """The model directory with Whisper assembled (~1 s the first time, then verified)."""
    directory = default_model_dir()
    assemble_whisper(directory)
    return directory


@pytest.fixture(scope="session")
def transcriber(whisper_model_dir: Path) -> Transcriber:
    return Transcriber.load(whisper_model_dir)


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def french_wav(audio_dir: Path) -> Path:
    """~8.6 s of espeak-ng French: "Bonjour à tous. Aujourd'hui, ... à Paris. ..." """
    return synthesize(SHORT_FRENCH, audio_dir / "french.wav")


@pytest.fixture(scope="session")
def french_seconds(french_wav: Path) -> float:
    """The clip's own length, read from its header: espeak-ng builds differ in speaking time."""
    return wav_seconds(french_wav)


@pytest.fixture(scope="session")
def sentences_wav(audio_dir: Path) -> Path:
    """~50 s: each sentence of LONG_FRENCH and SHORT_FRENCH spoken alone, 1.5 s of silence apart.

    Its speech alone lasts well over Whisper's 30-second window, so any decode returns several
    segments; a short clip may come back as one segment on one machine and three on another.
    """
    return synthesize_sentences(f"{LONG_FRENCH} {SHORT_FRENCH}", audio_dir / "sentences.wav")


DIALOGUE = [
    "Bonjour, comment allez-vous ce matin ?",
    "Très bien, merci. Je reviens du marché.",
    "Vous avez trouvé des légumes pour dimanche ?",
    "Oui, des tomates, des courgettes et un melon.",
    "Parfait. Mes parents arrivent samedi soir.",
    "Alors il faudra préparer la chambre du fond.",
]


@pytest.fixture(scope="session")
def dialogue(audio_dir: Path) -> tuple[Path, list[Turn]]:
    """~20 s: six alternating turns, a man's voice then a woman's, 0.8 s apart, and the turns."""
    path = audio_dir / "dialogue.wav"
    turns = synthesize_dialogue(
        [(index % 2, line) for index, line in enumerate(DIALOGUE)],
        [Voice("fr+m2", 40), Voice("fr+f3", 70)],
        path,
    )
    return path, turns


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


@pytest.fixture(scope="session")
def english_wav(audio_dir: Path) -> Path:
    return synthesize(SHORT_ENGLISH, audio_dir / "english.wav", voice="en")


@pytest.fixture(scope="session")
def recorder_webm(french_wav: Path, audio_dir: Path) -> Path:
    """WebM/Opus as browsers' MediaRecorder writes it: no duration in the header.

    A recorder streams the file as it records, so it cannot go back to fill in the duration;
    FFmpeg's WebM muxer does the same in live mode.
    """
    path = audio_dir / "recorder.webm"
    encode(french_wav, path, "webm", "libopus", 48000, container_options={"live": "1"})
    return path


class CountingReader(io.RawIOBase):
    """A read-only file that counts the bytes handed out, to show how much a probe reads."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("rb")
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def close(self) -> None:
        self.file.close()
        super().close()


@pytest.fixture
def counting_reader():
    readers: list[CountingReader] = []

    def make(path: Path) -> CountingReader:
        readers.append(CountingReader(path))
        return readers[-1]

    yield make
    for reader in readers:
        reader.close()
