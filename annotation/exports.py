"""Submissions with their current prediction as CSV: inputs and outputs side by side."""

import csv
from collections.abc import Iterable
from typing import Protocol

from .models import Register, Submission

CSV_COLUMNS = [
    "id",
    "submitted_at",
    "kind",
    "status",
    "text",
    "label",
    "uncertain",
    *[f"p_{register.value}" for register in Register],
    "model_version",
    "model_ms",
    "total_ms",
    "failure_reason",
]


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def submissions_write_csv(submissions: Iterable[Submission], out: Writable) -> int:
    """Write one row per submission; returns the number of rows written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for submission in submissions:
        prediction = submission.current_prediction
        scores = prediction.scores if prediction else {}
        writer.writerow(
            [
                submission.public_id,
                submission.created_at.isoformat(),
                submission.kind,
                submission.status,
                submission.text,
                prediction.label if prediction else "",
                ("1" if prediction.uncertain else "0") if prediction else "",
                *[scores.get(register.value, "") for register in Register],
                prediction.model_version if prediction else "",
                prediction.latency_ms if prediction else "",
                submission.duration_ms if submission.duration_ms is not None else "",
                submission.failure_reason,
            ]
        )
        count += 1
    return count
