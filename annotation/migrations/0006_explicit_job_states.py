"""A running job says what it is doing: transcribing or classifying, instead of "running"."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def split_running(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Submission = apps.get_model("annotation", "Submission")
    running = Submission.objects.filter(status="running")
    # A recording with no transcript yet is being transcribed; anything else is being classified.
    running.filter(kind="audio", transcript__isnull=True).update(status="transcribing")
    running.update(status="classifying")


def merge_running(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Submission = apps.get_model("annotation", "Submission")
    Submission.objects.filter(status__in=["transcribing", "classifying"]).update(status="running")


class Migration(migrations.Migration):
    dependencies = [
        ("annotation", "0005_submission_lease"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("transcribing", "transcribing"),
                    ("classifying", "classifying"),
                    ("done", "done"),
                    ("failed", "failed"),
                    ("cancelled", "cancelled"),
                ],
                db_index=True,
                default="queued",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(split_running, merge_running),
    ]
