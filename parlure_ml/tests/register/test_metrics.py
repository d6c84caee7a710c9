import numpy as np
import pytest

from parlure_ml.register.gate import decide
from parlure_ml.register.metrics import (
    expected_calibration_error,
    fit_temperature,
    report,
    softmax,
)

LABELS = ("soutenu", "neutre", "familier")


def test_report_counts_precision_recall_and_f1_per_class():
    targets = np.array([0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 1, 1, 1, 2, 0])
    probs = np.eye(3)[predicted] * 0.8 + 0.2 / 3

    result = report(probs, targets, LABELS)

    assert result["confusion"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert result["per_class"]["neutre"]["precision"] == pytest.approx(2 / 3)
    assert result["per_class"]["neutre"]["recall"] == 1.0
    assert result["per_class"]["soutenu"]["f1"] == pytest.approx(0.5)
    assert result["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert result["accuracy"] == pytest.approx(4 / 6)


def test_calibration_error_is_zero_when_confidence_matches_accuracy():
    # 10 predictions at confidence 0.8, 8 of them right.
    probs = np.tile([0.8, 0.1, 0.1], (10, 1))
    targets = np.array([0] * 8 + [1] * 2)

    assert expected_calibration_error(probs, targets) == pytest.approx(0.0)


def test_temperature_scaling_recovers_the_temperature_that_made_the_data():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 3
    true_probs = softmax(logits / 2.5)
    targets = np.array([rng.choice(3, p=p) for p in true_probs])

    assert fit_temperature(logits, targets) == pytest.approx(2.5, rel=0.1)


def _per_class(**f1: float) -> dict:
    return {
        "macro_f1": sum(f1.values()) / 3,
        "per_class": {label: {"f1": value} for label, value in f1.items()},
    }


def test_gate_promotes_when_there_is_no_champion():
    assert decide(_per_class(soutenu=0.5, neutre=0.5, familier=0.5), None).promote


def test_gate_promotes_a_candidate_that_does_not_do_worse():
    champion = _per_class(soutenu=0.90, neutre=0.85, familier=0.92)
    candidate = _per_class(soutenu=0.93, neutre=0.84, familier=0.92)

    decision = decide(candidate, champion)

    assert decision.promote
    assert "macro-F1" in decision.reason


def test_gate_keeps_a_candidate_with_lower_macro_f1_as_challenger():
    champion = _per_class(soutenu=0.90, neutre=0.85, familier=0.92)
    candidate = _per_class(soutenu=0.90, neutre=0.84, familier=0.92)

    decision = decide(candidate, champion)

    assert not decision.promote
    assert "lower than the champion" in decision.reason


def test_gate_refuses_a_register_that_drops_more_than_two_points():
    champion = _per_class(soutenu=0.90, neutre=0.85, familier=0.92)
    candidate = _per_class(soutenu=0.99, neutre=0.82, familier=0.92)

    decision = decide(candidate, champion)

    assert not decision.promote
    assert decision.reason.startswith("neutre F1 drops by 0.0300")
