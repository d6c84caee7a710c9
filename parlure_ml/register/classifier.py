"""Register classifier: the champion model, per sentence and for the whole text, calibrated,
with an honest "uncertain" and the words that decided.

    classifier = get_classifier()
    [p] = classifier.predict(["Wesh, t'as capté ou pas ?"], explain=True)
    p.label, p.scores, p.uncertain, p.sentences[0].explanation
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from parlure_ml.process_local import ProcessLocal
from parlure_ml.register.attribution import Request, word_attributions
from parlure_ml.register.examples import LABELS
from parlure_ml.register.metrics import softmax
from parlure_ml.register.sentences import sentence_spans, word_spans

logger = logging.getLogger(__name__)

# Below this calibrated probability the model is not sure: the portal shows "hesitant" and
# neutre, and sends the prediction to review. Django passes its own setting.
DEFAULT_UNCERTAIN_BELOW = 0.6
HESITANT_LABEL = "neutre"
# Explanations stop after this many words of a call's texts (occlusion costs a forward pass a word).
EXPLAIN_MAX_WORDS = 400
# How the deciding words are found (`$PARLURE_EXPLAIN_METHOD`): "occlusion" (one forward pass per
# word: the default) or "gradients" (integrated gradients in one batched pass). Measured in one
# run on 300 sentences (bench/explanations.py, docs/model-card.md), four-step gradients were not
# cheaper on this model (77 s against 58 s) and their top words mattered half as much in the
# deletion test, so occlusion stays the default.
EXPLAIN_METHODS = ("gradients", "occlusion")
# A word is evidence when it carries at least this share of what pushed the decision.
EXPLAIN_MIN_SHARE = 0.05
EXPLAIN_TOP = 8


@dataclass(frozen=True)
class Evidence:
    start: int  # character offsets into the text
    end: int
    # The word's share (0..1) of what removing words takes away from the label's log-odds.
    weight: float


@dataclass(frozen=True)
class SentencePrediction:
    start: int
    end: int
    label: str  # the register shown: HESITANT_LABEL when uncertain
    top_label: str  # the model's most probable register
    scores: dict[str, float]
    uncertain: bool
    explanation: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class RegisterPrediction:
    label: str  # the register shown: HESITANT_LABEL when uncertain
    top_label: str
    scores: dict[str, float]  # calibrated probabilities over LABELS, sum to 1
    uncertain: bool
    model_version: str
    sentences: tuple[SentencePrediction, ...] = field(default=())
    # Whether the sentences' explanations were computed (predict(explain=True)); when not,
    # explain() computes the same ones later.
    explained: bool = False

    @property
    def shares(self) -> dict[str, float]:
        """The share of the text's sentences shown under each register."""
        counts = dict.fromkeys(LABELS, 0)
        for sentence in self.sentences:
            counts[sentence.label] += 1
        total = max(1, len(self.sentences))
        return {label: n / total for label, n in counts.items()}


def _decide(probs: np.ndarray, uncertain_below: float) -> tuple[str, str, bool]:
    top = LABELS[int(probs.argmax())]
    uncertain = bool(probs.max() < uncertain_below)
    return (HESITANT_LABEL if uncertain else top), top, uncertain


def _scores(probs: np.ndarray) -> dict[str, float]:
    return {label: round(float(p), 4) for label, p in zip(LABELS, probs, strict=True)}


