# Predictions record whether their evidence is computed: imports now defer it. Every prediction
# made before was explained at once, so they count as explained when they were made.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotation", "0007_submission_text_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="prediction",
            name="explained_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="explained at"),
        ),
        migrations.AddField(
            model_name="prediction",
            name="explanation_failure",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="why not explained"
            ),
        ),
        migrations.RunSQL(
            "UPDATE annotation_prediction SET explained_at = created_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
