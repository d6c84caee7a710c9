"""Fixtures for the corpora tests: a real worker for imports, a private folder for audio."""

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotation.tests.conftest import celery_worker


@pytest.fixture
def import_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[bytes]]:
    """A worker on the nlp queue (imports' texts), loading the register model only."""
    monkeypatch.setenv("PARLURE_WARM_UP_MODELS", "register")
    with celery_worker("nlp") as process:
        yield process


@pytest.fixture
def audio_root(settings: Any, tmp_path: Path) -> Path:
    """Recordings of the test go to a folder of its own."""
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"
