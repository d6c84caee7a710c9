"""A GIN index for the full-text search of submissions, on PostgreSQL only.

The expression is the one ``annotation.selectors.submission_search`` makes Django write
(``SearchVector("text", config="french")``): the planner uses an expression index only when the
query's expression is the same. SQLite, the embedded default, searches with LIKE and gets no index.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "submission_text_fts"


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON annotation_submission "
            "USING gin (to_tsvector('french'::regconfig, COALESCE(text, '')))"
        )


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("annotation", "0006_explicit_job_states")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
