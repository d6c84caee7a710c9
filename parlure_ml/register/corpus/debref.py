"""Neutre documentation sentences from Debian's debian-reference-fr."""

from __future__ import annotations

import html
import re
from pathlib import Path

from parlure_ml.register.corpus.fetch import DEBIAN_REFERENCE, deb_data_members
from parlure_ml.register.corpus.rows import Row, clean_text, short_hash, split_words, word_count

SOURCE = "debian-reference-fr"

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_CODE = re.compile(r"<code\b.*?</code>|<span class=\"(?:command|literal)\".*?</span>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀÂÇÉÈÊÎÔ])")
# Anything that reads like a path, an option, a command or a file name.
_TECHNICAL = re.compile(r"[\x00/\\$`{}=<>_|~@#%]|--|\w\.\w|\b[a-z]+\(\d\)|[A-Z]{2,}\w*\d")
_ENGLISH = frozenset(
    split_words(
        "the and of to is are you your for with this that it be can not or on by from as an"
    )
)
_FRENCH = frozenset(
    split_words(
        "le la les de des du un une et est sont pour dans que qui par sur avec ce cette vous il"
        " ne pas au aux"
    )
)


def is_french(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    french = sum(word in _FRENCH for word in words)
    english = sum(word in _ENGLISH for word in words)
    return french >= 2 and english <= french // 4


def reference_rows(deb: Path) -> list[Row]:
    pages = deb_data_members(deb, (".fr.html",))
    rows = []
    seen: set[str] = set()
    for name in sorted(pages):
        for paragraph in _PARAGRAPH.findall(pages[name].decode("utf-8")):
            flat = _TAG.sub("", _CODE.sub("\x00", paragraph))
            for sentence in _SENTENCE_END.split(clean_text(html.unescape(flat))):
                if sentence in seen or _TECHNICAL.search(sentence) or not is_french(sentence):
                    continue
                if not sentence[0].isupper() or sentence[-1] not in ".!?":
                    continue
                if not 6 <= word_count(sentence) <= 35:
                    continue
                seen.add(sentence)
                rows.append(
                    Row(
                        text=sentence,
                        label="neutre",
                        source=SOURCE,
                        licence=DEBIAN_REFERENCE.licence,
                        group=f"{SOURCE}:{short_hash(sentence)}",
                        form="documentation",
                    )
                )
    return rows
