"""Give reviewers (read) and administrators (everything) the learning and monitoring
permissions (accounts/roles.py); after the review app's own sync, so the last sync sees all."""

from django.db import migrations

from accounts.roles import roles_sync


def sync_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
        ("review", "0002_roles"),
        ("monitoring", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
