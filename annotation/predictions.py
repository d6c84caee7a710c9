"""A prediction's sentences: one typed shape, read and written here only.

``Prediction.sentences`` is JSON: ``[{"start", "end", "label", "top_label", "uncertain",
"scores", "evidence": [[start, end, weight], ...]}, ...]``, offsets into the text the prediction
read (``annotation.selectors.prediction_text``). Every reader goes through ``sentences_load``,
so a row written before a field existed gets the same defaults everywhere.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parlure_ml.register.classifier import Evidence as ModelEvidence
    from parlure_ml.register.classifier import SentencePrediction


@dataclass(frozen=True)
class Evidence:
    start: int  # a word of the text the prediction read
    end: int
    weight: float  # its share of what pushed the decision


@dataclass(frozen=True)
class PredictedSentence:
    start: int
    end: int
    label: str  # what the page shows (neutre when the model hesitates)
    top_label: str  # the model's most probable register
    uncertain: bool
    scores: dict[str, float]
    evidence: tuple[Evidence, ...]

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "PredictedSentence":
        label = str(raw["label"])
        return cls(
            start=int(raw["start"]),
            end=int(raw["end"]),
            label=label,
            top_label=str(raw.get("top_label") or label),
            uncertain=bool(raw.get("uncertain", False)),
            scores={name: float(p) for name, p in (raw.get("scores") or {}).items()},
            evidence=tuple(
                Evidence(int(start), int(end), float(weight))
                for start, end, weight in raw.get("evidence") or []
            ),
        )

    @classmethod
    def from_model(cls, sentence: "SentencePrediction") -> "PredictedSentence":
        return cls(
            start=sentence.start,
            end=sentence.end,
            label=sentence.label,
            top_label=sentence.top_label,
            uncertain=sentence.uncertain,
            scores=dict(sentence.scores),
            evidence=tuple(Evidence(e.start, e.end, e.weight) for e in sentence.explanation),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "top_label": self.top_label,
            "uncertain": self.uncertain,
            "scores": self.scores,
            "evidence": [[e.start, e.end, e.weight] for e in self.evidence],
        }

    def fits(self, text: str) -> bool:
        """Whether the offsets fit ``text`` (they come from another version of it otherwise)."""
        return 0 <= self.start < self.end <= len(text)


def sentences_explain(
    sentences: Iterable[PredictedSentence], evidence: Iterable[Iterable["ModelEvidence"]]
) -> list[PredictedSentence]:
    """The sentences with the evidence computed later for each (same order)."""
    return [
        dataclasses.replace(
            sentence, evidence=tuple(Evidence(e.start, e.end, e.weight) for e in words)
        )
        for sentence, words in zip(sentences, evidence, strict=True)
    ]


def sentences_load(raw: Iterable[dict[str, Any]] | None) -> list[PredictedSentence]:
    """A prediction's stored sentences, typed."""
    return [PredictedSentence.from_json(sentence) for sentence in raw or []]


def sentences_dump(sentences: Iterable[PredictedSentence]) -> list[dict[str, Any]]:
    """Sentences as ``Prediction.sentences`` stores them."""
    return [sentence.to_json() for sentence in sentences]
