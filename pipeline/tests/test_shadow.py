"""The shadow job: sent after the champion's answer is committed, safe to run twice."""

from typing import Any

import pytest

from accounts.models import User
from annotation.models import Submission
from annotation.tests.api_fixtures import text_done
from annotation.tests.factories import SubmissionFactory
from common import jobs
from learning.models import ModelVersion, ShadowPrediction
from learning.shadow import shadow_share_set
from learning.tests.conftest import versions
from parlure_ml.register import RegisterPrediction
from pipeline import results
from pipeline.tasks import shadow as shadow_tasks

pytestmark = pytest.mark.django_db

__all__ = ["versions"]


@pytest.fixture(autouse=True)
def champion_idle(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shadow waits for the champion to be idle; here, a prediction just made does not
    count as work (the tests that need it say so), and a busy champion sends the job back at
    once instead of after two minutes of waiting in it."""
    settings.PARLURE_SHADOW_IDLE_SECONDS = 0
    monkeypatch.setattr(shadow_tasks, "WAIT_IN_JOB_SECONDS", 0.0)


def answer(top_label: str, model_version: str = "challenger") -> RegisterPrediction:
    scores = {"soutenu": 0.1, "neutre": 0.1, "familier": 0.1} | {top_label: 0.8}
    return RegisterPrediction(
        label=top_label,
        top_label=top_label,
        scores=scores,
        uncertain=False,
        model_version=model_version,
    )


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, ...]]]:
    """The jobs sent to the broker, instead of sending them."""
    calls: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(
        jobs, "job_send", lambda name, *args, countdown=None: calls.append((name, args))
    )
    return calls


@pytest.fixture
def challenger_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The challenger's model, faked: it answers familier and records what it read."""
    calls: list[tuple[str, str]] = []

    def classify(version: str, text: str) -> tuple[RegisterPrediction, int]:
        calls.append((version, text))
        return answer("familier"), 7

    monkeypatch.setattr(shadow_tasks, "challenger_classify", classify)
    return calls


def test_a_sampled_prediction_is_sent_to_the_challenger_once_the_champion_answered(
    versions: tuple[ModelVersion, ModelVersion],
    user: User,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _champion, challenger = versions
    shadow_share_set(version="2", share=1.0, acting_user=None)
    submission = SubmissionFactory.create(user=user, text="T'as vu le match ?")

    with django_capture_on_commit_callbacks(execute=True):
        prediction = results.prediction_record(
            submission_id=submission.pk, result=answer("neutre", "register-a"), latency_ms=5
        )
        assert sent == []  # nothing leaves before the champion's answer is committed

    assert prediction is not None
    assert sent == [(jobs.SHADOW_PREDICT, (prediction.pk, challenger.pk))]


def test_no_shadow_job_when_no_challenger_is_in_shadow(
    versions: tuple[ModelVersion, ModelVersion],
    user: User,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    submission = SubmissionFactory.create(user=user, text="T'as vu le match ?")

    with django_capture_on_commit_callbacks(execute=True):
        results.prediction_record(
            submission_id=submission.pk, result=answer("neutre", "register-a"), latency_ms=5
        )

    assert sent == []


def test_the_shadow_job_stores_one_answer_even_when_run_twice(
    versions: tuple[ModelVersion, ModelVersion], user: User, challenger_calls: list[Any]
) -> None:
    _champion, challenger = versions
    shadow_share_set(version="2", share=0.5, acting_user=None)
    submission = text_done(user)
    prediction_id = submission.current_prediction_id
    assert prediction_id is not None

    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)
    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)

    [stored] = ShadowPrediction.objects.all()
    assert (stored.prediction_id, stored.model_version_id) == (prediction_id, challenger.pk)
    assert (stored.top_label, stored.latency_ms) == ("familier", 7)
    assert challenger_calls == [("2", submission.text)]


def test_the_shadow_job_stops_when_the_version_left_the_shadow_or_became_champion(
    versions: tuple[ModelVersion, ModelVersion], user: User, challenger_calls: list[Any]
) -> None:
    champion, challenger = versions
    prediction_id = text_done(user).current_prediction_id
    assert prediction_id is not None

    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)  # share 0: off
    shadow_tasks.shadow_predict_task(prediction_id, champion.pk)

    assert not ShadowPrediction.objects.exists()
    assert challenger_calls == []


def test_the_shadow_job_yields_while_the_champion_has_work(
    versions: tuple[ModelVersion, ModelVersion],
    user: User,
    challenger_calls: list[Any],
    sent: list[tuple[str, tuple[int, ...]]],
) -> None:
    _champion, challenger = versions
    shadow_share_set(version="2", share=1.0, acting_user=None)
    prediction_id = text_done(user).current_prediction_id
    assert prediction_id is not None
    waiting = SubmissionFactory.create(user=user, text="Un texte qui attend le champion.")

    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)

    # Sent again for later: the champion's text goes first.
    assert sent == [(jobs.SHADOW_PREDICT, (prediction_id, challenger.pk))]
    assert challenger_calls == []
    assert not ShadowPrediction.objects.exists()

    waiting.status = Submission.Status.DONE
    waiting.save(update_fields=["status"])
    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)
    assert ShadowPrediction.objects.count() == 1


def test_the_shadow_job_waits_for_the_champion_to_have_been_idle_a_while(
    versions: tuple[ModelVersion, ModelVersion],
    user: User,
    challenger_calls: list[Any],
    sent: list[tuple[str, tuple[int, ...]]],
    settings: Any,
) -> None:
    """Texts come one after another: the next one usually arrives right after an answer."""
    _champion, challenger = versions
    shadow_share_set(version="2", share=1.0, acting_user=None)
    prediction_id = text_done(user).current_prediction_id  # answered just now
    assert prediction_id is not None
    settings.PARLURE_SHADOW_IDLE_SECONDS = 60

    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)

    assert sent == [(jobs.SHADOW_PREDICT, (prediction_id, challenger.pk))]
    assert challenger_calls == []


def test_a_shadow_job_that_waited_long_enough_runs_even_when_the_champion_is_busy(
    versions: tuple[ModelVersion, ModelVersion],
    user: User,
    challenger_calls: list[Any],
    settings: Any,
) -> None:
    """Otherwise a portal that is never idle would never sample its busy hours."""
    _champion, challenger = versions
    shadow_share_set(version="2", share=1.0, acting_user=None)
    prediction_id = text_done(user).current_prediction_id
    assert prediction_id is not None
    SubmissionFactory.create(user=user, text="Un texte qui attend le champion.")
    settings.PARLURE_SHADOW_IDLE_SECONDS = 60
    settings.PARLURE_SHADOW_MAX_WAIT_SECONDS = 0

    shadow_tasks.shadow_predict_task(prediction_id, challenger.pk)

    assert ShadowPrediction.objects.count() == 1
