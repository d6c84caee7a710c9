"""The register network: e5-small, mean-pooled and L2-normalized, then an affine head.

Used the same way for training (LoRA adapters through `peft`, or the head alone on frozen
features) and for inference, so training and serving cannot drift apart. Texts are sentence-sized
here: callers cut long texts into chunks first (see `sentences.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parlure_ml.paths import E5_SUBDIR, default_model_dir, force_offline
from parlure_ml.register.normalize import normalize

if TYPE_CHECKING:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

PASSAGE_PREFIX = "passage: "
# Chunks are at most ~64 words (~110 tokens); anything longer is cut, never silently wrapped.
MAX_TOKENS = 160
# Bound on padded tokens per forward pass, so a batch of long chunks keeps memory bounded.
MAX_BATCH_TOKENS = 4096


def load_backbone(model_dir: Path | None = None) -> tuple[BertModel, Tokenizer]:
    """The assembled e5-small (see `parlure_ml.assemble`) in fp32 and its tokenizer, offline."""
    force_offline()
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    from parlure_ml.backbone.encoder import torch_threads

    path = (model_dir or default_model_dir()) / E5_SUBDIR
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"{path}: no assembled model; run python -m parlure_ml.assemble")
    torch.set_num_threads(torch_threads())
    hf_logging.disable_progress_bar()
    model = BertModel.from_pretrained(
        path, local_files_only=True, dtype=torch.float32, add_pooling_layer=False
    )
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    return model, tokenizer


class Batcher:
    """Turns texts into padded id/mask tensors, e5-style: `<s> passage: text </s>`.

    Every text is normalized first (`normalize.py`): this is the one way into the encoder, for
    training and inference alike, so typography can never tell them apart.
    """

    def __init__(self, tokenizer: Tokenizer, bos_id: int, eos_id: int, pad_id: int) -> None:
        self.tokenizer = tokenizer
        self.bos_id, self.eos_id, self.pad_id = bos_id, eos_id, pad_id

    @classmethod
    def for_model(cls, model: BertModel, tokenizer: Tokenizer) -> Batcher:
        config = model.config
        return cls(tokenizer, config.bos_token_id, config.eos_token_id, config.pad_token_id)

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(
            [PASSAGE_PREFIX + normalize(t) for t in texts], add_special_tokens=False
        )
        return [[self.bos_id, *e.ids[: MAX_TOKENS - 2], self.eos_id] for e in encodings]

    def tensors(self, rows: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        import torch

        length = max(len(r) for r in rows)
        ids = torch.full((len(rows), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), length), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
        return ids, mask


def batches_by_length(
    lengths: Sequence[int], max_tokens: int = MAX_BATCH_TOKENS
) -> list[list[int]]:
    """Indices grouped longest first, each group padded to at most `max_tokens` tokens."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and (len(groups[-1]) + 1) * lengths[groups[-1][0]] <= max_tokens:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def build_network(model: BertModel, n_labels: int) -> torch.nn.Module:
    import torch

    class RegisterNetwork(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = model
            self.head = torch.nn.Linear(model.config.hidden_size, n_labels)

        def features(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            # e5's pooling: mean over all real tokens, <s> and </s> included.
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
            return torch.nn.functional.normalize(pooled, dim=-1)

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return self.head(self.features(ids, mask))

    return RegisterNetwork()
