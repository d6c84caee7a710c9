import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from annotation.exports import submissions_write_csv
from annotation.models import Submission


class Command(BaseCommand):
    help = "Write submissions (inputs) with their current predictions (outputs) as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--limit", type=int, default=100, help="Most recent N (default 100).")
        parser.add_argument("--status", choices=[s.value for s in Submission.Status])

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Submission.objects.select_related("current_prediction").order_by("-created_at")
        if options["status"]:
            queryset = queryset.filter(status=options["status"])
        rows = queryset[: options["limit"]]
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                count = submissions_write_csv(rows, out)
        else:
            count = submissions_write_csv(rows, sys.stdout)
        self.stderr.write(f"{count} submissions exported.")
