"""Classifying an import's texts by chunks, and following a batch's progress."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.services import REASON_MODEL_ERROR, REASON_TOO_LONG, REASON_WORKER_LOST
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus, ImportBatch
from corpora.selectors import batch_list_for_corpus, batch_progress
from corpora.services import import_create
from corpora.services.imports import import_batch_chunk_claim
from corpora.tests.factories import CorpusFactory, ImportBatchFactory
from parlure_ml.register import LABELS
from parlure_ml.register.classifier import EXPLAIN_MAX_WORDS
from pipeline import classification
from pipeline.tasks import imports as tasks

FORMAL = "Je vous prie de bien vouloir agréer mes salutations distinguées."
FAMILIAR = "Wesh frérot, t'as capté le délire ? C'est trop ouf."
STALE = tasks.STALE_AFTER


@pytest.fixture
def corpus(user: User) -> Corpus:
    return CorpusFactory.create(owner=user)


def import_texts(corpus: Corpus, user: User, lines: list[str]) -> ImportBatch:
    upload = SimpleUploadedFile("t.txt", "\n".join(lines).encode())
    batch, _ = import_create(corpus=corpus, user=user, file=upload)
    return batch


class Runs:
    """Stands in for the broker: records the runs the task queues, and plays them here."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queued: list[int] = []
        self.delayed: list[tuple[int, int]] = []
        monkeypatch.setattr(tasks.import_batch_classify_task, "delay", self.queued.append)
        monkeypatch.setattr(tasks.import_batch_classify_task, "apply_async", self._later)

    def _later(self, args: tuple[int], countdown: int) -> None:
        self.delayed.append((args[0], countdown))

    def play(self, batch_id: int) -> list[int]:
        """Run the task, then every run it queues, until none is left; returns each run's count."""
        counts = [tasks.import_batch_classify_task(batch_id)]
        while self.queued:
            counts.append(tasks.import_batch_classify_task(self.queued.pop(0)))
        return counts


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


@pytest.fixture
def model_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The real model, with each call's texts recorded (imports never ask for explanations)."""
    calls: list[list[str]] = []

    def spy(texts: list[str], *, explain: bool) -> Any:
        assert explain is False
        calls.append(list(texts))
        return classification.register_classify_many(texts, explain=explain)

    monkeypatch.setattr(tasks, "register_classify_many", spy)
    return calls


@pytest.mark.django_db
def test_a_batch_is_classified_by_chunks_with_one_model_call_each(
    corpus: Corpus, user: User, settings: Any, runs: Runs, model_calls: list[list[str]]
) -> None:
    settings.PARLURE_IMPORT_CHUNK_SIZE = 4
    batch = import_texts(corpus, user, [FORMAL, FAMILIAR, *[f"Phrase {n}." for n in range(8)]])

    counts = runs.play(batch.pk)

    assert counts == [4, 4, 2, 0]
    assert [len(call) for call in model_calls] == [4, 4, 2]
    submissions = list(batch.submissions.select_related("current_prediction").order_by("id"))
    assert {s.status for s in submissions} == {Submission.Status.DONE}
    assert Prediction.objects.filter(submission__batch=batch).count() == 10
    labels = [s.current_prediction.label for s in submissions if s.current_prediction]
    assert labels[:2] == ["soutenu", "familier"]
    assert set(labels) <= set(LABELS)
    assert {s.attempts for s in submissions} == {1}
    assert batch_progress(batch=batch)["fraction"] == 1.0
    assert runs.delayed == []


@pytest.mark.django_db
def test_running_the_task_again_records_no_second_prediction(
    corpus: Corpus, user: User, runs: Runs, model_calls: list[list[str]]
) -> None:
    batch = import_texts(corpus, user, [FORMAL, FAMILIAR])
    runs.play(batch.pk)

    counts = runs.play(batch.pk)  # a re-delivered message, or a second chain

    assert counts == [0]
    assert len(model_calls) == 1
    assert Prediction.objects.filter(submission__batch=batch).count() == 2


