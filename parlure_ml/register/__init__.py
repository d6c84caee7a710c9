"""Register (soutenu / neutre / familier) classification of French text.

from parlure_ml.register import get_classifier
get_classifier().predict(["Ouais, t'inquiète."])[0].label   # "familier"
"""

from parlure_ml.register.classifier import (
    LABELS,
    RegisterClassifier,
    RegisterPrediction,
    get_classifier,
)

__all__ = ["LABELS", "RegisterClassifier", "RegisterPrediction", "get_classifier"]
