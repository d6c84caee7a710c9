"""Where assembled models live, and the offline switches for Hugging Face libraries."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
E5_SUBDIR = "e5-small"


def default_model_dir() -> Path:
    """`$PARLURE_MODEL_DIR`, else `<repo>/var/models` (git-ignored)."""
    env = os.environ.get("PARLURE_MODEL_DIR")
    return Path(env) if env else REPO_ROOT / "var" / "models"


def force_offline() -> None:
    """Forbid any hub download.

    Must run before `transformers`/`huggingface_hub` are imported: both read these variables into
    module constants at import time.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
