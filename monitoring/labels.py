"""Names the monitoring pages give to codes: drift features, gate decisions, job states."""

from django.utils.translation import gettext as _


def drift_label(feature: str) -> str:
    labels = {
        "length": _("text length"),
        "rare": _("texts with rare words"),
        "speech_like": _("speech-like texts"),
        "register": _("predicted registers"),
        "distance": _("distance to the training texts"),
    }
    return labels.get(feature, feature)


def drift_labels(features: list[str]) -> list[str]:
    return [drift_label(feature) for feature in features]


def gate_label(decision: str) -> str:
    """A model version's gate decision (learning.ModelVersion.gate_decision)."""
    labels = {
        "promoted": _("promoted"),
        "challenger": _("challenger"),
        "shipped": _("shipped with the portal"),
        "rollback": _("rolled back to"),
    }
    return labels.get(decision, decision)
