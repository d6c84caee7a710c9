"""Fixtures for the plain-Python ML tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parlure_ml.assemble import assemble
from parlure_ml.backbone.encoder import E5Encoder
from parlure_ml.paths import default_model_dir
from parlure_ml.register import RegisterClassifier
from parlure_ml.register.artifact import SHIPPED_DIR


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The assembled model directory: built once (~15 s), then only checksum-verified."""
    directory = default_model_dir()
    assemble(directory)
    return directory


@pytest.fixture(scope="session")
def encoder(model_dir: Path) -> E5Encoder:
    return E5Encoder.load(model_dir)


@pytest.fixture(scope="session")
def classifier(model_dir: Path) -> RegisterClassifier:
    return RegisterClassifier.load(SHIPPED_DIR, model_dir, int8=False)
