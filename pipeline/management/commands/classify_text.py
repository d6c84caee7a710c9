"""Classify the register of texts read from standard input, one per line, as JSON lines.

Standard output carries exactly one JSON object per input line, in input order; logs go to
standard error. Lines are classified in batches, with the model loaded once.
"""

import json
import logging
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from parlure_ml.register.classifier import SentencePrediction
from pipeline.classification import register_classifier

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


def _sentence(text: str, sentence: SentencePrediction) -> dict[str, Any]:
    return {
        "text": text[sentence.start : sentence.end],
        "label": sentence.label,
        "uncertain": sentence.uncertain,
        "scores": sentence.scores,
        "evidence": [
            {"word": text[e.start : e.end], "weight": e.weight} for e in sentence.explanation
        ],
    }


class Command(BaseCommand):
    help = "Read UTF-8 texts from stdin (one per line) and print one JSON register label per line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument(
            "--details",
            action="store_true",
            help="add each sentence's register and the words that decided (slower: occlusion)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Django's own output wrapper is bypassed on purpose: stdout carries JSON and nothing else.
        with open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False) as stdin:
            count, version = self._classify(
                stdin, sys.stdout, options["batch_size"], options["details"]
            )
        self.stderr.write(f"classify_text: {count} lines classified with {version}")

    def _classify(
        self, stdin: TextIO, stdout: TextIO, batch_size: int, details: bool
    ) -> tuple[int, str]:
        classifier = register_classifier()
        count = 0
        for batch in _batches(iter(stdin), batch_size):
            texts = [text.strip() for text in batch]
            non_empty = [text for text in texts if text]
            threshold = settings.PARLURE_UNCERTAIN_BELOW
            results = iter(
                classifier.predict(non_empty, threshold, explain=details) if non_empty else []
            )
            for text in texts:
                if text:
                    result = next(results)
                    row: dict[str, Any] = {
                        "label": result.label,
                        "uncertain": result.uncertain,
                        "top_label": result.top_label,
                        "scores": result.scores,
                        "model_version": result.model_version,
                    }
                    if details:
                        row["sentences"] = [_sentence(text, s) for s in result.sentences]
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
