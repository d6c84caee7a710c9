"""Who speaks each segment: voice embeddings per segment, clustered into speakers.

Decisions:

- Voice encoder: Resemblyzer's (PyPI `resemblyzer`, Apache-2.0), a 3-layer LSTM trained for
  speaker verification whose weights (`resemblyzer/pretrained.pt`, 17 MB) ship inside the
  wheel, so nothing is downloaded. It embeds 1.6 s windows of 16 kHz audio into 256 values.
- One embedding per segment: the encoder's own sliding 1.6 s windows over the segment,
  averaged and L2-normed (`embed_utterance`). A segment shorter than a window is widened around
  its middle to `MIN_WINDOW_S` so that it is heard with some context.
- Clustering: scikit-learn's agglomerative clustering, cosine distance, average linkage. With a
  number of speakers given, it stops at that number. In automatic mode it stops when the
  closest two groups are more than `AUTO_DISTANCE_THRESHOLD` apart (cosine distance between
  their members, on average): a fixed threshold can say "one speaker", which a silhouette
  score cannot. docs/speech.md gives the figures (bench/speakers.py).
- Labels: "S1", "S2", ... in order of first appearance in the transcript.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from parlure_ml.process_local import ProcessLocal
from parlure_ml.speech.audio import SAMPLE_RATE

if TYPE_CHECKING:
    from resemblyzer import VoiceEncoder  # type: ignore[import-untyped]

# Clustering stops merging groups of segments further apart than this (cosine distance).
AUTO_DISTANCE_THRESHOLD = 0.25
MIN_WINDOW_S = 1.6  # the encoder's own window
MAX_SPEAKERS = 20

Span = tuple[float, float]


def parse_speakers(value: str) -> int | None:
    """`--speakers` as given on a command line: "auto" (None) or a number from 1 to 20."""
    if value == "auto":
        return None
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f'speakers must be "auto" or a number, not {value!r}') from None
    if not 1 <= count <= MAX_SPEAKERS:
        raise ValueError(f"speakers must be between 1 and {MAX_SPEAKERS}, not {count}")
    return count


def label_speakers(
    audio: npt.NDArray[np.float32],
    spans: Sequence[Span],
    *,
    speakers: int | None = None,
    encoder: VoiceEncoder | None = None,
) -> list[str]:
    """One speaker label per span (start, end in seconds) of 16 kHz `audio`.

    `speakers` is the number of speakers, or None to find it.
    """
    if not spans:
        return []
    embeddings = embed_spans(audio, spans, encoder or get_voice_encoder())
    return cluster_speakers(embeddings, speakers=speakers)


def embed_spans(
    audio: npt.NDArray[np.float32], spans: Sequence[Span], encoder: VoiceEncoder
) -> npt.NDArray[np.float32]:
    """An L2-normed voice embedding per span, as rows."""
    rows = []
    for start, end in spans:
        rows.append(encoder.embed_utterance(_window(audio, start, end)))
    return np.asarray(rows, dtype=np.float32)


def _window(audio: npt.NDArray[np.float32], start: float, end: float) -> npt.NDArray[np.float32]:
    duration = len(audio) / SAMPLE_RATE
    if end - start < MIN_WINDOW_S:
        middle = (start + end) / 2
        start = max(0.0, min(middle - MIN_WINDOW_S / 2, duration - MIN_WINDOW_S))
        end = start + MIN_WINDOW_S
    piece = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
    if len(piece) < SAMPLE_RATE // 10:  # past the end of the audio: pad with silence
        piece = np.pad(piece, (0, SAMPLE_RATE // 10 - len(piece)))
    return piece.astype(np.float32)


def cluster_speakers(
    embeddings: npt.NDArray[np.floating], *, speakers: int | None = None
) -> list[str]:
    """Group rows of `embeddings` into speakers; labels "S1", "S2"... by first appearance."""
    from sklearn.cluster import AgglomerativeClustering  # type: ignore[import-untyped]

    count = len(embeddings)
    if count == 0:
        return []
    if count == 1 or speakers == 1:
        return ["S1"] * count
    if speakers is not None:
        clustering = AgglomerativeClustering(
            n_clusters=min(speakers, count), metric="cosine", linkage="average"
        )
    else:
        clustering = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=AUTO_DISTANCE_THRESHOLD,
        )
    clusters = clustering.fit_predict(np.asarray(embeddings, dtype=np.float64))
    return _name_by_appearance([int(c) for c in clusters])


def _name_by_appearance(clusters: Sequence[int]) -> list[str]:
    names: dict[int, str] = {}
    for cluster in clusters:
        names.setdefault(cluster, f"S{len(names) + 1}")
    return [names[cluster] for cluster in clusters]


def _load_voice_encoder() -> VoiceEncoder:
    with warnings.catch_warnings():
        # resemblyzer 0.1.4 imports from a scipy.ndimage namespace that scipy deprecates.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="resemblyzer")
        from resemblyzer import VoiceEncoder

    return VoiceEncoder(device="cpu", verbose=False)


_voice_encoder = ProcessLocal(_load_voice_encoder)


def get_voice_encoder() -> VoiceEncoder:
    """The process-wide voice encoder, loaded on first use (never at import)."""
    return _voice_encoder.get()
