"""Transcribe audio files: one JSON object per file on standard output, logs on standard error.

The speech model is loaded once for all files. A file that cannot be read gives an object with
an "error" and the other files still run; the exit status is 1 if any file failed.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parlure_ml.speech.cli import (
    DEFAULT_MAX_SECONDS,
    SPEAKERS_HELP,
    speakers_option,
    transcribe_files,
)


class Command(BaseCommand):
    help = "Transcribe audio files (French by default) and print one JSON line per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--language", default="fr", help='language code, or "auto" to transcribe what is heard'
        )
        parser.add_argument(
            "--detect-language",
            action="store_true",
            help="also report the language heard (about a second more per file)",
        )
        parser.add_argument("--beam-size", type=int, default=5)
        parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
        parser.add_argument(
            "--speakers", type=speakers_option, metavar="auto|N", help=SPEAKERS_HELP
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = None if options["language"] == "auto" else options["language"]
        failures = transcribe_files(
            options["files"],
            out=sys.stdout,
            log=sys.stderr,
            language=language,
            detect_language=options["detect_language"],
            beam_size=options["beam_size"],
            max_seconds=options["max_seconds"],
            speakers=options["speakers"],
        )
        if failures:
            raise CommandError(f"{failures} of {len(options['files'])} files failed.")
