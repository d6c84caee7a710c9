"""The classification task, run in this process with the real model."""

import pytest

from annotation.models import Prediction, Submission
from annotation.services import REASON_MODEL_ERROR
from annotation.tests.factories import SubmissionFactory
from parlure_ml.register import LABELS
from pipeline.tasks import submissions as tasks

pytestmark = pytest.mark.django_db


def test_the_task_classifies_with_the_real_model_and_is_safe_to_run_twice() -> None:
    submission = SubmissionFactory.create(
        text="Wesh frérot, t'as capté le délire ? C'est trop ouf."
    )
    tasks.classify_submission_task(submission.pk)
    tasks.classify_submission_task(submission.pk)  # a re-delivered message
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DONE
    assert Prediction.objects.filter(submission=submission).count() == 1
    prediction = submission.current_prediction
    assert prediction is not None
    assert prediction.label == "familier"
    assert set(prediction.scores) == set(LABELS)
    assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-4)
    assert prediction.model_version
    assert (prediction.top_label, prediction.uncertain) == ("familier", False)
    # One entry per sentence, with the words that decided as offsets into the text.
    assert [submission.text[s["start"] : s["end"]] for s in prediction.sentences] == [
        "Wesh frérot, t'as capté le délire ?",
        "C'est trop ouf.",
    ]
    evidence = prediction.sentences[0]["evidence"]
    assert evidence
    assert {submission.text[start:end] for start, end, _ in evidence} <= set(
        submission.text.replace(",", " ").replace("?", " ").split()
    )
    assert submission.attempts == 1


def test_a_deleted_submission_is_skipped() -> None:
    submission = SubmissionFactory.create()
    submission_id = submission.pk
    submission.delete()
    tasks.classify_submission_task(submission_id)
    assert not Prediction.objects.exists()


def test_a_model_error_fails_the_job_at_once_with_a_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("tensor shapes do not match")

    monkeypatch.setattr(tasks, "register_classify", broken)
    submission = SubmissionFactory.create()
    tasks.classify_submission_task(submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == REASON_MODEL_ERROR
