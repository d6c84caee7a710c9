"""Segments shown while a recording is transcribed: stored as decoded, labelled as read, replaced
by the transcript, and shown by the status API and the result page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.models import LiveSegment, Submission, Transcript
from annotation.selectors import live_segments_to_classify
from annotation.services import (
    live_segment_add,
    live_segments_label,
    submission_fail,
    transcript_record,
)
from annotation.tests.factories import SubmissionFactory
from common import jobs
from parlure_ml.register.examples import LABELS
from parlure_ml.speech.transcriber import Segment as SpeechSegment
from parlure_ml.speech.transcriber import Transcript as SpeechTranscript
from pipeline.tasks import submissions as tasks

pytestmark = pytest.mark.django_db


def _transcribing(user: User) -> Submission:
    return SubmissionFactory.create(
        user=user, kind=Submission.Kind.AUDIO, text="", status=Submission.Status.TRANSCRIBING
    )


def _segment(start: float, text: str) -> SpeechSegment:
    return SpeechSegment(start=start, end=start + 2.0, text=text, words=[])


def test_a_decoded_segment_is_stored_once_and_its_register_queued(
    user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    submission = _transcribing(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert live_segment_add(
            submission_id=submission.pk, index=0, segment=_segment(0.0, " Bonjour  à tous. ")
        )
        # The same segment again (a job delivered twice decodes the audio twice): kept as it was.
        assert live_segment_add(
            submission_id=submission.pk, index=0, segment=_segment(0.0, "Autre chose.")
        )
        # Nothing heard in a segment: nothing to show, and the job goes on.
        assert live_segment_add(submission_id=submission.pk, index=1, segment=_segment(2.0, " "))
    [stored] = LiveSegment.objects.filter(submission=submission)
    assert (stored.index, stored.text, stored.start, stored.end) == (0, "Bonjour à tous.", 0, 2)
    assert stored.label == ""
    assert len(callbacks) == 1  # one register job, for the new segment only


def test_a_cancelled_job_stops_at_its_next_segment(user: User) -> None:
    submission = _transcribing(user)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.CANCELLED)
    assert not live_segment_add(
        submission_id=submission.pk, index=0, segment=_segment(0.0, "Bonjour.")
    )
    assert not LiveSegment.objects.exists()


def test_without_a_broker_the_segment_is_still_shown(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(name: str, *args: int, countdown: float | None = None) -> None:
        raise jobs.JobQueueUnavailable(name)

    monkeypatch.setattr(jobs, "job_send", unreachable)
    submission = _transcribing(user)
    # Outside a transaction, as in the worker: the job is sent at once, and fails.
    assert live_segment_add(submission_id=submission.pk, index=0, segment=_segment(0, "Salut."))
    assert LiveSegment.objects.filter(submission=submission).count() == 1


def test_the_register_worker_labels_what_is_left_and_the_first_label_stays(user: User) -> None:
    submission = _transcribing(user)
    for index, text in enumerate(
        ["Wesh, c'est chanmé !", "Je vous prie d'agréer mes salutations."]
    ):
        live_segment_add(submission_id=submission.pk, index=index, segment=_segment(index, text))

    # The real register model, in process, as the nlp worker runs it.
    assert tasks.classify_live_segments_task(submission.pk) == 2
    labelled = list(LiveSegment.objects.filter(submission=submission).order_by("index"))
    for segment in labelled:
        assert segment.label in LABELS
        assert sum(segment.scores.values()) == pytest.approx(1.0, abs=0.01)
    assert live_segments_to_classify(submission_id=submission.pk) == []
    assert tasks.classify_live_segments_task(submission.pk) == 0  # a second job: nothing to do

    # A late job's answer does not overwrite the first one.
    class Late:
        label, uncertain, scores = (
            "soutenu",
            False,
            {"soutenu": 1.0, "neutre": 0.0, "familier": 0.0},
        )

    assert live_segments_label(labelled=[(labelled[0], Late())]) == 0  # type: ignore[list-item]
    assert LiveSegment.objects.get(pk=labelled[0].pk).label == labelled[0].label


def test_the_transcript_replaces_them_and_a_failure_removes_them(user: User) -> None:
    submission = _transcribing(user)
    live_segment_add(submission_id=submission.pk, index=0, segment=_segment(0.0, "Bonjour."))
    result = SpeechTranscript(
        language="fr",
        language_probability=0.99,
        duration_s=2.0,
        text="Bonjour.",
        segments=[_segment(0.0, "Bonjour.")],
    )
    transcript = transcript_record(submission_id=submission.pk, result=result)
    assert isinstance(transcript, Transcript)
    assert not LiveSegment.objects.exists()

    failing = _transcribing(user)
    live_segment_add(submission_id=failing.pk, index=0, segment=_segment(0.0, "Bonjour."))
    submission_fail(submission_id=failing.pk, reason="The speech model could not transcribe.")
    assert not LiveSegment.objects.exists()


def test_the_status_and_the_page_show_the_segments_heard_so_far(
    user: User, member_client: Client
) -> None:
    submission = _transcribing(user)
    live_segment_add(submission_id=submission.pk, index=0, segment=_segment(0.0, "Bonjour."))
    live_segment_add(submission_id=submission.pk, index=1, segment=_segment(2.0, "Ça roule ?"))
    LiveSegment.objects.filter(index=0).update(
        label="neutre", scores={"soutenu": 0.1, "neutre": 0.8, "familier": 0.1}
    )

    status = member_client.get(reverse("api:submission-status", args=[submission.public_id]))
    assert status.status_code == 200
    assert [(s["text"], s["label"]) for s in status.json()["live_segments"]] == [
        ("Bonjour.", "neutre"),
        ("Ça roule ?", None),
    ]
    fragment = member_client.get(
        reverse("annotation:submission_result", args=[submission.public_id])
    ).content.decode()
    assert 'class="live-transcript"' in fragment
    assert fragment.count("data-live-segment=") == 2
    assert "Ça roule ?" in fragment
    assert "sentence-chip register-neutre" in fragment
    assert "sentence-chip pending" in fragment  # the second one is not labelled yet

    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.CANCELLED)
    status = member_client.get(reverse("api:submission-status", args=[submission.public_id]))
    assert status.json()["live_segments"] == []
