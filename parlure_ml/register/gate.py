"""The promotion gate: a candidate becomes champion only if it measurably does not do worse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_F1_DROP = 0.02


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str


def decide(
    candidate: dict[str, Any], champion: dict[str, Any] | None, max_drop: float = MAX_F1_DROP
) -> Decision:
    """Compare two `metrics.report()` results on the same evaluation set.

    Promote when macro-F1 is not lower than the champion's and no register's F1 drops by more
    than `max_drop`.
    """
    if champion is None:
        return Decision(True, "no champion yet")
    new, old = candidate["macro_f1"], champion["macro_f1"]
    if new < old:
        return Decision(False, f"macro-F1 {new:.4f} is lower than the champion's {old:.4f}")
    for label, values in candidate["per_class"].items():
        before = champion["per_class"][label]["f1"]
        if before - values["f1"] > max_drop:
            return Decision(
                False,
                f"{label} F1 drops by {before - values['f1']:.4f} "
                f"({before:.4f} -> {values['f1']:.4f}), more than {max_drop}",
            )
    return Decision(
        True,
        f"macro-F1 {new:.4f} >= {old:.4f} and no register's F1 drops by more than {max_drop}",
    )


def decide_live(
    *, challenger_correct: int, champion_correct: int, reviewed: int, min_reviewed: int
) -> Decision | None:
    """Live evidence from a challenger in shadow: on the live texts reviewers decided, it must
    pick the decided register at least as often as the champion did on the same texts.

    None when fewer than `min_reviewed` texts were decided (or min_reviewed is 0: off): the
    evidence is too thin to use, and the gate says so.
    """
    if min_reviewed <= 0 or reviewed < min_reviewed:
        return None
    new, old = challenger_correct / reviewed, champion_correct / reviewed
    if challenger_correct < champion_correct:
        return Decision(
            False,
            f"on {reviewed} reviewed live texts accuracy {new:.4f} is lower than the "
            f"champion's {old:.4f}",
        )
    return Decision(True, f"on {reviewed} reviewed live texts accuracy {new:.4f} >= {old:.4f}")
