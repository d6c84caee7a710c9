"""Which words decided a sentence's register, from gradients: one batched pass, not one per word.

Occlusion (``PARLURE_EXPLAIN_METHOD=occlusion``, the reference) runs the model once more for
every word of every sentence: 6-7x the cost of the prediction itself. Here captum's layer
integrated gradients attribute the label's log-probability to the token embeddings, with
``STEPS`` steps run as one batch: a forward and a backward pass over ``STEPS`` copies of the
batch. Tokens are summed into the words they belong to, and weights are each word's share of
the positive attribution, as occlusion's are: the page reads both the same way.

The agreement with occlusion (top-3 overlap), a deletion test and the cost are measured by
``bench/explanations.py`` and reported in docs/model-card.md: on this model, on a CPU, four
steps were not cheaper than occlusion and found words that mattered less, so this is an option
(``PARLURE_EXPLAIN_METHOD=gradients``), not the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from parlure_ml.register.network import MAX_TOKENS, PASSAGE_PREFIX, batches_by_length

# Integrated-gradients steps, run as one batch. One step (the gradient at the midpoint) vanishes
# on sentences the model is sure of (their log-probability is flat there) and leaves them with no
# words; four gave the same top words as eight on the sentences checked, for half the cost
# (bench/explanations.py; docs/model-card.md).
STEPS = 4


@dataclass(frozen=True)
class Request:
    """One sentence to explain: text[start:end], its words, and the label to explain."""

    text: str
    start: int
    end: int
    words: list[tuple[int, int]]  # absolute character offsets, as `sentences.word_spans`
    target: int


def word_attributions(
    network: Any, tokenizer: Any, batcher: Any, requests: Sequence[Request]
) -> list[np.ndarray]:
    """For each request, one signed score per word: how much it pushed towards `target`."""
    import torch
    from captum.attr import LayerIntegratedGradients

    if not requests:
        return []
    sentences = [r.text[r.start : r.end] for r in requests]
    encodings = tokenizer.encode_batch(
        [PASSAGE_PREFIX + s for s in sentences], add_special_tokens=False
    )
    rows = [[batcher.bos_id, *e.ids[: MAX_TOKENS - 2], batcher.eos_id] for e in encodings]
    embeddings = network.encoder.get_input_embeddings()

    def log_probabilities(ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(network(ids, mask), dim=-1)

    explainer = LayerIntegratedGradients(log_probabilities, embeddings)
    scores: list[np.ndarray] = [np.zeros(0)] * len(requests)
    for group in batches_by_length([len(r) for r in rows]):
        ids, mask = batcher.tensors([rows[i] for i in group])
        # The baseline keeps <s> and </s> and pads every other token: "no words at all".
        baseline = torch.where(
            (ids == batcher.bos_id) | (ids == batcher.eos_id),
            ids,
            torch.full_like(ids, batcher.pad_id),
        )
        with torch.enable_grad():
            attributions = explainer.attribute(
                ids,
                baselines=baseline,
                additional_forward_args=(mask,),
                target=[requests[i].target for i in group],
                n_steps=STEPS,
                internal_batch_size=len(group) * STEPS,
            )
        per_token = attributions.sum(dim=-1).detach().double().numpy()
        for row, i in enumerate(group):
            scores[i] = _to_words(per_token[row], encodings[i].offsets, requests[i])
    return scores


def _to_words(
    per_token: np.ndarray, offsets: list[tuple[int, int]], request: Request
) -> np.ndarray:
    """Sum token scores into the words whose characters they cover (prefix tokens dropped)."""
    prefix = len(PASSAGE_PREFIX)
    words = np.zeros(len(request.words))
    # per_token[0] is <s>; token k of the encoding is per_token[k + 1].
    for k, (a, b) in enumerate(offsets[: len(per_token) - 2]):
        if b <= prefix:
            continue
        first, last = request.start + max(a, prefix) - prefix, request.start + b - prefix
        for w, (start, end) in enumerate(request.words):
            if start < last and first < end:  # the token overlaps the word
                words[w] += per_token[k + 1]
                break
    return words
