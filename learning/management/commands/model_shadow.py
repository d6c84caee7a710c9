"""Run a registered challenger in shadow on a share of live texts (0 turns it off)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning.models import ModelVersion
from learning.services import model_versions_sync
from learning.shadow import ShadowRefused, shadow_share_set


class Command(BaseCommand):
    help = "Set the share (0 to 1) of live texts a registered version scores in shadow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="the registry version, as models_sync lists it")
        parser.add_argument("share", type=float, help="0 to 1; 0 turns the shadow off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not ModelVersion.objects.filter(version=options["version"]).exists():
            model_versions_sync()  # registered since the last mirror
        try:
            version = shadow_share_set(
                version=options["version"], share=options["share"], acting_user=None
            )
        except ModelVersion.DoesNotExist:
            raise CommandError(f"no registered version {options['version']}") from None
        except ShadowRefused as refused:
            raise CommandError(
                f"refused: {refused} (the champion, or a share outside 0..1)"
            ) from None
        self.stdout.write(f"v{version.version} scores {version.shadow_share:.0%} in shadow")