@pytest.mark.django_db
def test_a_chunk_holds_no_more_words_than_its_budget(
    corpus: Corpus, user: User, runs: Runs
) -> None:
    # One batched call per chunk, bounded in words so that it stays within the time limit.
    text = " ".join(["mot"] * 150) + "."  # 150 words: the full stop is not one
    batch = import_texts(corpus, user, [text] * 5)

    claimed = [
        len(import_batch_chunk_claim(batch_id=batch.pk, size=32, max_words=400, stale_after=STALE))
        for _ in range(4)
    ]

    assert claimed == [2, 2, 1, 0]


@pytest.mark.django_db
def test_an_import_chunk_is_sized_for_inference_not_for_explanations(settings: Any) -> None:
    # Explanations are not computed during an import, so a chunk is not held to the 400 words
    # the model explains per call.
    assert settings.PARLURE_IMPORT_CHUNK_MAX_WORDS > EXPLAIN_MAX_WORDS
    assert settings.PARLURE_IMPORT_CHUNK_SIZE >= 32


@pytest.mark.django_db
def test_a_text_longer_than_the_word_budget_is_a_chunk_of_its_own(
    corpus: Corpus, user: User, runs: Runs, model_calls: list[list[str]], settings: Any
) -> None:
    settings.PARLURE_IMPORT_CHUNK_MAX_WORDS = 5
    batch = import_texts(
        corpus, user, ["Deux mots.", "Deux mots.", "Deux mots.", "a b c d e f g", "Fin."]
    )

    runs.play(batch.pk)

    assert [len(call) for call in model_calls] == [2, 1, 1, 1]
    assert batch_progress(batch=batch)["done"] == 5


