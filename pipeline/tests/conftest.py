"""The workers and recordings of the annotation and corpora tests, for the pipeline's tests."""

from annotation.tests.conftest import french_wav, speech_worker, worker
from corpora.tests.conftest import import_worker

__all__ = ["french_wav", "import_worker", "speech_worker", "worker"]
