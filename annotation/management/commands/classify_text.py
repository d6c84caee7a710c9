"""Classify the register of texts read from standard input, one per line, as JSON lines.

Standard output carries exactly one JSON object per input line, in input order; logs go to
standard error. Lines are classified in batches, with the model loaded once.
"""

import json
import logging
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from parlure_ml.register import get_classifier

logger = logging.getLogger(__name__)


def _batches(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line.rstrip("\r\n"))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = "Read UTF-8 texts from stdin (one per line) and print one JSON register label per line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        # Django's own output wrapper is bypassed on purpose: stdout carries JSON and nothing else.
        with open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False) as stdin:
            count, version = self._classify(stdin, sys.stdout, options["batch_size"])
        self.stderr.write(f"classify_text: {count} lines classified with {version}")

    def _classify(self, stdin: TextIO, stdout: TextIO, batch_size: int) -> tuple[int, str]:
        classifier = get_classifier()
        count = 0
        for batch in _batches(iter(stdin), batch_size):
            texts = [text.strip() for text in batch]
            non_empty = [text for text in texts if text]
            results = iter(classifier.predict(non_empty) if non_empty else [])
            for text in texts:
                if text:
                    result = next(results)
                    row: dict[str, Any] = {
                        "label": result.label,
                        "scores": {label: round(p, 6) for label, p in result.scores.items()},
                        "model_version": result.model_version,
                    }
                else:
                    # Keep one output line per input line, so outputs still line up with inputs.
                    row = {
                        "label": None,
                        "scores": None,
                        "model_version": classifier.model_version,
                        "error": "empty line",
                    }
                stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
            stdout.flush()
        return count, classifier.model_version
