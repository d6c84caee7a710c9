"""A worker's model is loaded once, even when its warm-up thread and its first job ask together."""

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pipeline import classification


def test_two_threads_asking_for_the_champion_at_once_load_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads: list[Path] = []
    model = SimpleNamespace(model_version="lora-7")

    def slow_load(directory: Path, **_kwargs: Any) -> object:
        loads.append(directory)
        time.sleep(0.3)  # long enough that the second thread asks while the first loads
        return model

    monkeypatch.setattr(classification, "_champion", None)
    monkeypatch.setattr(classification, "champion_pinned", lambda: None)
    monkeypatch.setattr(classification, "_champion_version", lambda: "7")
    monkeypatch.setattr(classification, "model_directory", lambda version: Path(f"/m/{version}"))
    monkeypatch.setattr(classification.RegisterClassifier, "load", slow_load)

    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(classification.register_classifier()))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert loads == [Path("/m/7")]
    assert got == [model, model]
