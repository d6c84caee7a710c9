"""Compare register-model options cheaply on frozen e5 embeddings, and a character n-gram model.

    .venv/bin/python bench/register_options.py [--lora DIR] [--json OUT]

Options measured (each head's L2 strength chosen on validation macro-F1, as `train.py` does):
- frozen e5 + logistic head on the old written data (the new `real_*.tsv` genres left out) and on
  all of it: what the new data is worth before any fine-tuning;
- emoji kept or mapped to one token (`normalize.py`), on the sentences that have emoji;
- a TF-IDF character 2-5-gram logistic regression alone, and mixed with the neural model's
  log-probabilities (`--lora`: a trained model directory; else the frozen head), the mixing weight
  chosen on validation.
Prints macro-F1 on validation (all, and the new genres alone), independent v1 and v2 and their
bare copies.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parlure_ml.register.corpus.written import WRITTEN_DIR, WRITTEN_SOURCE
from parlure_ml.register.examples import (
    EVAL_DIR,
    LABELS,
    Example,
    bare_copies,
    load_independent,
    load_splits,
)
from parlure_ml.register.head import fit_logistic
from parlure_ml.register.metrics import fit_temperature, report, softmax

L2_GRID = (1e-3, 1e-2, 1e-1, 1.0)


def _new_groups() -> set[str]:
    groups = set()
    for path in sorted(WRITTEN_DIR.glob("real_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            groups.add(f"{WRITTEN_SOURCE}:{line.split(chr(9))[2]}")
    return groups


def _rows_with_groups() -> dict[str, list[tuple[Example, str]]]:
    import csv

    from parlure_ml.register.examples import DATASET_CSV

    out: dict[str, list[tuple[Example, str]]] = {"train": [], "validation": [], "test": []}
    with DATASET_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            example = Example(row["text"], row["label"], row["source"], row["variant"])
            out[row["split"]].append((example, row["group"]))
    return out


def _targets(examples: list[Example]) -> np.ndarray:
    return np.array([LABELS.index(e.label) for e in examples], dtype=np.int64)


def _f1(probs: np.ndarray, examples: list[Example]) -> float:
    return round(float(report(probs, _targets(examples), LABELS)["macro_f1"]), 4)


def _fit_head(x: np.ndarray, y: np.ndarray, xv: np.ndarray, yv: np.ndarray) -> Any:
    best = None
    for l2 in L2_GRID:
        weight, bias = fit_logistic(x, y, len(LABELS), l2)
        score = report(softmax(xv @ weight.T + bias), yv, LABELS)["macro_f1"]
        if best is None or score > best[0]:
            best = (score, weight, bias)
    assert best is not None
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lora", type=Path, help="a trained model directory to mix with")
    parser.add_argument(
        "--char-only", action="store_true", help="only the character n-gram model (seconds)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from parlure_ml.register import evaluation
    from parlure_ml.register.artifact import load_network

    rows = _rows_with_groups()
    new = _new_groups()
    splits = load_splits()
    train, val = splits["train"], splits["validation"]
    val_new = [e for e, g in rows["validation"] if g in new]
    train_old_mask = np.array([g not in new for _, g in rows["train"]])
    sets: dict[str, list[Example]] = {"validation": val, "validation_new_genres": val_new}
    for path in sorted(EVAL_DIR.glob("*.tsv")):
        examples = load_independent(path)
        name = path.stem.replace("-", "_")
        sets |= {name: examples, f"{name}_bare": bare_copies(examples)}

    results: dict[str, dict[str, float]] = {}
    if args.char_only:
        _char_model(train, val, sets, results)
        return _print(results, args.json)
    if args.lora:
        network, tokenizer, card = load_network(args.lora)
    else:
        from parlure_ml.register.network import build_network, load_backbone

        model, tokenizer = load_backbone()
        network, card = build_network(model, len(LABELS)).eval(), None
    from parlure_ml.register.network import Batcher

    batcher = Batcher.for_model(network.encoder, tokenizer)

    def embed(examples: list[Example]) -> np.ndarray:
        return evaluation.features(network, batcher, [e.text for e in examples])

    x_sets = {name: embed(examples) for name, examples in sets.items()}
    x_val = x_sets["validation"]
    y_train, y_val = _targets(train), _targets(val)

    neural: dict[str, np.ndarray] = {}
    if card is not None:
        for name in sets:
            logits = (
                x_sets[name] @ network.head.weight.detach().double().numpy().T
                + network.head.bias.detach().double().numpy()
            )
            neural[name] = softmax(logits / card.temperature)
        results["neural"] = {name: _f1(p, sets[name]) for name, p in neural.items()}
        # the frozen-feature heads below mean nothing on a fine-tuned encoder: skip them
    else:
        x_train = embed(train)
        for option, mask in (("frozen_old_data", train_old_mask), ("frozen_all_data", None)):
            xt, yt = (x_train[mask], y_train[mask]) if mask is not None else (x_train, y_train)
            weight, bias = _fit_head(xt, yt, x_val, y_val)
            probs = {n: softmax(x @ weight.T + bias) for n, x in x_sets.items()}
            results[option] = {n: _f1(p, sets[n]) for n, p in probs.items()}
            if option == "frozen_all_data":
                neural = probs
                val_logits = x_val @ weight.T + bias
                temperature = fit_temperature(val_logits, y_val)
                neural = {n: softmax(np.log(p + 1e-12) / temperature) for n, p in probs.items()}

    char = _char_model(train, val, sets, results)
    y_val = _targets(val)

    # Mixing: weighted mean of log-probabilities, the weight chosen on validation.
    mix_best = None
    for w in (0.1, 0.2, 0.3, 0.4, 0.5):
        mixed = softmax(
            (1 - w) * np.log(neural["validation"] + 1e-12) + w * np.log(char["validation"] + 1e-12)
        )
        score = report(mixed, y_val, LABELS)["macro_f1"]
        if mix_best is None or score > mix_best[0]:
            mix_best = (score, w)
    assert mix_best is not None
    w = mix_best[1]
    results[f"neural+char_w{w}"] = {
        n: _f1(softmax((1 - w) * np.log(neural[n] + 1e-12) + w * np.log(char[n] + 1e-12)), sets[n])
        for n in sets
    }

    return _print(results, args.json)


def _print(results: dict[str, dict[str, float]], path: Path | None) -> int:
    for option, figures in results.items():
        print(f"{option:>26}: " + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    if path:
        path.write_text(json.dumps(results, indent=1))
    return 0


def _char_model(
    train: list[Example],
    val: list[Example],
    sets: dict[str, list[Example]],
    results: dict[str, dict[str, float]],
) -> dict[str, np.ndarray]:
    """TF-IDF character 2-5-grams (within words) and a logistic regression, C chosen on
    validation; its probabilities on every set."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    from parlure_ml.register.normalize import normalize

    y_train, y_val = _targets(train), _targets(val)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        preprocessor=lambda t: normalize(t).lower(),
    )
    c_train = vectorizer.fit_transform([e.text for e in train])
    c_val = vectorizer.transform([e.text for e in val])
    best = None
    for c in (0.5, 1.0, 2.0, 5.0, 10.0):
        model_c = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model_c.fit(c_train, y_train)
        score = report(model_c.predict_proba(c_val), y_val, LABELS)["macro_f1"]
        if best is None or score > best[0]:
            best = (score, c, model_c)
    assert best is not None
    char_model = best[2]
    char = {
        n: char_model.predict_proba(vectorizer.transform([e.text for e in s]))
        for n, s in sets.items()
    }
    results[f"char_ngrams_C{best[1]}"] = {n: _f1(p, sets[n]) for n, p in char.items()}

    return char


if __name__ == "__main__":
    sys.exit(main())
