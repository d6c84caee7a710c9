"""Find and replace in plain text: the matching rules, without the database.

The search is literal text, never a pattern. Accents count (``e`` does not find ``é``); without
``case_sensitive``, case is ignored the Unicode way (``ÉTÉ`` finds ``été``, ``Œ`` finds ``œ``).
Texts and search are compared in NFC, so a decomposed accent matches its composed form.
``whole_word`` finds the search only where no letter, digit or underscore touches it: ``l'homme``
holds the word ``homme``, ``hommes`` does not.
"""

import re
import unicodedata
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Search:
    find: str
    replace: str
    whole_word: bool = False
    case_sensitive: bool = False


@dataclass(frozen=True)
class Replaced:
    """A text with its matches replaced, and where they were before and are after."""

    before: str
    after: str
    before_spans: tuple[Span, ...]
    after_spans: tuple[Span, ...]

    @property
    def count(self) -> int:
        return len(self.before_spans)


def search_pattern(search: Search) -> re.Pattern[str]:
    body = re.escape(unicodedata.normalize("NFC", search.find))
    if search.whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, 0 if search.case_sensitive else re.IGNORECASE)


def text_replace(text: str, pattern: re.Pattern[str], replacement: str) -> Replaced | None:
    """The text with each match replaced by ``replacement`` (literally); None without a match."""
    text = unicodedata.normalize("NFC", text)
    replacement = unicodedata.normalize("NFC", replacement)
    parts: list[str] = []
    before_spans: list[Span] = []
    after_spans: list[Span] = []
    position = length = 0
    for match in pattern.finditer(text):
        kept = text[position : match.start()]
        parts += [kept, replacement]
        length += len(kept)
        before_spans.append(match.span())
        after_spans.append((length, length + len(replacement)))
        length += len(replacement)
        position = match.end()
    if not before_spans:
        return None
    parts.append(text[position:])
    return Replaced(
        before=text,
        after="".join(parts),
        before_spans=tuple(before_spans),
        after_spans=tuple(after_spans),
    )


def marked_parts(text: str, spans: tuple[Span, ...]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_match), for a page to highlight the matches."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in spans:
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text):
        parts.append((text[position:], False))
    return parts
