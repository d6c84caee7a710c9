"""A real Celery worker process, on the real Redis broker, against the test database.

The `worker` fixture (nlp queue) is in conftest.py, shared with the browser test.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from accounts.models import User
from annotation.models import Prediction, Submission
from annotation.services import submission_create_text
from parlure_ml.register import LABELS

# serialized_rollback: the flush after each test must not take the roles (data migration) away.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _wait_for(submission: Submission, statuses: set[str], timeout: float) -> Submission:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        if submission.status in statuses:
            return submission
        time.sleep(0.05)
    raise AssertionError(f"submission still {submission.status} after {timeout} s")


def test_a_worker_follows_a_text_to_its_stored_label(
    worker: subprocess.Popen[bytes], user: User
) -> None:
    submission, _created = submission_create_text(
        user=user, text="Je vous prie de bien vouloir agréer mes salutations distinguées."
    )
    _wait_for(submission, {Submission.Status.DONE, Submission.Status.FAILED}, timeout=120)
    assert submission.status == Submission.Status.DONE, submission.failure_reason
    prediction = submission.current_prediction
    assert prediction is not None
    assert prediction.label == "soutenu"
    assert set(prediction.scores) == set(LABELS)
    assert prediction.model_version
    assert prediction.latency_ms > 0


def test_a_job_whose_worker_process_is_killed_is_done_once_by_the_next(
    worker: subprocess.Popen[bytes], user: User
) -> None:
    # Long enough that the pool process is surely still working when it is killed.
    text = "Franchement, ce truc c'est trop relou, j'te jure. " * 350
    submission, _created = submission_create_text(user=user, text=text)
    _wait_for(submission, {Submission.Status.CLASSIFYING}, timeout=120)
    [child] = _children(worker.pid)
    os.kill(child, signal.SIGKILL)

    _wait_for(submission, {Submission.Status.DONE, Submission.Status.FAILED}, timeout=120)
    assert submission.status == Submission.Status.DONE, submission.failure_reason
    assert submission.attempts == 2
    assert Prediction.objects.filter(submission=submission).count() == 1
