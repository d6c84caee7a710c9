"""Raw variants of training sentences: the forms real text arrives in.

The written data is tidy (capital, end punctuation, plain typography). People type without
capitals or end punctuation, speech recognizers hand over neither, and typeset text carries
curly apostrophes, guillemets, ellipsis characters and no-break spaces. Training shows a share
of sentences in one of these forms.
Typeset variants go through `normalize()` like everything else, so they check the training path
end to end rather than teach the model anything new; case and punctuation are what it learns.
"""

from __future__ import annotations

import random
import re

from parlure_ml.register.examples import bare

_END = re.compile(r"\s*[.!?…]+$")
_TYPESET = (("'", "\u2019"), ("...", "\u2026"), (" ?", "\u202f?"), (" !", "\u202f!"))
_QUOTED = re.compile(r'"([^"]*)"')


def typeset(text: str) -> str:
    """As a word processor or a phone prints it: curly apostrophes, guillemets, ellipsis
    characters, narrow no-break spaces."""
    for plain, typeset_form in _TYPESET:
        text = text.replace(plain, typeset_form)
    return _QUOTED.sub("\u00ab\u00a0\\1\u00a0\u00bb", text)


def raw_variant(text: str, rng: random.Random) -> str:
    """One of: lower-case and unpunctuated (as speech recognizers write), lower-case only,
    without end punctuation (as messages are typed), or typeset."""
    kind = rng.choice(("bare", "bare", "lower", "no-end", "typeset"))
    if kind == "bare":
        return bare(text)
    if kind == "lower":
        return text.lower()
    if kind == "no-end":
        return _END.sub("", text) or text
    return typeset(text)
