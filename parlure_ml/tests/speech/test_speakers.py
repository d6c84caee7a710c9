"""Speaker labels: the clustering on made-up embeddings, then the real encoder on two voices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parlure_ml.speech.audio import decode_audio
from parlure_ml.speech.speakers import (
    cluster_speakers,
    get_voice_encoder,
    label_speakers,
    parse_speakers,
)
from parlure_ml.speech.synth import Turn


def voices_around(centres: list[int], *, spread: float = 0.05, seed: int = 0) -> np.ndarray:
    """Unit rows near one of a few orthogonal directions: one direction per speaker."""
    rng = np.random.default_rng(seed)
    rows = np.eye(16)[centres] + rng.normal(0, spread, (len(centres), 16))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_two_voices_found_automatically_and_named_by_first_appearance() -> None:
    embeddings = voices_around([3, 3, 7, 3, 7, 7])

    assert cluster_speakers(embeddings) == ["S1", "S1", "S2", "S1", "S2", "S2"]


def test_one_voice_stays_one_speaker_in_automatic_mode() -> None:
    assert cluster_speakers(voices_around([5] * 6)) == ["S1"] * 6


def test_a_given_number_of_speakers_is_kept() -> None:
    embeddings = voices_around([0, 1, 2, 0, 1, 2])

    assert cluster_speakers(embeddings, speakers=3) == ["S1", "S2", "S3", "S1", "S2", "S3"]
    assert len(set(cluster_speakers(embeddings, speakers=2))) == 2
    assert cluster_speakers(embeddings, speakers=1) == ["S1"] * 6


def test_more_speakers_asked_than_segments_and_no_segments() -> None:
    assert sorted(cluster_speakers(voices_around([0, 1]), speakers=5)) == ["S1", "S2"]
    assert cluster_speakers(voices_around([4])) == ["S1"]
    assert cluster_speakers(np.zeros((0, 16))) == []
    assert label_speakers(np.zeros(16000, dtype=np.float32), []) == []


def test_parse_speakers() -> None:
    assert parse_speakers("auto") is None
    assert parse_speakers("3") == 3
    for bad in ("0", "21", "deux", ""):
        with pytest.raises(ValueError, match="speakers must be"):
            parse_speakers(bad)


def test_real_encoder_tells_a_man_from_a_woman(dialogue: tuple[Path, list[Turn]]) -> None:
    path, turns = dialogue
    labels = label_speakers(decode_audio(path), [(turn.start, turn.end) for turn in turns])

    seconds: dict[tuple[int, str], float] = {}
    for turn, label in zip(turns, labels, strict=True):
        key = (turn.speaker, label)
        seconds[key] = seconds.get(key, 0.0) + turn.end - turn.start
    # The best mapping of labels to voices gets most of the speech right.
    right = max(
        seconds.get((0, "S1"), 0) + seconds.get((1, "S2"), 0),
        seconds.get((0, "S2"), 0) + seconds.get((1, "S1"), 0),
    )
    assert right / sum(turn.end - turn.start for turn in turns) >= 0.8
    assert len(set(labels)) == 2
    assert get_voice_encoder() is get_voice_encoder()  # loaded once per process
