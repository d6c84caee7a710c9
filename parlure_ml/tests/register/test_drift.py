"""Drift statistics: PSI, the text features, and the shipped champion's reference profile."""

import numpy as np
import pytest

from parlure_ml.register import drift
from parlure_ml.register.artifact import SHIPPED_DIR

ENGLISH = [
    "The committee will review the proposal at its next meeting.",
    "Could you please send me the files before Monday morning?",
    "Honestly, that movie was way better than I expected.",
    "Please make sure the door is locked when you leave the office.",
    "We ran out of milk, could you grab some on your way home?",
]


def test_psi_is_zero_for_the_same_distribution_and_grows_with_the_shift() -> None:
    assert drift.psi([10, 20, 30], [1, 2, 3]) == pytest.approx(0.0)
    small = drift.psi([50, 50], [55, 45])
    large = drift.psi([50, 50], [95, 5])
    assert 0 < small < 0.1 < 0.25 < large
    # An empty bin on one side stays finite.
    assert np.isfinite(drift.psi([50, 50, 0], [40, 40, 20]))


def test_speech_like_texts() -> None:
    assert drift.speech_like("euh je sais pas trop en fait")
    assert drift.speech_like("Bon, euh, on verra demain.")  # a filler
    assert not drift.speech_like("Je ne sais pas trop, en fait.")
    assert drift.words("L\u2019été, c'est 2 fois mieux !") == ["l'été", "c'est", "fois", "mieux"]


def test_the_shipped_champion_has_a_profile() -> None:
    profile = drift.profile_read(SHIPPED_DIR)
    assert profile is not None
    assert set(drift.FEATURES) <= set(profile)
    assert len(profile["centroid"]) == 384
    assert len(profile["distance"]) == len(profile["length"]) == profile["n"]
    assert sum(profile["register"].values()) == profile["n"]


def test_english_drifts_on_the_text_features_alone() -> None:
    profile = drift.profile_read(SHIPPED_DIR)
    assert profile is not None
    texts = ENGLISH * 20
    live = drift.live_features(profile, texts, registers=[])
    results = {r.feature: r for r in drift.compare(profile, live, 0.25, 0.01)}
    assert set(results) == {"length", "rare", "speech_like"}  # no model: no register, distance
    assert results["rare"].drifted
    assert results["rare"].live == 1.0  # every English text has words French training lacks
    assert results["speech_like"].live == 0.0  # capitals and punctuation: written text
