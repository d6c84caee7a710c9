from rest_framework import serializers

from .models import ModelVersion, RetrainingRun


class ModelVersionSerializer(serializers.ModelSerializer[ModelVersion]):
    class Meta:
        model = ModelVersion
        fields = [
            "version",
            "name",
            "is_champion",
            "gate_decision",
            "gate_reason",
            "metrics",
            "created_at",
            "promoted_at",
            "shadow_share",
        ]


class ShadowShareSerializer(serializers.Serializer[None]):
    share = serializers.FloatField(
        min_value=0.0,
        max_value=1.0,
        help_text="The share of live predictions the version scores in shadow, 0 to 1 (0: off).",
    )


class RetrainingRunSerializer(serializers.ModelSerializer[RetrainingRun]):
    model_version = ModelVersionSerializer(read_only=True)
    requested_by: "serializers.SlugRelatedField[RetrainingRun]" = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )

    class Meta:
        model = RetrainingRun
        fields = [
            "id",
            "status",
            "trigger",
            "requested_by",
            "corrections_version",
            "corrections_count",
            "mlflow_run_id",
            "model_version",
            "promoted",
            "reason",
            "created_at",
            "started_at",
            "finished_at",
            "duration_s",
        ]
