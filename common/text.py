"""Text hygiene shared by every app that stores what people type."""

import re

# Control characters other than tab and line breaks have no place in a text, and PostgreSQL refuses
# NUL outright: drop them rather than fail on save.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_characters_strip(text: str) -> str:
    """The text without control characters (tab and line breaks kept) and outer whitespace."""
    return _CONTROL_CHARACTERS.sub("", text or "").strip()
