"""Explanations on demand: an import stores its predictions without them; opening a result, the
API's ?explain=1 or an export with explanations computes them, once, with the model that made
the prediction, and they are the ones predict(explain=True) gives at once."""

import io
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.services import REASON_MODEL_GONE
from annotation.tests.api_fixtures import api_client
from annotation.tests.factories import PredictionFactory, SubmissionFactory
from common import jobs
from corpora.models import Corpus
from corpora.tests.factories import CorpusFactory
from parlure_ml.register import get_classifier
from parlure_ml.register.classifier import Evidence, RegisterPrediction
from pipeline import explanations
from pipeline.explanations import prediction_explain
from pipeline.management.commands.classify_text import Command as ClassifyText
from pipeline.tasks import prediction_explain_task
from pipeline.tests.test_import_batches import Runs, import_texts

TEXTS = [
    "Je vous prie de bien vouloir agréer mes salutations distinguées. Wesh, t'as capté ?",
    "Putain, t'as vu ce bordel ? C'est trop ouf.",
    "Le rapport annuel sera présenté lors de la prochaine réunion du conseil.",
]


@pytest.fixture
def corpus(user: User) -> Corpus:
    return CorpusFactory.create(owner=user)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, ...]]]:
    """The jobs sent to the broker (once their transaction commits), instead of sending them."""
    calls: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(jobs, "job_send", lambda name, *args: calls.append((name, args)))
    return calls


