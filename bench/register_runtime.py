"""Register classifier runtimes on this machine, paired in one process: ONNX Runtime (fp32, int8)
and torch's own options (threads, batch size, bf16, torch.compile) against today's torch fp32 path.
Prints its figures.

    PYTHONPATH=/tmp/pylib .venv/bin/python bench/register_runtime.py [--runs 300] [--rounds 5]
        [--only NAME,NAME] [--json OUT]

The ONNX options need the `onnx` package to export and optimize the network; it is not a project
dependency: `.venv/bin/pip install --target /tmp/pylib onnx`. The exported files go to
`--workdir` (a temporary folder by default).

Every option stands in for `RegisterClassifier.network` (called with ids and mask, returning
logits) inside a `RegisterClassifier` that shares the champion's tokenizer, card and temperature:
`predict` and `probabilities` run unchanged, so every option sees the same sentence split,
normalization, tokenization, length-sorted batching, temperature and softmax.

- Setup: the time to build the option from the loaded fp32 network (export, optimization,
  quantization; for torch.compile, the first calls, which compile).
- One sentence: `predict([sentence])` for `--runs` sentences cycling over independent v1; each
  sentence goes through every option in turn, the order rotating from one sentence to the next,
  with `--gap-ms` of idle time between calls (as a worker waits for the next text, and so that
  one runtime's idle threads do not land on the next one's timing; ONNX Runtime's spinning is
  off for the same reason). p50, p95, and the
  baseline's p95 divided by the option's (the speed-up) in the same run.
- Throughput: `predict(texts)` on independent v1 and its bare copy (900 sentences) in one call,
  `--rounds` rounds, every option once per round in rotating order; median sentences/s, and the
  median over rounds of the option's throughput divided by the baseline's in the same round.
- Accuracy: macro-F1 on independent v1, v2, v3 and their bare copies (loaded as `evaluate.py`
  loads them), and the largest absolute difference of a calibrated probability to the baseline's
  over all those sentences.
An option qualifies when it is at least 1.3x faster on both one-sentence p95 and throughput and
loses at most 0.5 point of macro-F1 on every one of the six sets.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import json
import statistics
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from parlure_ml.register import evaluation
from parlure_ml.register.evaluation import evaluation_sets, scored
from parlure_ml.register.examples import bare_copies, load_independent

BASELINE = "torch-fp32"
SPEEDUP_NEEDED = 1.3
F1_LOSS_ALLOWED = 0.005
OPTIONS = (
    BASELINE,
    "torch-1-thread",
    "torch-batch-1024",
    "torch-batch-16384",
    "torch-bf16-autocast",
    "torch-bf16",
    "torch-compile",
    "onnx-fp32-plain",
    "onnx-fp32",
    "onnx-fp32-1-thread",
    "onnx-int8",
    "onnx-int8-attention",
    "onnx-int8-all",
)


@dataclass
class Option:
    name: str
    classifier: Any
    setup_s: float
    note: str = ""
    # Entered around every call of this option (thread count, batch size).
    context: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext
    latencies: list[float] = field(default_factory=list)
    throughputs: list[float] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


class OnnxNetwork:
    """An ONNX Runtime session in the place of the torch RegisterNetwork: (ids, mask) -> logits.

    `head` is kept for `evaluation.logits`, which reads the number of labels from it."""

    def __init__(self, session: Any, head: Any) -> None:
        self.session = session
        self.head = head

    def __call__(self, ids: Any, mask: Any) -> Any:
        import torch

        [out] = self.session.run(None, {"ids": ids.numpy(), "mask": mask.numpy()})
        return torch.from_numpy(out)


class AutocastNetwork:
    """The fp32 network run under bf16 autocast (matrix products in bf16, the rest fp32)."""

    def __init__(self, network: Any) -> None:
        self.network = network
        self.head = network.head

    def __call__(self, ids: Any, mask: Any) -> Any:
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            return self.network(ids, mask).float()


def _variant(base: Any, network: Any) -> Any:
    """A RegisterClassifier like `base` (tokenizer, card, temperature) running `network`."""
    from parlure_ml.register.classifier import RegisterClassifier

    classifier = RegisterClassifier(
        base.network, base.tokenizer, base.card, quantized=False, directory=base.directory
    )
    classifier.network = network
    return classifier


@contextlib.contextmanager
def _threads(n: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def _max_batch_tokens(n: int) -> Iterator[None]:
    """`evaluation.logits` groups sentences with `batches_by_length`; give it another bound."""
    original = evaluation.batches_by_length
    evaluation.batches_by_length = functools.partial(original, max_tokens=n)
    try:
        yield
    finally:
        evaluation.batches_by_length = original


def _sample(base: Any) -> tuple[Any, Any]:
    rows = base.batcher.ids(["Bonjour, comment allez-vous ?", "wesh t'as capté ou pas frère"])
    return base.batcher.tensors(rows)


def export_onnx(base: Any, path: Path, eager: bool) -> None:
    """The merged network (encoder, pooling, head: logits) to ONNX, batch and length dynamic.

    TorchScript exporter on the eager attention: ONNX Runtime's transformer optimizer recognizes
    that graph as BERT attention; the sdpa attention (today's torch path) exports as a graph it
    does not fuse, with either exporter."""
    import torch

    network = copy.deepcopy(base.network)
    if eager:
        network.encoder.set_attn_implementation("eager")
    ids, mask = _sample(base)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            network,
            (ids, mask),
            str(path),
            dynamo=False,
            input_names=["ids", "mask"],
            output_names=["logits"],
            dynamic_axes={"ids": {0: "batch", 1: "seq"}, "mask": {0: "batch", 1: "seq"}},
            opset_version=17,
        )


def optimize_onnx(source: Path, target: Path, base: Any) -> dict[str, int]:
    """ONNX Runtime's transformer optimizer for BERT; returns what it fused."""
    from onnxruntime.transformers.optimizer import optimize_model  # type: ignore[import-untyped]

    config = base.network.encoder.config
    model = optimize_model(
        str(source),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=0,
    )
    model.save_model_to_file(str(target))
    return {k: v for k, v in model.get_fused_operator_statistics().items() if v}


def quantize_onnx(source: Path, target: Path, op_types: list[str] | None) -> None:
    """Dynamic int8 quantization: int8 weights per channel, activations quantized at run time.

    The fused operators (com.microsoft domain) defeat ONNX shape inference, so the quantizer is
    told that tensors of unknown type are float."""
    import onnx  # type: ignore[import-not-found]
    from onnxruntime.quantization import (  # type: ignore[import-untyped]
        QuantType,
        quantize_dynamic,
    )

    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=op_types,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def session(path: Path, threads: int) -> Any:
    import onnxruntime as ort  # type: ignore[import-untyped]

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # ORT's idle threads spin by default; next to torch on 2 shared cores they slowed the torch
    # calls that followed several-fold. Off, so that the pairing measures each runtime alone.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def build(name: str, base: Any, workdir: Path, cache: dict[str, Any]) -> Option:
    """The option called `name`; `cache` keeps the ONNX files built for earlier options."""
    import torch

    started = time.perf_counter()
    network = base.network
    head = network.head
    if name == BASELINE:
        return Option(name, base, 0.0, "today's path: sdpa attention, 2 threads")
    if name == "torch-1-thread":
        return Option(name, base, 0.0, "torch.set_num_threads(1)", lambda: _threads(1))
    if name.startswith("torch-batch-"):
        n = int(name.rsplit("-", 1)[1])
        note = f"batches of at most {n} padded tokens (today 4096), still sorted by length"
        return Option(name, base, 0.0, note, lambda: _max_batch_tokens(n))
    if name == "torch-bf16-autocast":
        return Option(name, _variant(base, AutocastNetwork(network)), 0.0, "autocast bf16")
    if name == "torch-bf16":
        bf16 = copy.deepcopy(network).to(torch.bfloat16)
        return Option(
            name,
            _variant(base, bf16),
            time.perf_counter() - started,
            "weights and activations in bf16",
        )
    if name == "torch-compile":
        from parlure_ml.register.network import build_network

        compiled = build_network(torch.compile(network.encoder, dynamic=True), head.out_features)
        compiled.head = head
        classifier = _variant(base, compiled.eval())
        classifier.predict(["Bonjour à tous."])  # compiles (batch of one)
        classifier.predict(
            ["Bonjour à tous.", "Salut, ça va ?", "Veuillez agréer mes salutations."]
        )
        return Option(
            name,
            classifier,
            time.perf_counter() - started,
            "torch.compile(encoder, dynamic=True), inductor",
        )
    if name == "onnx-fp32-plain":
        path = workdir / "register-sdpa.onnx"
        export_onnx(base, path, eager=False)
        sess = session(path, 2)
        note = "TorchScript export of today's sdpa network, ORT's own graph optimizations only"
        return Option(name, _variant(base, OnnxNetwork(sess, head)), _since(started), note)
    if "fused" not in cache:
        exported = workdir / "register-eager.onnx"
        export_onnx(base, exported, eager=True)
        optimized = workdir / "register-fused.onnx"
        fused = optimize_onnx(exported, optimized, base)
        cache["fused"] = (optimized, fused, _since(started))
    optimized, fused, fused_s = cache["fused"]
    fused_note = "fused: " + ", ".join(f"{k} {v}" for k, v in fused.items())
    if name in ("onnx-fp32", "onnx-fp32-1-thread"):
        threads = 1 if name.endswith("1-thread") else 2
        sess = session(optimized, threads)
        return Option(
            name,
            _variant(base, OnnxNetwork(sess, head)),
            fused_s + _since(started) if name == "onnx-fp32" else _since(started),
            f"eager export + transformer optimizer ({fused_note}), {threads} threads",
        )
    op_types = {
        "onnx-int8": ["MatMul"],
        "onnx-int8-attention": ["MatMul", "Attention"],
        "onnx-int8-all": None,
    }[name]
    quantized = workdir / f"{name}.onnx"
    quantize_onnx(optimized, quantized, op_types)
    sess = session(quantized, 2)
    what = "+".join(op_types) if op_types else "every op type ORT quantizes (embeddings too)"
    return Option(
        name,
        _variant(base, OnnxNetwork(sess, head)),
        _since(started),
        f"quantize_dynamic of the fused model: {what}, int8 weights per channel",
    )


def _since(started: float) -> float:
    return time.perf_counter() - started


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def measure(options: list[Option], runs: int, rounds: int, gap_s: float) -> None:
    independent = load_independent()
    sentences = [e.text for e in independent]
    batch = sentences + [e.text for e in bare_copies(independent)]
    for option in options:  # warm-up
        with option.context():
            for text in sentences[:20]:
                option.classifier.predict([text])
            option.classifier.predict(batch[:64])
    for i in range(runs):
        text = sentences[(i * 7) % len(sentences)]
        for option in options[i % len(options) :] + options[: i % len(options)]:
            with option.context():
                started = time.perf_counter()
                option.classifier.predict([text])
                option.latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(gap_s)
    for r in range(rounds):
        for option in options[r % len(options) :] + options[: r % len(options)]:
            with option.context():
                started = time.perf_counter()
                option.classifier.predict(batch)
                option.throughputs.append(len(batch) / (time.perf_counter() - started))
            time.sleep(gap_s)
    baseline = options[0]
    for option in options:
        option.figures |= {
            "setup_s": option.setup_s,
            "p50_ms": statistics.median(option.latencies),
            "p95_ms": _percentile(option.latencies, 0.95),
            "p95_speedup": _percentile(baseline.latencies, 0.95)
            / _percentile(option.latencies, 0.95),
            "p50_speedup": statistics.median(baseline.latencies)
            / statistics.median(option.latencies),
            "throughput": statistics.median(option.throughputs),
            "throughput_speedup": statistics.median(
                o / b for o, b in zip(option.throughputs, baseline.throughputs, strict=True)
            ),
            "batch_sentences": len(batch),
        }


def accuracy(options: list[Option]) -> list[str]:
    sets = {
        name: examples
        for name, examples in evaluation_sets({"test": []}).items()
        if name.startswith("independent")
    }
    reference: dict[str, np.ndarray] = {}
    for option in options:
        max_diff = 0.0
        with option.context():
            for name, examples in sets.items():
                probs = option.classifier.probabilities([e.text for e in examples])
                option.figures[f"f1_{name}"] = scored(examples, probs)["macro_f1"]
                if option is options[0]:
                    reference[name] = probs
                max_diff = max(max_diff, float(np.abs(probs - reference[name]).max()))
        option.figures["max_prob_diff"] = max_diff
    return list(sets)


def verdict(option: Option, baseline: Option, set_names: list[str]) -> str:
    if option is baseline:
        return "baseline"
    f = option.figures
    loss = max(baseline.figures[f"f1_{s}"] - f[f"f1_{s}"] for s in set_names)
    fast = f["p95_speedup"] >= SPEEDUP_NEEDED and f["throughput_speedup"] >= SPEEDUP_NEEDED
    accurate = loss <= F1_LOSS_ALLOWED
    why = []
    if not fast:
        why.append(f"not {SPEEDUP_NEEDED}x on both")
    if not accurate:
        why.append(f"loses {loss * 100:.1f} points")
    return "QUALIFIES" if fast and accurate else "no (" + ", ".join(why) + ")"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gap-ms", type=float, default=20.0)
    parser.add_argument("--only", default="", help="comma-separated options (baseline always)")
    parser.add_argument("--workdir", type=Path, default=None, help="ONNX files (default: temp)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    import onnxruntime
    import torch

    from parlure_ml.register.classifier import RegisterClassifier

    wanted = [BASELINE] + [n for n in args.only.split(",") if n and n != BASELINE]
    names = wanted if args.only else list(OPTIONS)
    unknown = set(names) - set(OPTIONS)
    if unknown:
        parser.error(f"unknown options {sorted(unknown)}: choose among {OPTIONS}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="register-runtime-"))
    workdir.mkdir(parents=True, exist_ok=True)
    base = RegisterClassifier.load(int8=False)
    options: list[Option] = []
    failed: dict[str, str] = {}
    cache: dict[str, Any] = {}
    for name in names:
        try:
            option = build(name, base, workdir, cache)
        except Exception as error:  # report and go on with the others
            traceback.print_exc()
            failed[name] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
            print(f"{name}: FAILED to build: {failed[name]}", flush=True)
            continue
        options.append(option)
        print(f"{name}: built in {option.setup_s:.1f} s ({option.note})", flush=True)
    measure(options, args.runs, args.rounds, args.gap_ms / 1000)
    set_names = accuracy(options)
    baseline = options[0]
    short = {s: s.replace("independent_", "").replace("_bare", " bare") for s in set_names}
    print()
    print(
        f"{'option':<20} {'setup s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p95 x':>6} "
        f"{'sent/s':>7} {'thr x':>6}  "
        + " ".join(f"{short[s]:>7}" for s in set_names)
        + f"  {'max|dp|':>8}  verdict"
    )
    for option in options:
        f = option.figures
        f["verdict"] = verdict(option, baseline, set_names)
        print(
            f"{option.name:<20} {f['setup_s']:7.1f} {f['p50_ms']:7.1f} {f['p95_ms']:7.1f} "
            f"{f['p95_speedup']:6.2f} {f['throughput']:7.0f} {f['throughput_speedup']:6.2f}  "
            + " ".join(f"{f[f'f1_{s}']:7.3f}" for s in set_names)
            + f"  {f['max_prob_diff']:8.5f}  {f['verdict']}"
        )
    for name, reason in failed.items():
        print(f"{name:<20} FAILED: {reason}")
    print()
    for option in options:
        print(f"{option.name}: {option.note}")
    print(
        f"one sentence: n={args.runs} per option, {args.gap_ms:.0f} ms between calls; "
        f"throughput: {baseline.figures['batch_sentences']} sentences, {args.rounds} rounds; "
        f"x = speed-up against {BASELINE} in this run (p95: its p95 / the option's; thr: "
        "median of per-round ratios)"
    )
    print(
        f"torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}, bf16 "
        f"{'supported' if torch.ops.mkldnn._is_mkldnn_bf16_supported() else 'not supported'}), "
        f"onnxruntime {onnxruntime.__version__}, {torch.get_num_threads()} threads, "
        f"model {base.model_version}"
    )
    if args.json:
        payload = {
            "options": {o.name: o.figures | {"note": o.note} for o in options},
            "failed": failed,
            "runs": args.runs,
            "rounds": args.rounds,
            "gap_ms": args.gap_ms,
            "torch": torch.__version__,
            "onnxruntime": onnxruntime.__version__,
            "model": base.model_version,
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
