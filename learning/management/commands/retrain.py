"""Retrain the register model now, in this process: `manage.py retrain [--mode fast|lora]`."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning.models import RetrainingRun
from learning.services import retraining_execute, retraining_request


class Command(BaseCommand):
    help = "Retrain on the dataset plus accepted corrections; the gate decides on promotion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mode", choices=("lora", "fast"), default=None)
        parser.add_argument(
            "--queue", action="store_true", help="queue it for the training worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["mode"]:
            settings.PARLURE_RETRAIN_MODE = options["mode"]
        run, created = retraining_request(requested_by=None, trigger=RetrainingRun.Trigger.COMMAND)
        if options["queue"]:
            self.stdout.write(f"retraining {run.pk} {'queued' if created else 'already waiting'}")
            return
        finished = retraining_execute(run_id=run.pk)
        if finished is None or finished.status != RetrainingRun.Status.DONE:
            raise CommandError(f"retraining {run.pk} failed: {finished.reason if finished else ''}")
        verdict = "promoted to champion" if finished.promoted else "kept as challenger"
        self.stdout.write(
            f"retraining {run.pk}: version {finished.model_version} {verdict} in "
            f"{finished.duration_s:.0f} s\n{finished.reason}"
        )