@pytest.mark.django_db
def test_a_model_error_fails_its_chunk_and_the_next_chunk_is_still_classified(
    corpus: Corpus, user: User, settings: Any, runs: Runs, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PARLURE_IMPORT_CHUNK_SIZE = 2
    calls: list[list[str]] = []

    def broken_once(texts: list[str], *, explain: bool) -> Any:
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("tensor shapes do not match")
        return classification.register_classify_many(texts, explain=explain)

    monkeypatch.setattr(tasks, "register_classify_many", broken_once)
    batch = import_texts(corpus, user, [FORMAL, FAMILIAR, FORMAL])

    runs.play(batch.pk)

    statuses = list(batch.submissions.order_by("id").values_list("status", "failure_reason"))
    assert statuses == [
        ("failed", REASON_MODEL_ERROR),
        ("failed", REASON_MODEL_ERROR),
        ("done", ""),
    ]
    assert batch_progress(batch=batch) == {
        "total": 3,
        "queued": 0,
        "classifying": 0,
        "done": 1,
        "failed": 2,
        "cancelled": 0,
        "finished": True,
        "fraction": 1.0,
    }


@pytest.mark.django_db
def test_a_chunk_over_its_time_limit_fails_as_too_long(
    corpus: Corpus, user: User, runs: Runs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(texts: list[str], *, explain: bool) -> Any:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(tasks, "register_classify_many", slow)
    batch = import_texts(corpus, user, [FORMAL])

    runs.play(batch.pk)

    assert list(batch.submissions.values_list("status", "failure_reason")) == [
        ("failed", REASON_TOO_LONG)
    ]


@pytest.mark.django_db
def test_texts_a_dead_worker_left_running_are_taken_over_once_stale(
    corpus: Corpus, user: User, runs: Runs, model_calls: list[list[str]]
) -> None:
    batch = import_texts(corpus, user, [FORMAL, FAMILIAR, FORMAL])
    stale, recent, worn_out = batch.submissions.order_by("id")
    now = timezone.now()
    Submission.objects.filter(pk=stale.pk).update(
        status="classifying", attempts=1, started_at=now - tasks.STALE_AFTER - timedelta(seconds=1)
    )
    Submission.objects.filter(pk=recent.pk).update(status="classifying", attempts=1, started_at=now)
    Submission.objects.filter(pk=worn_out.pk).update(
        status="classifying", attempts=3, started_at=now - timedelta(hours=1)
    )

    runs.play(batch.pk)

    stale.refresh_from_db()
    recent.refresh_from_db()
    worn_out.refresh_from_db()
    assert (stale.status, stale.attempts) == ("done", 2)
    assert recent.status == "classifying"  # its worker may still be at it
    assert (worn_out.status, worn_out.failure_reason) == ("failed", REASON_WORKER_LOST)
    # The chain ends while a text runs elsewhere: one run comes back once it would be stale.
    assert runs.delayed == [(batch.pk, tasks.STALE_AFTER.seconds)]


@pytest.mark.django_db
def test_the_task_leaves_a_batchs_audio_to_transcription(
    corpus: Corpus, user: User, runs: Runs, model_calls: list[list[str]]
) -> None:
    batch = ImportBatchFactory.create(corpus=corpus, format=ImportBatch.Format.ZIP)
    audio = SubmissionFactory.create(
        user=user, corpus=corpus, batch=batch, kind=Submission.Kind.AUDIO, text=""
    )

    assert runs.play(batch.pk) == [0]
    audio.refresh_from_db()
    assert audio.status == "queued"
    assert model_calls == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_claim_different_texts_of_one_batch(
    corpus: Corpus, user: User, runs: Runs
) -> None:
    batch = import_texts(corpus, user, [f"Phrase {n}." for n in range(6)])
    ids = list(batch.submissions.order_by("id").values_list("pk", flat=True))
    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        # Another worker in the middle of its claim: it holds the first two rows.
        try:
            with transaction.atomic():
                list(Submission.objects.select_for_update().filter(pk__in=ids[:2]))
                held.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(timeout=10)
        claimed = import_batch_chunk_claim(
            batch_id=batch.pk, size=3, max_words=EXPLAIN_MAX_WORDS, stale_after=STALE
        )
    finally:
        release.set()
        thread.join()

    assert [s.pk for s in claimed] == ids[2:5]
    assert set(Submission.objects.filter(pk__in=ids[2:5]).values_list("status", flat=True)) == {
        "classifying"
    }


@pytest.mark.django_db
def test_progress_counts_a_batchs_submissions_by_status(corpus: Corpus, user: User) -> None:
    batch = ImportBatchFactory.create(corpus=corpus)
    for status in ["queued", "classifying", "done", "done", "failed", "cancelled"]:
        SubmissionFactory.create(user=user, corpus=corpus, batch=batch, status=status)
    SubmissionFactory.create(user=user, corpus=corpus)  # not from this import

    progress = batch_progress(batch=batch)

    assert progress == {
        "total": 6,
        "queued": 1,
        "classifying": 1,
        "done": 2,
        "failed": 1,
        "cancelled": 1,
        "finished": False,
        "fraction": pytest.approx(4 / 6),
    }


@pytest.mark.django_db
def test_a_batch_without_any_accepted_item_is_finished(corpus: Corpus) -> None:
    progress = batch_progress(batch=ImportBatchFactory.create(corpus=corpus))

    assert (progress["total"], progress["finished"], progress["fraction"]) == (0, True, 1.0)


@pytest.mark.django_db
def test_a_corpus_lists_its_own_imports_newest_first(corpus: Corpus) -> None:
    older = ImportBatchFactory.create(corpus=corpus)
    newer = ImportBatchFactory.create(corpus=corpus)
    ImportBatchFactory.create()  # another corpus

    assert list(batch_list_for_corpus(corpus=corpus)) == [newer, older]


# --- A real worker ------------------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not done after {timeout} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_classifies_an_imported_file_with_the_real_model(
    import_worker: Any, corpus: Corpus, user: User
) -> None:
    lines = [
        FORMAL,
        FAMILIAR,
        *[f"Voici la phrase numéro {n} de ce petit corpus." for n in range(38)],
    ]

    batch = import_texts(corpus, user, lines)  # committed: the task is queued on commit

    wait_until(lambda: batch_progress(batch=batch)["finished"], timeout=180)
    progress = batch_progress(batch=batch)
    assert (progress["total"], progress["done"], progress["fraction"]) == (40, 40, 1.0)
    submissions = list(batch.submissions.select_related("current_prediction").order_by("id"))
    predictions = [s.current_prediction for s in submissions]
    assert [p.label for p in predictions[:2] if p] == ["soutenu", "familier"]
    assert all(p is not None and set(p.scores) == set(LABELS) for p in predictions)
    assert Prediction.objects.filter(submission__batch=batch).count() == 40

    # A second run, through the broker and the worker: nothing left, nothing recorded twice.
    assert tasks.import_batch_classify_task.delay(batch.pk).get(timeout=60) == 0
    assert Prediction.objects.filter(submission__batch=batch).count() == 40
