"""Word timings for a corrected segment: the new words take the times of the words they replace.

A person corrects a segment's text; the speech model's word timings (what makes a word clickable
and followed while the audio plays) should survive. The old and new words are aligned with
difflib (compared without case or punctuation, so "tous" -> "tous," keeps its time):

- an unchanged word keeps its start and end;
- words that replace others share the span of the words they replace;
- inserted words share the gap between their neighbours (the segment's bounds at either end);
- deleted words vanish.

A span is shared in proportion to the words' lengths. Times stay inside the segment and never
go backwards. Pure: dictionaries in, dictionaries out, in the stored shape
``{"start", "end", "word", "probability", "confidence", "uncertain"}``; an unchanged word keeps
its probability, confidence and uncertain flag (a person may fix one word of a segment and not
yet have looked at the next), a word a person typed has no probability nor confidence and is
not uncertain. Words are stored as Whisper writes them, with a leading space.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

TimedWord = dict[str, Any]

_NOT_A_LETTER = re.compile(r"[^\w]+")


def _key(token: str) -> str:
    return _NOT_A_LETTER.sub("", token.casefold()) or token


def _spread(tokens: Sequence[str], begin: float, finish: float) -> list[TimedWord]:
    """New words over [begin, finish], each in proportion to its length."""
    weights = [len(token) + 1 for token in tokens]
    total = sum(weights)
    span = max(0.0, finish - begin)
    words = []
    at = begin
    for token, weight in zip(tokens, weights, strict=True):
        after = at + span * weight / total
        words.append(
            {
                "start": at,
                "end": after,
                "word": f" {token}",
                "probability": None,
                "confidence": None,
                "uncertain": False,
            }
        )
        at = after
    return words


def align_words(
    old_words: Sequence[Mapping[str, Any]], text: str, *, start: float, end: float
) -> list[TimedWord]:
    """The words of ``text`` with times taken from ``old_words`` (see the module's docstring)."""
    tokens = text.split()
    old_tokens = [str(word.get("word", "")).strip() for word in old_words]
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for t in old_tokens], [_key(t) for t in tokens], autojunk=False
    )
    aligned: list[TimedWord] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old, token in zip(old_words[i1:i2], tokens[j1:j2], strict=True):
                aligned.append(
                    {
                        "start": float(old["start"]),
                        "end": float(old["end"]),
                        "word": f" {token}",
                        "probability": old.get("probability"),
                        "confidence": old.get("confidence"),
                        "uncertain": bool(old.get("uncertain", False)),
                    }
                )
        elif tag == "replace":
            begin = float(old_words[i1]["start"])
            finish = float(old_words[i2 - 1]["end"])
            aligned.extend(_spread(tokens[j1:j2], begin, finish))
        elif tag == "insert":
            begin = aligned[-1]["end"] if aligned else start
            finish = float(old_words[i1]["start"]) if i1 < len(old_words) else end
            aligned.extend(_spread(tokens[j1:j2], begin, finish))
        # "delete": the old words go, and their time with them
    return _inside(aligned, start, end)


def _inside(words: list[TimedWord], start: float, end: float) -> list[TimedWord]:
    """Clamp to the segment and make the times monotonic (a start never before the last end)."""
    last = start
    for word in words:
        word["start"] = round(min(end, max(last, word["start"])), 3)
        word["end"] = round(min(end, max(word["start"], word["end"])), 3)
        last = word["end"]
    return words
