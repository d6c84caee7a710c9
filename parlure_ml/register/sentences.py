"""Cutting text into the sentence-sized chunks the register model was trained on.

Spans are character offsets into the original text, so labels and explanations can be shown in
place. A "sentence" with no end punctuation (a transcript, a run-on message) is cut into chunks
of about CHUNK_WORDS words, so the model never sees something much longer than its training data.
"""

from __future__ import annotations

import math
import re

# A boundary: end punctuation (with closing quotes or brackets) then space, or a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"»)\]]*\s+|\s*\n\s*")
# Elisions stay with their word (j'sais, aujourd'hui), typographic apostrophe included.
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*['\u2019]?|[^\w\s]", re.UNICODE)
MIN_WORDS = 3  # a shorter fragment ("Oui." "Bon.") joins the sentence before it
MAX_WORDS = 60
CHUNK_WORDS = 40


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Words (and punctuation marks) of text[start:end] as absolute offsets."""
    end = len(text) if end is None else end
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]


def _words(text: str, start: int, end: int) -> int:
    return sum(1 for m in _WORD.finditer(text[start:end]) if m.group()[0].isalnum())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Non-empty sentences as (start, end), stripped; short fragments merged into neighbours."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        stop = match.start() if match else len(text)
        piece = text[position:stop]
        if piece.strip():
            start = position + len(piece) - len(piece.lstrip())
            end = position + len(piece.rstrip())
            if spans and (
                _words(text, start, end) < MIN_WORDS or _words(text, *spans[-1]) < MIN_WORDS
            ):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        if match:
            position = match.end()
    return [chunk for span in spans for chunk in _chunks(text, span)]


def _chunks(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """A span over MAX_WORDS words cut into near-equal chunks of about CHUNK_WORDS words."""
    words = word_spans(text, *span)
    if len(words) <= MAX_WORDS:
        return [span]
    n_chunks = math.ceil(len(words) / CHUNK_WORDS)
    size = math.ceil(len(words) / n_chunks)
    return [
        (words[i][0], words[min(i + size, len(words)) - 1][1]) for i in range(0, len(words), size)
    ]