@pytest.fixture
def model_explains(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The real model's on-demand explanations, each call recorded (the prediction's sentences)."""
    calls: list[int] = []
    real = explanations.register_explain

    def spy(**kwargs: Any) -> Any:
        calls.append(len(kwargs["sentences"]))
        return real(**kwargs)

    monkeypatch.setattr(explanations, "register_explain", spy)
    return calls


def jsonl_rows(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def imported(corpus: Corpus, user: User, runs: Runs) -> list[Prediction]:
    batch = import_texts(corpus, user, TEXTS)
    runs.play(batch.pk)
    submissions = batch.submissions.select_related("current_prediction").order_by("id")
    return [s.current_prediction for s in submissions if s.current_prediction is not None]


def evidence_of(prediction: Prediction) -> list[list[tuple[int, int, float]]]:
    return [
        [(e.start, e.end, e.weight) for e in sentence.evidence]
        for sentence in prediction.sentence_list()
    ]


def evidence_at_once(result: RegisterPrediction) -> list[list[tuple[int, int, float]]]:
    return [
        [(e.start, e.end, e.weight) for e in sentence.explanation] for sentence in result.sentences
    ]


@pytest.mark.django_db
def test_an_import_stores_its_predictions_without_explanations(
    corpus: Corpus, user: User, runs: Runs
) -> None:
    predictions = imported(corpus, user, runs)

    assert len(predictions) == len(TEXTS)
    for prediction in predictions:
        assert prediction.explained_at is None
        assert prediction.explanation_pending
        assert prediction.sentence_list()  # the sentences and their registers are there
        assert all(not words for words in evidence_of(prediction))


@pytest.mark.django_db
def test_explanations_on_demand_are_those_the_model_gives_at_once(
    corpus: Corpus, user: User, runs: Runs, model_explains: list[int]
) -> None:
    predictions = imported(corpus, user, runs)
    before = {p.pk: (p.label, p.scores, [s.label for s in p.sentence_list()]) for p in predictions}

    for prediction in predictions:
        assert prediction_explain(prediction_id=prediction.pk) is True

    # The shipped model, as the import used: each text explained alone, at once.
    at_once = get_classifier().predict(TEXTS, explain=False)
    for text, prediction, plain in zip(TEXTS, predictions, at_once, strict=True):
        prediction.refresh_from_db()
        [explained] = get_classifier().predict([text], explain=True)
        assert prediction.explained_at is not None
        assert prediction.model_version == explained.model_version == plain.model_version
        assert evidence_of(prediction) == evidence_at_once(explained)
        # Only the evidence was added: the label, scores and sentences are the import's.
        assert (prediction.label, prediction.scores) == before[prediction.pk][:2]
        assert [s.label for s in prediction.sentence_list()] == before[prediction.pk][2]
    assert any(words for p in predictions for words in evidence_of(p))
    assert len(model_explains) == len(TEXTS)


@pytest.mark.django_db
def test_a_second_request_does_not_compute_again(
    corpus: Corpus, user: User, runs: Runs, model_explains: list[int]
) -> None:
    [prediction, *_] = imported(corpus, user, runs)
    assert prediction_explain(prediction_id=prediction.pk) is True
    prediction.refresh_from_db()
    stored = (prediction.explained_at, prediction.sentences)

    assert prediction_explain_task(prediction.pk) is False  # a second request, a re-delivery

    prediction.refresh_from_db()
    assert (prediction.explained_at, prediction.sentences) == stored
    assert len(model_explains) == 1


# serialized_rollback: the flush after the test must not take the roles (data migration) away.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_compute_and_store_once(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission = SubmissionFactory.create(user=user, text="Wesh, t'as capté ?")
    prediction = PredictionFactory.create(
        submission=submission,
        explained_at=None,
        sentences=[
            {"start": 0, "end": 18, "label": "familier", "top_label": "familier", "evidence": []}
        ],
    )
    calls: list[int] = []

    def slow_model(**kwargs: Any) -> Any:
        calls.append(1)
        time.sleep(0.5)  # the other request arrives meanwhile
        return [(Evidence(0, 4, 1.0),)], 500

    monkeypatch.setattr(explanations, "register_explain", slow_model)
    results: list[bool] = []

    def request() -> None:
        try:
            results.append(prediction_explain(prediction_id=prediction.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert calls == [1]
    prediction.refresh_from_db()
    assert evidence_of(prediction) == [[(0, 4, 1.0)]]


@pytest.mark.django_db
def test_a_prediction_whose_model_is_gone_is_not_explained_by_another(
    user: User, model_explains: list[int]
) -> None:
    submission = SubmissionFactory.create(user=user, text="Wesh, t'as capté ?")
    prediction = PredictionFactory.create(
        submission=submission,
        model_version="a-model-deleted-long-ago",
        explained_at=None,
        sentences=[
            {"start": 0, "end": 18, "label": "familier", "top_label": "familier", "evidence": []}
        ],
    )

    assert prediction_explain(prediction_id=prediction.pk) is False

    prediction.refresh_from_db()
    assert prediction.explained_at is None
    assert prediction.explanation_failure == REASON_MODEL_GONE
    assert not prediction.explanation_pending  # nobody queues it again
    assert evidence_of(prediction) == [[]]


@pytest.mark.django_db
def test_opening_an_imported_result_computes_its_highlights(
    corpus: Corpus,
    user: User,
    runs: Runs,
    member_client: Client,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    [prediction, *_] = imported(corpus, user, runs)
    submission = Submission.objects.get(current_prediction=prediction)
    page_url = reverse("annotation:submission_detail", args=[submission.public_id])
    result_url = reverse("annotation:submission_result", args=[submission.public_id])

    with django_capture_on_commit_callbacks(execute=True):
        page = member_client.get(page_url).content.decode()
    assert sent == [(jobs.EXPLAIN_PREDICTION, (prediction.pk,))]
    assert 'class="evidence' not in page
    assert "data-status-url" in page  # the page keeps polling until the highlights arrive
    assert "data-explanation-pending" in member_client.get(result_url).content.decode()

    prediction_explain_task(*sent[0][1])  # the worker

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = member_client.get(page_url).content.decode()
        result = member_client.get(result_url).content.decode()
    assert sent == []
    assert "data-explanation-pending" not in result
    assert '<mark class="evidence' in result
    assert '<mark class="evidence' in page
    assert "data-status-url" not in page


@pytest.mark.django_db
def test_polls_while_it_is_computed_send_one_job_until_the_resend_window_passes(
    corpus: Corpus,
    user: User,
    runs: Runs,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    [prediction, *_] = imported(corpus, user, runs)
    submission = Submission.objects.get(current_prediction=prediction)
    client = api_client(user)
    detail = f"/api/v1/submissions/{submission.public_id}/"

    # Five polls while the job waits: one job
    for _poll in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(detail, {"explain": "1"}).json()["prediction"]["explanations"] == (
                "computing"
            )
    assert sent == [(jobs.EXPLAIN_PREDICTION, (prediction.pk,))]

    # Once the window has passed (its job lost with a broker, say), the next poll sends again
    cache.clear()  # as if EXPLAIN_RESEND_SECONDS had passed
    with django_capture_on_commit_callbacks(execute=True):
        client.get(detail, {"explain": "1"})
    assert len(sent) == 2


@pytest.mark.django_db
def test_the_api_computes_nothing_without_explain_and_queues_it_with(
    corpus: Corpus,
    user: User,
    runs: Runs,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    [prediction, *_] = imported(corpus, user, runs)
    submission = Submission.objects.get(current_prediction=prediction)
    client = api_client(user)
    detail = f"/api/v1/submissions/{submission.public_id}/"
    listing = f"{detail}predictions/"

    with django_capture_on_commit_callbacks(execute=True):
        plain = client.get(detail).json()
        plain_list = client.get(listing).json()
    assert sent == []
    assert plain["prediction"]["explanations"] == "not_computed"
    [row] = plain_list["results"]
    assert row["explanations"] == "not_computed"
    assert all(sentence["evidence"] == [] for sentence in row["sentences"])

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(detail, {"explain": "1"}).json()
    assert asked["prediction"]["explanations"] == "computing"
    assert sent == [(jobs.EXPLAIN_PREDICTION, (prediction.pk,))]

    prediction_explain_task(prediction.pk)  # the worker
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(listing, {"explain": "1"}).json()
    assert sent == []  # explained: nothing more to compute
    [row] = done["results"]
    assert row["explanations"] == "computed"
    prediction.refresh_from_db()
    words = [[(e["start"], e["end"], e["weight"]) for e in s["evidence"]] for s in row["sentences"]]
    assert words == evidence_of(prediction)
    assert any(s["evidence"] for s in row["sentences"])


@pytest.mark.django_db
def test_an_export_with_explanations_computes_the_missing_ones_first(
    corpus: Corpus,
    user: User,
    runs: Runs,
    sent: list[tuple[str, tuple[int, ...]]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    predictions = imported(corpus, user, runs)
    client = api_client(user)
    url = f"/api/v1/corpora/{corpus.public_id}/export/"

    with django_capture_on_commit_callbacks(execute=True):
        plain = client.get(url, {"file_format": "jsonl"})
    assert plain.status_code == 200
    rows = jsonl_rows(plain)
    assert len(rows) == len(TEXTS)
    assert all("sentences" not in row for row in rows)
    assert sent == []  # an export without explanations computes none

    with django_capture_on_commit_callbacks(execute=True):
        pending = client.get(url, {"file_format": "jsonl", "explain": "1"})
    assert pending.status_code == 202
    assert pending.json()["pending"] == len(TEXTS)
    assert sorted(args for _name, args in sent) == sorted((p.pk,) for p in predictions)

    for _name, args in sent:
        prediction_explain_task(*args)  # the workers

    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(url, {"file_format": "jsonl", "explain": "1"})
    assert done.status_code == 200
    rows = jsonl_rows(done)
    by_text = {row["text"]: row for row in rows}
    for text in TEXTS:
        [at_once] = get_classifier().predict([text], explain=True)
        words = [
            [(e["start"], e["end"], e["weight"]) for e in sentence["evidence"]]
            for sentence in by_text[text]["sentences"]
        ]
        assert words == evidence_at_once(at_once)
        for sentence in by_text[text]["sentences"]:
            for e in sentence["evidence"]:
                assert e["word"] == text[e["start"] : e["end"]]


def test_classify_text_without_details_asks_for_no_explanations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[bool] = []

    class Model:
        model_version = "spy"

        def predict(self, texts: list[str], threshold: float, explain: bool) -> Any:
            asked.append(explain)
            return get_classifier().predict(texts, threshold, explain=explain)

    from pipeline.management.commands import classify_text

    monkeypatch.setattr(classify_text, "register_classifier", Model)
    out = io.StringIO()
    ClassifyText()._classify(io.StringIO("Wesh, t'as capté ?\n"), out, 64, False)
    ClassifyText()._classify(io.StringIO("Wesh, t'as capté ?\n"), io.StringIO(), 64, True)

    assert asked == [False, True]
    assert "sentences" not in json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_result_still_opens_when_the_broker_is_down(
    corpus: Corpus,
    user: User,
    runs: Runs,
    member_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    [prediction, *_] = imported(corpus, user, runs)
    submission = Submission.objects.get(current_prediction=prediction)

    def down(name: str, *args: int) -> None:
        raise jobs.JobQueueUnavailable(name)

    monkeypatch.setattr(jobs, "job_send", down)
    with django_capture_on_commit_callbacks(execute=True):
        page = member_client.get(
            reverse("annotation:submission_detail", args=[submission.public_id])
        )

    assert page.status_code == 200
    assert "data-status-url" in page.content.decode()  # the next poll or view asks again
