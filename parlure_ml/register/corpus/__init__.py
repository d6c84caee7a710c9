"""The register dataset: sentences written for Parlure, registry sources, rule rewrites.

`python -m parlure_ml.register.corpus build` writes `var/data/register/dataset.csv` and its
`manifest.json` (row counts, seed and the sha256 that training runs log as the dataset hash).
docs/data.md is the data card.
"""

from parlure_ml.register.corpus.build import BuildResult, build_dataset

__all__ = ["BuildResult", "build_dataset"]
