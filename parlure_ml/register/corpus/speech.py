"""Speech-like variants: text as a speech recognizer hands it over."""

from __future__ import annotations

import random
import re

_PUNCTUATION = re.compile(r"[.,;:!?«»\"()\[\]…\u2014\u2013]+|(?<!\w)-|-(?!\w)")
_CLAUSE_BREAK = re.compile(r"[,;:]")
FILLERS = ("euh", "ben", "bah", "bon", "alors")


def speech_like(text: str, label: str, rng: random.Random) -> str:
    """Lower-cased, unpunctuated, with the hesitations of speech (few of them for soutenu)."""
    # Fillers go where a speaker pauses: the start, or where the writer put a comma.
    pieces = _CLAUSE_BREAK.split(text)
    filler_rate = 0.15 if label == "soutenu" else 0.45
    spoken = []
    for index, piece in enumerate(pieces):
        if rng.random() < filler_rate:
            filler = "euh" if label == "soutenu" else rng.choice(FILLERS)
            if index == 0 or filler in ("euh", "ben", "bah"):
                piece = f"{filler} {piece}"
        spoken.append(piece)
    flat = " ".join(_PUNCTUATION.sub(" ", piece.lower()) for piece in spoken)
    if label != "soutenu" and not text.rstrip().endswith("?") and rng.random() < 0.15:
        flat += " hein"
    flat = " ".join(flat.split())
    if flat == text:  # already lower-case and bare: a message typed like speech
        flat = f"euh {flat}"
    return flat
