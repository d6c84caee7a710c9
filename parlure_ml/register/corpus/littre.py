"""Soutenu-literary quotations from the Littré (Debian stardict-xmlittre)."""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterator
from pathlib import Path

from parlure_ml.register.corpus.fetch import LITTRE, deb_data_members
from parlure_ml.register.corpus.rows import Row, clean_text, short_hash, word_count

SOURCE = "littre-xmlittre"

# Authors of the 17th to 19th centuries (the Littré's abbreviations). Older ones (Montaigne,
# Amyot, Froissart, Rabelais...) write a French that is old rather than formal.
CLASSICAL_AUTHORS = {
    "VOLT.": "Voltaire",
    "BOSSUET": "Bossuet",
    "CORN.": "Corneille",
    "RAC.": "Racine",
    "SÉV.": "Mme de Sévigné",
    "MOL.": "Molière",
    "LA FONT.": "La Fontaine",
    "BOILEAU": "Boileau",
    "J. J. ROUSS.": "Jean-Jacques Rousseau",
    "PASC.": "Pascal",
    "MASS.": "Massillon",
    "SAINT-SIMON": "Saint-Simon",
    "FÉN.": "Fénelon",
    "BUFF.": "Buffon",
    "LA BRUY.": "La Bruyère",
    "MONTESQ.": "Montesquieu",
    "FLÉCH.": "Fléchier",
    "BÉRANG.": "Béranger",
    "ROLLIN": "Rollin",
    "DIDER.": "Diderot",
    "DIDEROT": "Diderot",
    "FONTEN.": "Fontenelle",
    "D'ALEMB.": "D'Alembert",
    "HAMILT.": "Hamilton",
    "GENLIS": "Mme de Genlis",
    "LAMART.": "Lamartine",
    "RAYNAL": "Raynal",
    "BOURDAL.": "Bourdaloue",
    "REGNARD": "Regnard",
    "CHATEAUB.": "Chateaubriand",
    "CHATEAUBR.": "Chateaubriand",
    "MARMONTEL": "Marmontel",
    "SCARR.": "Scarron",
    "BALZ.": "Balzac",
    "DELILLE": "Delille",
    "P. L. COUR.": "Paul-Louis Courier",
    "V. HUGO": "Victor Hugo",
    "LESAGE": "Lesage",
    "MAINTENON": "Mme de Maintenon",
    "DUCLOS": "Duclos",
    "STAËL": "Mme de Staël",
    "RETZ": "Cardinal de Retz",
}
# Held out whole: the test split measures soutenu from authors the model never saw.
HELDOUT_AUTHORS = frozenset(
    {"Mme de Sévigné", "Lamartine", "Chateaubriand", "Victor Hugo", "Balzac"}
)

_QUOTE = re.compile(
    r'<span foreground="#0000CD">([^<]{20,400})</span>, <span foreground="#B22222">([^<]+)</span>'
)
_TOKEN = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+")
# Editorial brackets, ellipses, fragments, and verse (a capital after a comma starts a line).
_REJECT = re.compile(r"[\[\]()0-9&*/]|\.\.|^[^A-ZÀÂÇÉÈÊÎÔŒ]|[,;:]$|[,;:] [A-ZÀÂÇÉÈÊÎÔ][a-zé]")


def quotes(deb: Path) -> Iterator[tuple[str, str]]:
    """(quotation, author) pairs for the classical authors."""
    (dictionary,) = deb_data_members(deb, (".dict.dz",)).values()
    text = gzip.decompress(dictionary).decode("utf-8")
    for match in _QUOTE.finditer(text):
        author = CLASSICAL_AUTHORS.get(match.group(2).strip())
        if author:
            yield clean_text(html.unescape(match.group(1))), author


def is_modern(quote: str, lexicon: frozenset[str]) -> bool:
    """Every lower-case word is a form Lexique knows: drops "étoit", "sçavoir", "loix"..."""
    return all(token in lexicon for token in _TOKEN.findall(quote.replace("'", " ")))


def littre_rows(deb: Path, lexicon: frozenset[str]) -> list[Row]:
    rows = []
    for quote, author in quotes(deb):
        if _REJECT.search(quote) or not 6 <= word_count(quote) <= 35:
            continue
        if not is_modern(quote, lexicon):
            continue
        text = quote if quote[-1] in ".!?" else quote + "."
        rows.append(
            Row(
                text=text,
                label="soutenu",
                source=SOURCE,
                licence=LITTRE.licence,
                group=f"{SOURCE}:{short_hash(text)}",
                form="literary-quote",
                author=author,
            )
        )
    return rows
