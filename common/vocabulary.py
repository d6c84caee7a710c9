"""A vocabulary: the words and names a person's or a corpus's recordings may contain (people,
places, jargon), given to the speech model so that it spells them as they are written.

Written one term per line (commas and semicolons separate terms too). Terms are kept in the
order given, spaces tidied, without repeats (case aside). The speech model reads at most a few
hundred characters of them (parlure_ml.speech.transcriber.VOCABULARY_MAX_CHARS): the limits here
keep a list within reach of that, and tell the person instead of cutting silently.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VOCABULARY_MAX_TERMS = 50
VOCABULARY_TERM_MAX_CHARS = 60
_SEPARATORS = re.compile(r"[\n\r;,]+")


def vocabulary_terms(text: str) -> list[str]:
    """The terms of a stored or typed vocabulary, in order, without repeats."""
    terms: list[str] = []
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text or ""):
        term = " ".join(raw.split())
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return terms


def vocabulary_clean(text: str) -> str:
    """The vocabulary as stored (one term per line); ValidationError when over the limits."""
    terms = vocabulary_terms(text)
    if len(terms) > VOCABULARY_MAX_TERMS:
        raise ValidationError(
            _("A vocabulary holds at most %(limit)s terms; this one has %(count)s.")
            % {"limit": VOCABULARY_MAX_TERMS, "count": len(terms)},
            code="too_many",
        )
    too_long = [term for term in terms if len(term) > VOCABULARY_TERM_MAX_CHARS]
    if too_long:
        raise ValidationError(
            _("Each term may be at most %(limit)s characters long: “%(term)s…” is longer.")
            % {"limit": VOCABULARY_TERM_MAX_CHARS, "term": too_long[0][:30]},
            code="too_long",
        )
    return "\n".join(terms)
