from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.exports import EXPORT_FORMATS, corrections_write
from review.models import CorrectionSet
from review.selectors import correction_set_latest


class Command(BaseCommand):
    help = (
        "Write a corrections snapshot (text, label, model_label, item, decided_at) to standard "
        "output: the latest one, or --version N."
    )

    def add_base_argument(self, parser: CommandParser, *args: Any, **kwargs: Any) -> None:
        if "--version" in args:
            return  # here --version is a snapshot's, not Django's
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--version", type=int, help="Snapshot version (default: the latest).")
        parser.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["version"] is None:
            snapshot = correction_set_latest()
            if snapshot is None:
                raise CommandError("No corrections snapshot yet: take one on the corrections page.")
        else:
            snapshot = CorrectionSet.objects.filter(version=options["version"]).first()
            if snapshot is None:
                raise CommandError(f"No corrections snapshot v{options['version']}.")
        # Every row ends with a line break, so the wrapper adds none of its own.
        count = corrections_write(snapshot.rows, self.stdout, options["format"])
        self.stderr.write(f"v{snapshot.version}: {count} corrections, sha256 {snapshot.sha256}.")
