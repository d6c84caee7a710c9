"""A trained register model on disk: small enough to ship in git (the adapter, not the backbone).

    <dir>/model.json          version, labels, temperature, metrics, dataset hash, parameters
    <dir>/head.safetensors    the affine head (weight [3, 384], bias [3])
    <dir>/adapter/            the LoRA adapter as `peft` saves it (absent for a fast-mode model)

The backbone is the assembled e5-small (`parlure_ml.assemble`); `model.json` records its sha256 and
loading refuses another one, so an adapter is never applied to weights it was not trained on.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parlure_ml.paths import E5_SUBDIR, REPO_ROOT, default_model_dir

if TYPE_CHECKING:
    import torch

FORMAT = 1
SHIPPED_DIR = Path(__file__).resolve().parent / "champion"
RUNS_DIR = REPO_ROOT / "var" / "models" / "register"


@dataclass(frozen=True)
class ModelCard:
    """The contents of `model.json`."""

    version: str
    labels: tuple[str, ...]
    temperature: float
    mode: str  # "lora" or "fast"
    backbone_sha256: str
    data: dict[str, Any]

    @classmethod
    def read(cls, directory: Path) -> ModelCard:
        data = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{directory}: model format {data.get('format')}, expected {FORMAT}")
        return cls(
            version=data["version"],
            labels=tuple(data["labels"]),
            temperature=float(data["temperature"]),
            mode=data["mode"],
            backbone_sha256=data["backbone_sha256"],
            data=data,
        )


def backbone_sha256(model_dir: Path | None = None) -> str:
    """The checksum `parlure_ml.assemble` recorded for the converted e5-small weights."""
    manifest = (model_dir or default_model_dir()) / E5_SUBDIR / "manifest.json"
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    return str(files["model.safetensors"])


def save(directory: Path, network: torch.nn.Module, card: dict[str, Any], adapter: bool) -> None:
    """Write a model directory; `network` is the RegisterNetwork (its encoder a PeftModel if
    `adapter`)."""
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    head = network.head
    save_file(
        {"weight": head.weight.detach().contiguous(), "bias": head.bias.detach().contiguous()},
        str(directory / "head.safetensors"),
    )
    if adapter:
        # Not the local path peft would record: the backbone is checked by sha256 instead.
        for config in network.encoder.peft_config.values():
            config.base_model_name_or_path = "intfloat/multilingual-e5-small"
        # Embeddings are frozen: no need for peft to look up the base model's vocabulary.
        network.encoder.save_pretrained(str(directory / "adapter"), save_embedding_layers=False)
        # peft writes a Hub model-card template beside the adapter; model.json is the card here.
        (directory / "adapter" / "README.md").unlink(missing_ok=True)
    payload = {"format": FORMAT, **card, "mode": "lora" if adapter else "fast"}
    (directory / "model.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def load_network(directory: Path, model_dir: Path | None = None) -> tuple[Any, Any, ModelCard]:
    """(network in eval mode with the adapter merged, tokenizer, card)."""
    import torch
    from safetensors.torch import load_file

    from parlure_ml.register.network import build_network, load_backbone

    card = ModelCard.read(directory)
    expected = backbone_sha256(model_dir)
    if card.backbone_sha256 != expected:
        raise ValueError(
            f"{directory} was trained on backbone {card.backbone_sha256[:12]}, "
            f"the assembled one is {expected[:12]}"
        )
    model, tokenizer = load_backbone(model_dir)
    if card.mode == "lora":
        from peft import PeftModel

        with warnings.catch_warnings():
            # peft 0.21 reads an attribute transformers 5 renamed; harmless, and not ours to fix.
            warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)
            peft_model = PeftModel.from_pretrained(model, str(directory / "adapter"))
        model = peft_model.merge_and_unload()
    network = build_network(model, len(card.labels))
    head = load_file(str(directory / "head.safetensors"))
    with torch.no_grad():
        network.head.weight.copy_(head["weight"])
        network.head.bias.copy_(head["bias"])
    return network.eval(), tokenizer, card
