"""The informativeness score of an uncertain item (review.priority), alone."""

from datetime import UTC, datetime, timedelta

import pytest

from review.priority import RECENCY_HALF_LIFE, informativeness, margin_uncertainty, recency

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_margin_uncertainty_is_one_minus_the_gap_between_the_two_best() -> None:
    assert margin_uncertainty({"soutenu": 0.05, "neutre": 0.47, "familier": 0.48}) == (
        pytest.approx(0.99)
    )
    assert margin_uncertainty({"soutenu": 0.1, "neutre": 0.2, "familier": 0.7}) == (
        pytest.approx(0.5)
    )
    assert margin_uncertainty({"soutenu": 0.0, "neutre": 0.0, "familier": 1.0}) == 0.0
    assert margin_uncertainty({}) == 1.0


def test_recency_halves_every_half_life() -> None:
    assert recency(NOW, NOW) == 1.0
    assert recency(NOW - RECENCY_HALF_LIFE, NOW) == pytest.approx(0.5)
    assert recency(NOW - 2 * RECENCY_HALF_LIFE, NOW) == pytest.approx(0.25)
    assert recency(NOW + timedelta(minutes=1), NOW) == 1.0  # a clock ahead: no bonus


def test_informativeness_is_led_by_uncertainty() -> None:
    assert informativeness(uncertainty=1.0, recency=1.0, share=1.0) == 1.0
    assert informativeness(uncertainty=0.0, recency=1.0, share=1.0) == 0.0
    # Recency and share each at most halve the score: a torn old item beats a fresh, fairly sure
    # one; and all three together span a quarter to the whole of the uncertainty.
    torn_old = informativeness(uncertainty=0.95, recency=0.0, share=1.0)
    sure_new = informativeness(uncertainty=0.4, recency=1.0, share=1.0)
    assert torn_old > sure_new
    assert informativeness(uncertainty=0.8, recency=0.0, share=0.0) == pytest.approx(0.2)
    # Other things equal, recency and share each raise the score.
    assert informativeness(uncertainty=0.5, recency=1.0, share=0.5) > informativeness(
        uncertainty=0.5, recency=0.5, share=0.5
    )
    assert informativeness(uncertainty=0.5, recency=0.5, share=0.8) > informativeness(
        uncertainty=0.5, recency=0.5, share=0.2
    )
