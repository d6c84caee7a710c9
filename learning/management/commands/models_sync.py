"""Mirror the MLflow registry's versions and champion into the database."""

from typing import Any

from django.core.management.base import BaseCommand

from learning.services import model_versions_sync


class Command(BaseCommand):
    help = "Mirror the register model registry (versions, metrics, champion) into the database."

    def handle(self, *args: Any, **options: Any) -> None:
        for version in model_versions_sync():
            marker = " (champion)" if version.is_champion else ""
            self.stdout.write(f"v{version.version} {version.name} {version.gate_decision}{marker}")
