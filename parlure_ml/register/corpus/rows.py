"""One dataset row, and the text normalization that every source shares."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

VARIANTS = ("original", "speech-like", "rule-rewrite")
SPLITS = ("train", "validation", "test")
COLUMNS = (
    "id",
    "text",
    "label",
    "source",
    "licence",
    "group",
    "split",
    "variant",
    "form",
    "author",
    "heldout",
    "parent_id",
)

_NOT_WORD = re.compile(r"[^\w'-]+")
_TYPOGRAPHY = (
    ("\u2019", "'"),  # right single quotation mark, the apostrophe of typeset French
    ("\u02bc", "'"),
    ("\u00a0", " "),  # no-break spaces before ; : ! ? and inside guillemets
    ("\u202f", " "),
    ("\u2009", " "),
    ("\u2026", "..."),
)


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    source: str
    licence: str
    group: str
    form: str
    variant: str = "original"
    author: str = ""
    split: str = ""
    heldout: bool = False
    parent_id: str = ""

    @property
    def id(self) -> str:
        """Stable across builds: derived from what the row is, not from its position."""
        digest = hashlib.sha256(f"{self.source}\n{self.variant}\n{self.text}".encode()).hexdigest()
        return f"{self.source}:{digest[:12]}"

    def with_split(self, split: str, *, heldout: bool) -> Row:
        return replace(self, split=split, heldout=heldout)

    def as_record(self) -> dict[str, str]:
        return {
            "id": self.id,
            "text": self.text,
            "label": self.label,
            "source": self.source,
            "licence": self.licence,
            "group": self.group,
            "split": self.split,
            "variant": self.variant,
            "form": self.form,
            "author": self.author,
            "heldout": "1" if self.heldout else "0",
            "parent_id": self.parent_id,
        }


def clean_text(text: str) -> str:
    """One typography for every source, so that apostrophes or spaces never reveal a source."""
    text = unicodedata.normalize("NFC", text)
    for typeset, plain in _TYPOGRAPHY:
        if typeset in text:
            text = text.replace(typeset, plain)
    return " ".join(text.split())


def dedup_key(text: str) -> str:
    """Case, spacing and punctuation do not make two sentences different."""
    lowered = clean_text(text).lower().replace("'", " ")
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def word_count(text: str) -> int:
    return len(dedup_key(text).split())


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def split_words(text: str) -> list[str]:
    """A word list written as one string, for long literal lists."""
    return text.split()
