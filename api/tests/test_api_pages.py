"""The API's rules in the pages: corpus members open a corpus submission's page and see only the
controls their role lets them use; the endpoints behind those controls refuse the others."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.models import Submission
from annotation.tests.api_fixtures import SEGMENTS, Cast, audio_done, cast_create, text_done
from annotation.tests.factories import SubmissionFactory
from review.models import Feedback

pytestmark = pytest.mark.django_db

# A marker of each control in the page's markup.
CONTROLS = {
    "correct": "data-editable",
    "flag": "data-feedback-form",
    "validate": "data-validate-form",
    "delete": "/supprimer/",
}
# Which controls each person sees on a finished recording of the corpus.
SEES = {
    "author": {"correct", "flag", "validate", "delete"},
    "corpus_owner": {"correct", "flag", "validate", "delete"},
    "viewer": set(),
    "annotator": {"correct", "flag"},
    "reviewer": {"correct", "flag", "validate"},
}


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cast(db: None) -> Cast:
    return cast_create()


@pytest.mark.parametrize("person", list(SEES))
def test_a_corpus_submission_page_shows_the_controls_of_ones_role(cast: Cast, person: str) -> None:
    submission = audio_done(cast.author, corpus=cast.corpus)

    response = browser(getattr(cast, person)).get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    )

    assert response.status_code == 200
    page = response.content.decode()
    shown = {control for control, marker in CONTROLS.items() if marker in page}
    assert shown == SEES[person]
    if not SEES[person]:
        # The text of a segment without word timings, read-only
        assert (
            f'<p class="segment-words" lang="fr" id="segment-text-1" data-segment-text>'
            f"{SEGMENTS[1]}</p>"
        ) in page


@pytest.mark.parametrize("person", ["other", "site_reviewer", "superuser"])
def test_people_outside_the_corpus_do_not_find_the_page(cast: Cast, person: str) -> None:
    submission = audio_done(cast.author, corpus=cast.corpus)

    response = browser(getattr(cast, person)).get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    )

    assert response.status_code == 404


def test_a_viewer_reads_the_history_and_export_and_polls_the_status(cast: Cast) -> None:
    submission = audio_done(cast.author, corpus=cast.corpus)
    client = browser(cast.viewer)
    public_id = submission.public_id

    history = client.get(reverse("annotation:transcript_history", args=[public_id]))
    export = client.get(reverse("annotation:transcript_export", args=[public_id, "txt"]))
    status = client.get(reverse("api:submission-status", args=[public_id]))
    result = client.get(reverse("annotation:submission_result", args=[public_id]))

    assert (history.status_code, export.status_code) == (200, 200)
    assert (status.status_code, result.status_code) == (200, 200)
    assert CONTROLS["correct"] not in result.content.decode()


def _save_segment(client: Client, submission: Submission) -> int:
    """What the transcript editor sends, with the person's session."""
    response = client.patch(
        reverse("api:transcript-segment", args=[submission.public_id, 0]),
        json.dumps({"text": "Bonjour à toutes,"}),
        content_type="application/json",
    )
    return response.status_code


def test_only_annotators_and_up_may_correct_a_segment(cast: Cast) -> None:
    submission = audio_done(cast.author, corpus=cast.corpus)

    assert _save_segment(browser(cast.viewer), submission) == 403
    assert _save_segment(browser(cast.annotator), submission) == 200


def test_only_reviewers_and_up_may_validate(cast: Cast) -> None:
    submission = audio_done(cast.author, corpus=cast.corpus)
    url = reverse("annotation:transcript_validate", args=[submission.public_id])

    refused = [browser(cast.viewer).post(url), browser(cast.annotator).post(url)]
    submission.transcript.refresh_from_db()
    validated_before = submission.transcript.validated_at
    accepted = browser(cast.reviewer).post(url)

    assert [response.status_code for response in refused] == [403, 403]
    assert validated_before is None
    assert accepted.status_code == 302
    submission.transcript.refresh_from_db()
    assert submission.transcript.validated_by == cast.reviewer


def test_only_the_author_and_the_corpus_owner_may_delete_or_cancel(cast: Cast) -> None:
    finished = text_done(cast.author, corpus=cast.corpus)
    running = SubmissionFactory.create(
        user=cast.author, corpus=cast.corpus, status=Submission.Status.CLASSIFYING
    )
    remove = reverse("annotation:submission_remove", args=[finished.public_id])
    cancel = reverse("annotation:submission_cancel", args=[running.public_id])

    assert browser(cast.reviewer).post(remove).status_code == 403
    assert browser(cast.reviewer).post(cancel).status_code == 403
    assert browser(cast.corpus_owner).post(cancel).status_code == 302
    assert browser(cast.corpus_owner).post(remove).status_code == 302

    running.refresh_from_db()
    assert running.status == Submission.Status.CANCELLED
    assert not Submission.objects.filter(pk=finished.pk).exists()


def test_a_running_jobs_cancel_button_is_only_for_who_may_cancel(cast: Cast) -> None:
    running = audio_done(cast.author, corpus=cast.corpus)
    Submission.objects.filter(pk=running.pk).update(status=Submission.Status.CLASSIFYING)
    url = reverse("annotation:submission_detail", args=[running.public_id])
    cancel = reverse("annotation:submission_cancel", args=[running.public_id])

    assert cancel not in browser(cast.reviewer).get(url).content.decode()
    assert cancel in browser(cast.corpus_owner).get(url).content.decode()


def test_only_annotators_and_up_may_flag_a_label_from_the_page(cast: Cast) -> None:
    submission = text_done(cast.author, corpus=cast.corpus)
    form = reverse("review:feedback_create", args=[submission.public_id])
    api = reverse("api:feedback-list")
    payload = json.dumps(
        {
            "prediction": submission.current_prediction_id,
            "kind": "register",
            "suggested_label": "neutre",
        }
    )

    refused_form = browser(cast.viewer).post(form, {"label": "neutre"})
    refused = browser(cast.viewer).post(api, payload, content_type="application/json")
    accepted = browser(cast.annotator).post(api, payload, content_type="application/json")

    assert refused_form.status_code == refused.status_code == 403
    assert accepted.status_code == 201
    assert Feedback.objects.get().user == cast.annotator


def test_the_heading_says_whose_text_it_is(cast: Cast) -> None:
    submission = text_done(cast.author, corpus=cast.corpus)
    url = reverse("annotation:submission_detail", args=[submission.public_id])

    assert "Registre de votre texte" in browser(cast.author).get(url).content.decode()
    assert "Registre de votre texte" not in browser(cast.viewer).get(url).content.decode()
