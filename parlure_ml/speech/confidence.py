"""Word confidence: the probability that a word Whisper wrote is right, and a flag worth following.

Whisper's own word probability is a weak pointer on real speech: errors cluster (a wrong word's
neighbours are often wrong too), a window that decoded badly is wrong throughout (low average
log-probability, high no-speech probability, repetitive text) and short words are cheap to get
wrong. A logistic regression over those signals, fitted on real French speech with a reference
text (`bench/word_confidence.py`, which writes `word_confidence.json` beside this file and says
which recordings and what figures), turns them into `confidence`; `uncertain` is
`confidence < threshold`, the threshold chosen so that the flags catch at least half of the
wrong words while marking at most a fifth of all words.

Only what one decode gives is used by default. A second, greedy decode of the same audio adds
the strongest single signal (the two decodes disagree where the model is unsure); the bench
measures what it buys and what it costs, and `second_decode` in the JSON says whether the portal
runs it.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("word_confidence.json")
FEATURES = (
    "logit_probability",  # the word's own probability, as log-odds
    "neighbour_logit",  # the lower of its neighbours' (errors come in runs)
    "segment_logit",  # the segment's lowest word probability, as log-odds
    "avg_logprob",  # the segment's average token log-probability
    "no_speech_prob",
    "compression_ratio",  # high when the window repeats itself
    "log_duration",  # seconds the word lasts, log
    "short_word",  # at most two letters
    "segment_words",  # log of the segment's word count: one-word segments are often noise
)
AGREEMENT_FEATURE = "agrees"  # 1 when the greedy decode wrote the same word there


@dataclass(frozen=True)
class SegmentStats:
    """What Whisper reports for the window a segment came from."""

    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


@dataclass(frozen=True)
class Calibration:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def confidence(self, row: Sequence[float]) -> float:
        z = self.intercept + sum(
            c * (x - m) / s
            for c, x, m, s in zip(self.coef, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Calibration:
        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        features = data["features"]
        assert isinstance(features, list)
        return cls(
            features=tuple(str(f) for f in features),
            mean=floats("mean"),
            scale=floats("scale"),
            coef=floats("coef"),
            intercept=float(str(data["intercept"])),
            threshold=float(str(data["threshold"])),
        )


@cache
def load_model(path: Path = MODEL_PATH) -> dict[str, object]:
    """The fitted calibrations (`one_decode`, `two_decodes`) and their figures; {} before the
    bench has fitted any (words then carry no confidence)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def calibration(two_decodes: bool = False) -> Calibration | None:
    entry = load_model().get("two_decodes" if two_decodes else "one_decode")
    return Calibration.from_dict(entry) if isinstance(entry, dict) else None


def second_decode_enabled() -> bool:
    """Whether the portal runs the greedy decode whose agreement sharpens the flags:
    `$PARLURE_ASR_SECOND_DECODE` (1 or 0), else what the calibration file says."""
    setting = os.environ.get("PARLURE_ASR_SECOND_DECODE", "").strip()
    if setting:
        return setting.lower() in ("1", "true", "yes", "on")
    return bool(load_model().get("second_decode", False))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def feature_rows(
    probabilities: Sequence[float],
    durations: Sequence[float],
    texts: Sequence[str],
    stats: SegmentStats,
    agrees: Sequence[bool] | None = None,
) -> list[list[float]]:
    """One row of FEATURES (then `agrees`, when given) per word of one segment."""
    logits = [_logit(p) for p in probabilities]
    lowest = min(logits, default=0.0)
    rows = []
    for i, logit in enumerate(logits):
        neighbours = logits[max(0, i - 1) : i] + logits[i + 1 : i + 2]
        letters = sum(ch.isalnum() for ch in texts[i])
        row = [
            logit,
            min(neighbours, default=logit),
            lowest,
            stats.avg_logprob,
            stats.no_speech_prob,
            stats.compression_ratio,
            math.log(max(durations[i], 0.02)),
            1.0 if letters <= 2 else 0.0,
            math.log(len(logits)),
        ]
        if agrees is not None:
            row.append(1.0 if agrees[i] else 0.0)
        rows.append(row)
    return rows


def tokens(text: str) -> list[str]:
    """Lower-case words without punctuation; apostrophes and hyphens split words (l'eau: l eau)."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[^\w\s]", " ", text).split()


def agreement(words: Sequence[str], other_text: str) -> list[bool]:
    """For each word of one decode, whether another decode of the same audio wrote it too, in the
    same place of the word sequence (a word of several tokens agrees when all of them do)."""
    owners: list[int] = []
    mine: list[str] = []
    for index, word in enumerate(words):
        for token in tokens(word):
            mine.append(token)
            owners.append(index)
    matched = [False] * len(mine)
    matcher = difflib.SequenceMatcher(a=mine, b=tokens(other_text), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            matched[block.a + k] = True
    result = [True] * len(words)
    for token_index, owner in enumerate(owners):
        result[owner] = result[owner] and matched[token_index]
    return result
