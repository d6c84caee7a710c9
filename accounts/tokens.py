"""API keys: how they are made and recognised. Only their hash ever reaches the database."""

import hashlib
import secrets

KEY_PREFIX = "plr_"
PREFIX_SHOWN = 12


def key_generate() -> str:
    # 32 random bytes: far beyond guessing, so a fast hash (not a password hash) is enough.
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
