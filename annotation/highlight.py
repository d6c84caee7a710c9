"""A prediction's sentences and evidence as fragments a template can show in place."""

from dataclasses import dataclass

from .predictions import PredictedSentence

# Evidence weights (a word's share of what pushed the decision) to emphasis levels.
LEVELS = ((0.3, 3), (0.15, 2), (0.0, 1))


@dataclass(frozen=True)
class Fragment:
    text: str
    level: int = 0  # 0: plain text; 1-3: how strongly the word pushed the decision
    weight: float = 0.0


@dataclass(frozen=True)
class SentenceView:
    label: str
    top_label: str
    uncertain: bool
    scores: dict[str, float]
    fragments: list[Fragment]


def _level(weight: float) -> int:
    return next(level for floor, level in LEVELS if weight >= floor)


def sentence_views(text: str, sentences: list[PredictedSentence]) -> list[SentenceView]:
    """Each stored sentence of `text`, cut into plain and highlighted fragments."""
    views = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        if not sentence.fits(text):
            continue  # offsets from another version of the text: show nothing rather than nonsense
        fragments = []
        position = start
        evidence = sorted((e.start, e.end, e.weight) for e in sentence.evidence)
        for word_start, word_end, weight in evidence:
            if word_start < position or word_end > end:
                continue
            if word_start > position:
                fragments.append(Fragment(text[position:word_start]))
            fragments.append(Fragment(text[word_start:word_end], _level(weight), weight))
            position = word_end
        if position < end:
            fragments.append(Fragment(text[position:end]))
        views.append(
            SentenceView(
                label=sentence.label,
                top_label=sentence.top_label,
                uncertain=sentence.uncertain,
                scores=sentence.scores,
                fragments=fragments,
            )
        )
    return views
