"""One model per process, loaded on first use and never inherited across fork.

torch's and CTranslate2's thread pools do not survive fork: a worker child that used a model
loaded in its parent can hang. A ProcessLocal forgets its value in every forked child, which then
loads its own copy on first use, once, under a lock (a warm-up thread and a task may ask at once).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

# What a forked child inherited from its parent, kept alive on purpose: destroying a model whose
# thread pools did not survive the fork (CTranslate2, ONNX Runtime) waits for those threads
# forever. The pages stay shared copy-on-write with the parent, so this costs no memory.
_inherited: list[object] = []


def keep_alive(inherited: object) -> None:
    """Never destroy `inherited` in this (forked) process; see above."""
    _inherited.append(inherited)


class ProcessLocal(Generic[T]):
    def __init__(
        self, load: Callable[[], T], *, after_fork: Callable[[], None] | None = None
    ) -> None:
        self._load = load
        self._after_fork = after_fork
        self._value: T | None = None
        self._lock = threading.Lock()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget)

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._load()
                value = self._value
        return value

    def _forget(self) -> None:
        if self._value is not None:
            keep_alive(self._value)
        self._value = None
        self._lock = threading.Lock()
        if self._after_fork is not None:
            self._after_fork()
