"""Give reviewers and administrators the review permissions (accounts/roles.py)."""

from django.db import migrations

from accounts.roles import roles_sync


def sync_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("review", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
