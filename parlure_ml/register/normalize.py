"""One typography for every text the register model reads, in training and in inference.

Real French arrives typeset (curly apostrophes, guillemets, ellipsis characters, no-break
spaces: word processors, phones, web pages) or typed plainly (' " ... and ordinary spaces), and
the tokenizer gives the two different pieces: the model reads a curly and a straight apostrophe
as different characters. `normalize()` maps both to the plain form before tokenization. It is
called by the network's batcher (`network.Batcher.ids`), the one place every text goes through
on its way to the encoder: training, calibration, evaluation, the gate, `predict()` and its
explanations.

Offsets shown to people (sentences, evidence) are computed on the original text; only what the
encoder reads is normalized.
"""

from __future__ import annotations

import re
import unicodedata

# What emoji become: "keep" leaves them (the tokenizer knows them, one piece each), "token"
# maps every emoji to this one. Measured in docs/model-card.md; "keep" is the default.
EMOJI_TOKEN = "🙂"
EMOJI_MODES = ("keep", "token")

_CHARACTERS = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark: the apostrophe of typeset French
        "\u2018": "'",
        "\u201b": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u00b4": "'",  # acute accent typed as an apostrophe
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',  # guillemets
        "\u00bb": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u2026": "...",
        "\u00a0": " ",  # no-break spaces (before ; : ! ? and inside guillemets)
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",  # thin spaces
        "\u200a": " ",
        "\u200b": "",  # zero-width space and joiner-free marks that only change rendering
        "\u2060": "",
        "\ufeff": "",
    }
)
# Inside quotes, French puts a space ("« oui »"), English does not: one form, no inner space.
_QUOTE_INNER = re.compile(r'"\s*([^"]*?)\s*"')
# Before ; : ! ? French puts a space, many people type none: one form, French spacing, the form
# every training sentence uses ("Bonjour !"). A colon only when a space or the end follows, so
# "8:30" and addresses keep theirs.
_NO_SPACE_BEFORE = re.compile(r"(?<=[\w\"')\]])([;!?]|:(?=\s|$))")
# Emoji and pictographs (with their skin-tone modifiers and variation selectors).
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff]"
    "[\U0001f3fb-\U0001f3ff\ufe0f\u200d\U0001f300-\U0001faff\u2600-\u27bf]*"
)
# Dashes are left alone: dialogue turns ("— Tu viens ? — Oui.") are written with them in the
# training data, and mapping them to hyphens cost the shipped model 0.005 macro-F1 on
# independent v1 (docs/model-card.md).
# Three or more of the same emoji in a row read as one: "😂😂😂" is "😂" said loudly.
_REPEATED = re.compile(r"(\S)(?:\s*\1){2,}")


def normalize(text: str, emoji: str = "keep") -> str:
    """The plain typography of `text`: straight apostrophes and quotes, "..." for "…", plain
    single spaces, one space before ; : ! ? and none inside quotes; emoji kept or mapped to one.

    Idempotent: normalize(normalize(t)) == normalize(t).
    """
    if emoji not in EMOJI_MODES:
        raise ValueError(f"emoji must be one of {EMOJI_MODES}, not {emoji!r}")
    text = unicodedata.normalize("NFC", text).translate(_CHARACTERS)
    if emoji == "token":
        text = _EMOJI.sub(f" {EMOJI_TOKEN} ", text)
    text = " ".join(text.split())
    text = _QUOTE_INNER.sub(r'"\1"', text)
    text = _NO_SPACE_BEFORE.sub(r" \1", text)
    return _REPEATED.sub(_first_emoji, text)


def _first_emoji(match: re.Match[str]) -> str:
    """A run of one repeated emoji becomes one; other repeated characters ("!!!") stay."""
    return match.group(1) if _EMOJI.fullmatch(match.group(1)) else match.group(0)