class RegisterClassifier:
    def __init__(
        self,
        network: Any,
        tokenizer: Any,
        card: Any,
        quantized: bool,
        directory: Path | None = None,
    ) -> None:
        from parlure_ml.register.network import Batcher

        self.network = network
        self.tokenizer = tokenizer
        self.batcher = Batcher.for_model(network.encoder, tokenizer)
        self.quantized = quantized
        self.bf16 = False  # set by load(): weights in bfloat16
        self.card = card
        # Where the model's files are: its drift profile (drift.py) lies there too.
        self.directory = directory
        self.temperature = card.temperature
        self.model_version = card.version + ("+int8" if quantized else "")

    @classmethod
    def load(
        cls,
        directory: Path | None = None,
        model_dir: Path | None = None,
        int8: bool | None = None,
        bf16: bool | None = None,
    ) -> RegisterClassifier:
        """Load a model directory (default: the champion, see `champion.py`) onto the backbone.

        int8: dynamic int8 quantization of the encoder's linear layers (default:
        `$PARLURE_REGISTER_INT8` == "1"). Off by default: measured in docs/model-card.md, it is
        faster but loses several points of macro-F1.
        bf16: weights and activations in bfloat16 (default: `$PARLURE_REGISTER_BF16` == "1"),
        for CPUs with bf16 instructions (AVX512-BF16, AMX): 1.5x at p95 and 1.9x batched on
        such a CPU, within 0.2 point of macro-F1 (docs/model-card.md); on a CPU without them
        it is emulated and slower. Ignored with int8.
        """
        from parlure_ml.register.artifact import load_network
        from parlure_ml.register.champion import champion_dir

        directory = directory or champion_dir()
        network, tokenizer, card = load_network(directory, model_dir)
        if int8 is None:
            int8 = os.environ.get("PARLURE_REGISTER_INT8", "0") == "1"
        if bf16 is None:
            bf16 = os.environ.get("PARLURE_REGISTER_BF16", "0") == "1"
        if int8:
            network = quantize(network)
        elif bf16:
            import torch

            network = network.to(torch.bfloat16)
        logger.info("register model %s loaded from %s", card.version, directory)
        classifier = cls(network, tokenizer, card, quantized=int8, directory=directory)
        classifier.bf16 = bool(bf16 and not int8)
        return classifier

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities [len(texts), 3] for sentence-sized texts, batched."""
        from parlure_ml.register.evaluation import logits

        if not texts:
            return np.zeros((0, len(LABELS)))
        return softmax(logits(self.network, self.batcher, texts) / self.temperature)

    def predict(
        self,
        texts: Sequence[str],
        uncertain_below: float = DEFAULT_UNCERTAIN_BELOW,
        explain: bool = False,
    ) -> list[RegisterPrediction]:
        """Classify each text, sentence by sentence; the whole is the length-weighted mean.

        Raises ValueError for a text that is empty or only whitespace.
        """
        if isinstance(texts, str):
            raise TypeError("predict() takes a sequence of texts, not a single string")
        for index, text in enumerate(texts):
            if not text.strip():
                raise ValueError(f"text {index} is empty: there is nothing to classify")
        spans = [sentence_spans(text) for text in texts]
        chunks = [
            text[a:b] for text, text_spans in zip(texts, spans, strict=True) for a, b in text_spans
        ]
        probs = self.probabilities(chunks)
        bounds = np.cumsum([0, *(len(text_spans) for text_spans in spans)])
        per_text = [probs[bounds[k] : bounds[k + 1]] for k in range(len(texts))]
        all_sentences = [
            [_sentence(a, b, p, uncertain_below) for (a, b), p in zip(text_spans, ps, strict=True)]
            for text_spans, ps in zip(spans, per_text, strict=True)
        ]
        if explain:
            all_sentences = self._with_evidence(texts, all_sentences)
        results = []
        for text, text_spans, ps, sentences in zip(
            texts, spans, per_text, all_sentences, strict=True
        ):
            weights = np.array([max(1, len(word_spans(text, a, b))) for a, b in text_spans])
            whole = (ps * weights[:, None]).sum(axis=0) / weights.sum()
            label, top, uncertain = _decide(whole, uncertain_below)
            results.append(
                RegisterPrediction(
                    label=label,
                    top_label=top,
                    scores=_scores(whole),
                    uncertain=uncertain,
                    model_version=self.model_version,
                    sentences=tuple(sentences),
                    explained=explain,
                )
            )
        return results

    def explain(
        self, text: str, sentences: Sequence[tuple[int, int, str]], method: str | None = None
    ) -> list[tuple[Evidence, ...]]:
        """The deciding words of a text's sentences, given as (start, end, top_label) as
        predict() made them: the same evidence predict([text], explain=True) gives at once.

        For a prediction made without explanations, computed when someone asks for them; the
        caller must use the model that made the prediction.
        """
        decided = [
            SentencePrediction(start, end, top_label, top_label, {}, False)
            for start, end, top_label in sentences
        ]
        [explained] = self._with_evidence([text], [decided], method)
        return [sentence.explanation for sentence in explained]

    def _with_evidence(
        self,
        texts: Sequence[str],
        all_sentences: list[list[SentencePrediction]],
        method: str | None = None,
    ) -> list[list[SentencePrediction]]:
        """The sentences with the words that decided, up to EXPLAIN_MAX_WORDS words in all."""
        budget = EXPLAIN_MAX_WORDS
        requests: list[tuple[int, int, Request]] = []  # (text, sentence, request)
        for t, (text, sentences) in enumerate(zip(texts, all_sentences, strict=True)):
            for i, sentence in enumerate(sentences):
                words = [
                    w
                    for w in word_spans(text, sentence.start, sentence.end)
                    if text[w[0]].isalnum()
                ]
                if 1 < len(words) <= budget:
                    budget -= len(words)
                    target = LABELS.index(sentence.top_label)
                    requests.append(
                        (t, i, Request(text, sentence.start, sentence.end, words, target))
                    )
        scores = self.word_scores([r for _, _, r in requests], method)
        explained = [list(sentences) for sentences in all_sentences]
        for (t, i, request), word_scores in zip(requests, scores, strict=True):
            evidence = _evidence(request.words, word_scores)
            explained[t][i] = dataclasses.replace(explained[t][i], explanation=evidence)
        return explained

    def word_scores(
        self, requests: Sequence[Request], method: str | None = None
    ) -> list[np.ndarray]:
        """One score per word of each request: how much it pushed towards the request's target.

        `method` defaults to `$PARLURE_EXPLAIN_METHOD` ("occlusion"); an int8 model, whose
        quantized layers have no gradient, and a bf16 one, whose gradients are too coarse for
        small steps, always use occlusion.
        """
        method = method or os.environ.get("PARLURE_EXPLAIN_METHOD", "occlusion")
        if method not in EXPLAIN_METHODS:
            raise ValueError(f"unknown explanation method {method!r}: one of {EXPLAIN_METHODS}")
        if method == "gradients" and not self.quantized and not self.bf16:
            return word_attributions(self.network, self.tokenizer, self.batcher, requests)
        return [self._occlusion_scores(r) for r in requests]

    def _occlusion_scores(self, request: Request) -> np.ndarray:
        """Occlusion: remove each word in turn; how much the target's log-odds fall.

        Log-odds rather than probability: when the model is sure (0.999), removing the decisive
        word may only bring it to 0.99, a tiny change in probability but a large one in log-odds.
        """
        text, start, end = request.text, request.start, request.end
        variants = [(text[start:a] + text[b:end]).strip() or "." for a, b in request.words]
        [whole] = self.probabilities([text[start:end]])
        occluded = self.probabilities([" ".join(v.split()) for v in variants])
        return np.asarray(_log_odds(whole[request.target]) - _log_odds(occluded[:, request.target]))


def _sentence(
    start: int, end: int, probs: np.ndarray, uncertain_below: float
) -> SentencePrediction:
    label, top, uncertain = _decide(probs, uncertain_below)
    return SentencePrediction(start, end, label, top, _scores(probs), uncertain)


def _evidence(words: list[tuple[int, int]], scores: np.ndarray) -> tuple[Evidence, ...]:
    """The words that pushed towards the label, as shares of the total push (top EXPLAIN_TOP).

    Shares, so that weights read the same for sure and unsure predictions and for both methods.
    """
    positive = np.clip(scores, 0.0, None)
    total = positive.sum()
    if total <= 1e-6:
        return ()
    shares = positive / total
    ranked = sorted(range(len(words)), key=lambda i: -shares[i])[:EXPLAIN_TOP]
    return tuple(
        Evidence(words[i][0], words[i][1], round(float(shares[i]), 4))
        for i in sorted(ranked)
        if shares[i] >= EXPLAIN_MIN_SHARE
    )


def _log_odds(p: Any) -> Any:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def quantize(network: Any) -> Any:
    """Dynamic int8 quantization (per output channel) of the encoder's linear layers; the
    head stays fp32."""
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        # torch.ao's eager quantization is deprecated in favour of torchao, which is not
        # installed here; it still works and is measured against fp32 (docs/model-card.md).
        warnings.simplefilter("ignore")
        network.encoder = quantize_dynamic(
            network.encoder, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8
        )
    return network


_classifier = ProcessLocal(lambda: RegisterClassifier.load())


def get_classifier() -> RegisterClassifier:
    """The process-wide classifier, loaded on first use (after a worker forks, never at import)."""
    return _classifier.get()
