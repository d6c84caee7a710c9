"""Familier rewrites of neutral sentences, by rule.

The rules are the markers a French speaker drops into casual speech: no "ne", "ça", "y a",
"t'es", "on" for "nous", slang and verlan words, fillers. Each rule only fires where it is safe
(the pool in written/rewrite_pool.tsv was written with them in mind), and a rewrite that only
gained a filler is rejected: the rewrite must change the register, not just decorate it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from parlure_ml.register.corpus.rows import split_words

_VOWEL = "aeiouyhàâéèêëîïôœ"


@dataclass(frozen=True)
class Lexicon:
    """Word lists from the registries; empty in an offline build (built-in rules still apply)."""

    verlan: dict[str, str] = field(default_factory=dict)
    interjections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rewrite:
    text: str
    rules: tuple[str, ...]


# Built-in slang, whole words; the first option is the most common. Each entry keeps gender and
# number ("voiture" f. -> "bagnole" f.), so no agreement around it has to change.
SLANG: dict[str, tuple[str, ...]] = {
    "de l'argent": ("du fric", "de la thune"),
    "l'argent": ("le fric",),
    "argent": ("fric",),
    "travail": ("boulot", "taf"),
    "travailler": ("bosser",),
    "travaille": ("bosse",),
    "travailles": ("bosses",),
    "travaillent": ("bossent",),
    "travaillé": ("bossé",),
    "voiture": ("bagnole", "caisse"),
    "voitures": ("bagnoles",),
    "policier": ("flic",),
    "policiers": ("flics",),
    "enfant": ("gosse", "gamin"),
    "enfants": ("gosses", "gamins", "mômes"),
    "manger": ("bouffer",),
    "mange": ("bouffe",),
    "manges": ("bouffes",),
    "mangent": ("bouffent",),
    "mangé": ("bouffé",),
    "nourriture": ("bouffe",),
    "mes vêtements": ("mes fringues",),
    "des vêtements": ("des fringues",),
    "tes vêtements": ("tes fringues",),
    "fatigué": ("crevé", "claqué", "naze"),
    "fatiguée": ("crevée", "claquée"),
    "fatigués": ("crevés",),
    "ennuyeux": ("chiant", "relou"),
    "ennuyeuse": ("chiante", "relou"),
    "bizarre": ("chelou",),
    "bizarres": ("chelous",),
    "regarder": ("mater",),
    "regardé": ("maté",),
    "livre": ("bouquin",),
    "livres": ("bouquins",),
    "chaussures": ("pompes", "godasses"),
    "médecin": ("toubib",),
    "hôpital": ("hosto",),
    "appartement": ("appart",),
    "restaurant": ("resto",),
    "cinéma": ("ciné",),
    "professeur": ("prof",),
    "professeurs": ("profs",),
    "mathématiques": ("maths",),
    "télévision": ("télé",),
    "ordinateur": ("ordi",),
    "réfrigérateur": ("frigo",),
    "après-midi": ("aprem",),
    "sympathique": ("sympa",),
    "petit déjeuner": ("petit-déj",),
    "homme": ("mec", "type"),
    "ami": ("pote",),
    "amis": ("potes",),
    "amie": ("copine",),
    "je comprends": ("je pige",),
    "tu comprends": ("tu piges",),
    "comprend": ("pige",),
    "très": ("super", "trop"),
    "beaucoup de": ("plein de",),
    "beaucoup trop": ("carrément trop",),
    "beaucoup": ("vachement", "grave"),
    "oui": ("ouais",),
    "d'accord": ("OK", "d'acc"),
    "bonjour": ("salut",),
    "s'il te plaît": ("s'te plaît", "steuplé"),
    "cela": ("ça",),
    "il faut": ("faut",),
    "j'ai peur": ("j'ai la trouille", "j'ai les jetons"),
    "il fait froid": ("ça caille",),
    "rien du tout": ("que dalle",),
}

# "nous" + verb -> "on" + verb: the verbs of the pool, and the regular -er stems whose
# third person is stem + "e" with no accent change.
_ON_FORMS = {
    "sommes": "est",
    "avons": "a",
    "allons": "va",
    "faisons": "fait",
    "pouvons": "peut",
    "devons": "doit",
    "voulons": "veut",
    "venons": "vient",
    "prenons": "prend",
    "savons": "sait",
    "disons": "dit",
    "voyons": "voit",
    "mettons": "met",
    "partons": "part",
    "sortons": "sort",
    "attendons": "attend",
    "finissons": "finit",
    "connaissons": "connaît",
    "étions": "était",
    "avions": "avait",
    "allions": "allait",
    "faisions": "faisait",
    "pouvions": "pouvait",
    "devions": "devait",
    "voulions": "voulait",
    "serons": "sera",
    "aurons": "aura",
    "irons": "ira",
    "ferons": "fera",
    "pourrons": "pourra",
    "devrons": "devra",
    "serions": "serait",
    "aurions": "aurait",
    "pourrions": "pourrait",
    "devrions": "devrait",
    "voudrions": "voudrait",
}
_ER_STEMS = frozenset(
    split_words(
        "aim parl mang regard cherch trouv pass rentr arriv rest habit travaill jou pens termin "
        "organis prépar chang gard lou visit apport demand lav rang ferm écout décid invit retrouv "
        "amus dépêch couch réveill install occup commenc partag boug voyag nag dans "
        "chant cuisin regrett compt oubli tomb montr donn port ador rat manqu gagn"
    )
)


# After "que", "-ions" is a subjunctive: "qu'on parle", not "qu'on parlait".
_ON_SUBJUNCTIVE = {
    "fassions": "fasse",
    "soyons": "soit",
    "ayons": "ait",
    "allions": "aille",
    "puissions": "puisse",
    "partions": "parte",
    "prenions": "prenne",
    "venions": "vienne",
}


def _on_form(verb: str, *, subjunctive: bool = False) -> str | None:
    if subjunctive and verb in _ON_SUBJUNCTIVE:
        return _ON_SUBJUNCTIVE[verb]
    if subjunctive and verb.endswith("ions") and verb[:-4].replace("ç", "c") in _ER_STEMS:
        return verb[:-4].replace("ç", "c") + "e"
    if verb in _ON_FORMS:
        return _ON_FORMS[verb]
    for ending, new in (("erions", "erait"), ("erons", "era"), ("ions", "ait"), ("ons", "e")):
        if not verb.endswith(ending):
            continue
        stem = verb[: -len(ending)].replace("ç", "c")
        if ending == "ons" and stem.endswith("e"):  # mangeons -> mange
            stem = stem[:-1]
        if stem not in _ER_STEMS:
            return None
        if new[0] in "ao" and stem.endswith("g"):  # keep the sound: mangeait
            stem += "e"
        elif new[0] in "ao" and stem.endswith("c"):  # commençait
            stem = stem[:-1] + "ç"
        return stem + new
    return None


_NEGATIVE = re.compile(r"\b(pas|plus|jamais|rien|personne|aucun|aucune|guère)\b", re.I)
_SUBJECT_NOUS = re.compile(
    r"(^|[,;:] |\b(?:et|mais|que|qu'|quand|si|puis|alors|donc|car|où|comme) ?)"
    r"([Nn])ous (nous )?(\w+)"
)


def _drop_ne(text: str) -> str:
    text = re.sub(r"\b([JjCcMmTtSs]|[Qq]u)e n'", r"\1'", text)  # je n'ai -> j'ai, ce n'est -> c'est
    text = re.sub(r"(?<![\w'])[Nn]'(?=[" + _VOWEL + "])", "", text)
    return re.sub(r"(?<![\w'])[Nn]e (?=\w)", "", text)


def _nous_to_on(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        lead, capital, reflexive, verb = match.groups()
        subjunctive = lead.strip() in ("que", "qu'")
        form = _on_form(verb, subjunctive=subjunctive)
        if form is None:
            return match.group(0)
        if lead.endswith("que "):  # que on -> qu'on
            lead = lead[:-2] + "'"
        pronoun = "On" if capital == "N" else "on"
        if reflexive:
            clitic = "s'" if form[0] in _VOWEL else "se "
            return f"{lead}{pronoun} {clitic}{form}"
        return f"{lead}{pronoun} {form}"

    text = _SUBJECT_NOUS.sub(swap, text)
    # "on peut nous retrouver": the object of the infinitive follows the subject.
    return re.sub(r"\b([Oo]n \w+) nous (?=\w+(?:er|ir|re)\b)", r"\1 se ", text)


def _replace_phrases(text: str, rng: random.Random) -> tuple[str, bool]:
    changed = False
    for phrase, options in SLANG.items():
        pattern = re.compile(r"(?<![\w'-])" + re.escape(phrase) + r"(?![\w'-])", re.I)

        def pick(match: re.Match[str], options: tuple[str, ...] = options) -> str:
            choice = rng.choice(options)
            return choice[0].upper() + choice[1:] if match.group(0)[0].isupper() else choice

        text, count = pattern.subn(pick, text)
        changed = changed or count > 0
    return text, changed


_RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("no-est-ce-que", lambda t: re.sub(r"^Est-ce qu(?:e |')(\w)", lambda m: m.group(1).upper(), t)),
    ("tu-contraction", lambda t: re.sub(r"\b([Tt])u (es|as|étais|avais)\b", r"\1'\2", t)),
    ("y-a", lambda t: re.sub(r"\b[Ii]l y a(vait)?\b", lambda m: "y a" + (m.group(1) or ""), t)),
)


def rewrite(text: str, lexicon: Lexicon, rng: random.Random) -> Rewrite | None:
    """The familier version of a neutral sentence, or None when no rule changes its register."""
    rules: list[str] = []
    out = text
    for name, rule in _RULES[:1]:
        out, before = rule(out), out
        if out != before:
            rules.append(name)
    if _NEGATIVE.search(out):
        out, before = _drop_ne(out), out
        if out != before:
            rules.append("drop-ne")
    out, before = _nous_to_on(out), out
    if out != before:
        rules.append("nous-on")
    for name, rule in _RULES[1:]:
        out, before = rule(out), out
        if out != before:
            rules.append(name)
    out, changed = _replace_phrases(out, rng)
    if changed:
        rules.append("slang")
    verlan = {word: verlan for word, verlan in lexicon.verlan.items() if word in out.lower()}
    if verlan:
        out, changed = _replace_phrases_from(out, verlan, rng)
        if changed:
            rules.append("verlan")
    if not rules:
        return None
    out = _add_filler(out, lexicon, rng, rules)
    out = re.sub(r"\s+", " ", out).strip()
    out = out[0].upper() + out[1:] if text[0].isupper() else out
    return Rewrite(out, tuple(rules)) if out != text else None


def _replace_phrases_from(text: str, table: dict[str, str], rng: random.Random) -> tuple[str, bool]:
    changed = False
    for word, verlan in sorted(table.items()):
        pattern = re.compile(r"(?<![\w'-])" + re.escape(word) + r"(?![\w'-])", re.I)
        text, count = pattern.subn(verlan, text)
        changed = changed or count > 0
    return text, changed


_OPENERS = ("Bon, ", "En fait, ", "Franchement, ", "Du coup, ", "Bref, ", "Ben ")
_QUESTION_OPENERS = ("Bon, ", "Du coup, ", "Ben ", "Alors, ", "Et sinon, ")
_CLOSERS = (", quoi", ", en fait", ", franchement", ", hein")


# First words that lose their capital behind an opener; any other (a name) keeps it.
_COMMON_FIRST = frozenset(
    split_words(
        "je j' tu t' il elle on ils elles le la les l' un une des ce c' ça y mon ma mes ton ta tes "
        "son sa ses notre nos votre vos leur leurs faut quand si et mais ici demain hier "
        "aujourd'hui personne rien tout tous cette cet ces"
    )
)


def _uncapitalize(text: str) -> str:
    first = re.match(r"\w+'?", text)
    if first and first.group(0).lower() in _COMMON_FIRST:
        return text[0].lower() + text[1:]
    return text


def _add_filler(text: str, lexicon: Lexicon, rng: random.Random, rules: list[str]) -> str:
    roll = rng.random()
    if roll < 0.07 and lexicon.interjections and text.endswith((".", "!")):
        rules.append("interjection")
        return f"{rng.choice(lexicon.interjections).capitalize()}, {_uncapitalize(text)}"
    if roll < 0.35:
        rules.append("filler")
        openers = _QUESTION_OPENERS if text.endswith("?") else _OPENERS
        return f"{rng.choice(openers)}{_uncapitalize(text)}"
    if roll < 0.6 and text.endswith("."):
        rules.append("filler")
        return f"{text[:-1]}{rng.choice(_CLOSERS)}."
    return text
