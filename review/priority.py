"""How much judging an uncertain item would teach the model: its informativeness score.

    informativeness = uncertainty * (1 + recency) / 2 * (1 + share) / 2, in [0, 1]

- uncertainty = 1 - (p₁ - p₂), one minus the margin between the model's two most probable
  registers (calibrated probabilities): 1 when the model cannot choose between two registers,
  near 0 when one register dominates. Margin sampling, the usual active-learning choice.
- recency = 0.5 ** (age / RECENCY_HALF_LIFE): 1 for an item opened now, ½ after a fortnight. A
  recent prediction comes from the model in service and from today's kind of text.
- share = the waiting uncertain items with the same model register / all waiting uncertain items.
  A label that many waiting items share is a weakness the model has often: settling one of them
  helps on the others.

Recency and share each at most halve the score (together, keep a quarter of it): uncertainty
leads, and a torn old item stays ahead of a fresh one the model is fairly sure of. Ties go to the
oldest item. All
three come from columns the queue already reads (the prediction's scores, the item's opening date
and model register): no extra query, no model call. Plain Python, no ORM, so it is tested alone.
"""

from datetime import datetime, timedelta

RECENCY_HALF_LIFE = timedelta(days=14)


def margin_uncertainty(scores: dict[str, float]) -> float:
    """1 - (highest - second highest probability); 1.0 for fewer than two scores."""
    ranked = sorted((float(value) for value in scores.values()), reverse=True)
    if len(ranked) < 2:
        return 1.0
    return max(0.0, min(1.0, 1.0 - (ranked[0] - ranked[1])))


def recency(opened_at: datetime, now: datetime) -> float:
    age = max(timedelta(0), now - opened_at)
    return float(0.5 ** (age / RECENCY_HALF_LIFE))


def informativeness(*, uncertainty: float, recency: float, share: float) -> float:
    """The score above, from its three parts (each in [0, 1])."""
    return uncertainty * (1 + recency) / 2 * (1 + share) / 2
