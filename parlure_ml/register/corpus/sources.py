"""The registry sources, extracted once per artefact and kept as JSON lines in the cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from parlure_ml.register.corpus import debref, definitions, fetch, lexicons, littre
from parlure_ml.register.corpus.rewrite import Lexicon
from parlure_ml.register.corpus.rows import Row

_KEPT_FIELDS = ("text", "label", "source", "licence", "group", "form", "author")


@dataclass(frozen=True)
class RegistrySources:
    littre: list[Row]
    definitions: list[Row]
    reference: list[Row]
    lexicon: Lexicon
    familier_words: frozenset[str]  # every entry of the two bad-word lists, for statistics


def _extracted(
    cache_dir: Path, name: str, inputs: list[Path], module: Path, extract: Callable[[], list[Row]]
) -> list[Row]:
    """`extract()`, or its saved result when neither the artefacts nor the extractor changed."""
    key = hashlib.sha256(module.read_bytes())
    for path in inputs:
        key.update(path.name.encode())
    path = cache_dir / "extracted" / f"{name}-{key.hexdigest()[:16]}.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            return [Row(**json.loads(line)) for line in fh]
    rows = extract()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as fh:
        for row in rows:
            record = {k: v for k, v in asdict(row).items() if k in _KEPT_FIELDS}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(path)
    return rows


def load_registry_sources(cache_dir: Path, *, download: bool = True) -> RegistrySources:
    paths = {a.name: fetch.fetch(a, cache_dir, download=download) for a in fetch.ARTEFACTS}
    deb_littre = paths[fetch.LITTRE.name]
    wheel = paths[fetch.DENCKRING.name]
    deb_reference = paths[fetch.DEBIAN_REFERENCE.name]
    bad_words = lexicons.naughty_words(paths[fetch.NAUGHTY_WORDS.name]) | lexicons.french_badwords(
        paths[fetch.FRENCH_BADWORDS.name]
    )
    return RegistrySources(
        littre=_extracted(
            cache_dir,
            "littre",
            [deb_littre, wheel],
            Path(littre.__file__),
            lambda: littre.littre_rows(deb_littre, definitions.lexique_words(wheel)),
        ),
        definitions=_extracted(
            cache_dir,
            "definitions",
            [wheel],
            Path(definitions.__file__),
            lambda: definitions.definition_rows(wheel),
        ),
        reference=_extracted(
            cache_dir,
            "reference",
            [deb_reference],
            Path(debref.__file__),
            lambda: debref.reference_rows(deb_reference),
        ),
        lexicon=Lexicon(
            verlan=lexicons.verlan_pairs(paths[fetch.VERLANIZE.name]),
            interjections=tuple(w for w in lexicons.INTERJECTIONS if w in bad_words),
        ),
        familier_words=frozenset(w for w in bad_words if w not in lexicons.SLURS),
    )
