"""Rule rewrites, speech-like variants and pinned downloads, one by one."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from parlure_ml.register.corpus import fetch as fetch_module
from parlure_ml.register.corpus.fetch import Artefact, ArtefactUnavailable, fetch
from parlure_ml.register.corpus.rewrite import Lexicon, rewrite
from parlure_ml.register.corpus.speech import speech_like

LEXICON = Lexicon(verlan={"femme": "meuf", "fête": "teuf"}, interjections=("putain",))


@pytest.mark.parametrize(
    ("neutral", "familier"),
    [
        ("Il n'y a plus de lait dans le réfrigérateur.", "y a plus de lait dans le frigo"),
        ("Je n'ai pas eu le temps de finir.", "j'ai pas eu le temps de finir"),
        ("Ce n'est pas grave, nous trouverons une solution.", "c'est pas grave, on trouvera"),
        ("Est-ce que tu es prêt ?", "t'es prêt ?"),
        ("Cela ne me dérange pas.", "ça me dérange pas"),
        ("Il faut que nous parlions de ce problème.", "faut qu'on parle de ce problème"),
        ("Nous pouvons nous retrouver devant la gare.", "on peut se retrouver devant la gare"),
        ("Nous mangions chez ma grand-mère.", "on mangeait chez ma grand-mère"),
        ("Ma femme n'aime pas les fêtes.", "ma meuf aime pas les fêtes"),
        ("Je ne comprends pas.", "je pige pas"),
    ],
)
def test_rewrites_carry_the_familier_markers(neutral: str, familier: str):
    for seed in range(5):
        result = rewrite(neutral, LEXICON, random.Random(seed))

        assert result is not None
        assert familier in result.text.lower()
        assert result.text != neutral
        assert set(result.rules) - {"filler", "interjection"}


def test_a_sentence_without_markers_is_not_rewritten():
    assert rewrite("Le train part à huit heures.", LEXICON, random.Random(0)) is None


def test_a_name_keeps_its_capital_behind_a_filler():
    texts = {
        rewrite("Marie n'a pas vu le film.", LEXICON, random.Random(seed)).text  # type: ignore[union-attr]
        for seed in range(40)
    }

    assert all("marie" not in text for text in texts)


def test_speech_like_text_is_lower_case_and_unpunctuated():
    text = speech_like("Mesdames, Messieurs, je vous remercie !", "soutenu", random.Random(1))

    assert text == text.lower()
    assert not any(mark in text for mark in ",!")
    assert "mesdames" in text
    assert "je vous remercie" in text


def test_speech_like_text_always_differs_from_its_source():
    assert speech_like("ok on se voit demain", "familier", random.Random(0)) != (
        "ok on se voit demain"
    )


def _artefact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, sha256: str | None = None
) -> tuple[Artefact, Path]:
    """An artefact whose "registry client" copies a local file (no network in unit tests)."""
    source = tmp_path / "upstream" / "words-1.0.tgz"
    source.parent.mkdir()
    source.write_bytes(content)
    digest = sha256 or hashlib.sha256(content).hexdigest()
    monkeypatch.setattr(
        fetch_module, "_client_command", lambda artefact, into: ["cp", str(source), str(into)]
    )
    return Artefact("npm", "words", "1.0", "words-1.0.tgz", digest, "CC0-1.0"), source


def test_a_pinned_artefact_is_downloaded_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    artefact, source = _artefact(tmp_path, monkeypatch, b"ouais\n")
    cache = tmp_path / "cache"

    path = fetch(artefact, cache)
    source.unlink()

    assert fetch(artefact, cache, download=False) == path
    assert path.read_bytes() == b"ouais\n"


def test_an_artefact_with_other_bytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    artefact, _source = _artefact(tmp_path, monkeypatch, b"ouais\n", sha256="0" * 64)

    with pytest.raises(ArtefactUnavailable, match="differs from the pinned"):
        fetch(artefact, tmp_path / "cache")
    assert not list((tmp_path / "cache").iterdir())


def test_an_unreachable_artefact_says_how_to_build_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    artefact, source = _artefact(tmp_path, monkeypatch, b"ouais\n")
    source.unlink()

    with pytest.raises(ArtefactUnavailable, match="--offline"):
        fetch(artefact, tmp_path / "cache")
