"""Give administrators every corpora permission (accounts/roles.py), and the API token model's;
after every earlier sync, so this last one sees all the models."""

from django.db import migrations

from accounts.roles import roles_sync


def sync_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("corpora", "0001_initial"),
        ("accounts", "0003_apitoken"),
        ("annotation", "0004_submission_corpus"),
        ("learning", "0002_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
