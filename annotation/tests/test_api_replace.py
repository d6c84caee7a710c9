"""The find-and-replace endpoints: in one transcript, across a corpus; roles, previews, errors."""

import pytest

from accounts.models import User
from annotation.models import Segment, Submission, TranscriptRevision
from annotation.tests.api_fixtures import (
    api_client,
    api_error_text,
    audio_done,
    cast_create,
    text_done,
)

pytestmark = pytest.mark.django_db


def transcript_url(submission: Submission) -> str:
    return f"/api/v1/submissions/{submission.public_id}/transcript/replace/"


def corpus_url(public_id: object) -> str:
    return f"/api/v1/corpora/{public_id}/transcripts/replace/"


def segment_texts(submission: Submission) -> list[str]:
    return list(
        Segment.objects.filter(transcript__submission=submission)
        .order_by("index")
        .values_list("text", flat=True)
    )


def test_a_preview_shows_each_change_with_its_matches_and_changes_nothing(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).post(
        transcript_url(submission),
        {"find": "RÉUNION", "replace": "séance", "dry_run": True},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "dry_run": True,
        "matches": 1,
        "changed": 0,
        "skipped": 0,
        "transcripts": [
            {
                "submission": str(submission.public_id),
                "version": 1,
                "refused": None,
                "matches": 1,
                "changed": 0,
                "segments": [
                    {
                        "index": 1,
                        "start": 2.0,
                        "end": 4.0,
                        "before": "on va commencer la réunion.",
                        "after": "on va commencer la séance.",
                        "matches": 1,
                        "before_spans": [[19, 26]],
                        "after_spans": [[19, 25]],
                    }
                ],
                "skipped": [],
            }
        ],
    }
    assert TranscriptRevision.objects.count() == 0


def test_applying_with_the_previewed_versions_corrects_and_reports(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    body = {"find": "on", "replace": "ON", "whole_word": True, "case_sensitive": True}
    preview = client.post(transcript_url(submission), {**body, "dry_run": True}, format="json")
    versions = {item["submission"]: item["version"] for item in preview.json()["transcripts"]}

    response = client.post(
        transcript_url(submission), {**body, "versions": versions}, format="json"
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["dry_run"], data["matches"], data["changed"], data["skipped"]) == (False, 1, 1, 0)
    assert data["transcripts"][0]["version"] == 2
    assert segment_texts(submission) == ["Bonjour à tous,", "ON va commencer la réunion."]


def test_a_segment_changed_since_the_preview_is_skipped_and_reported(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    client.patch(
        f"/api/v1/submissions/{submission.public_id}/transcript/segments/1/",
        {"text": "on commence la réunion."},
        format="json",
    )

    response = client.post(
        transcript_url(submission),
        {"find": "o", "replace": "0", "versions": {str(submission.public_id): 1}},
        format="json",
    )

    data = response.json()
    assert (data["changed"], data["skipped"]) == (1, 1)
    assert data["transcripts"][0]["skipped"][0]["index"] == 1
    assert data["transcripts"][0]["skipped"][0]["code"] == "changed"
    assert segment_texts(submission) == ["B0nj0ur à t0us,", "on commence la réunion."]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"find": "", "replace": "x"}, "find", "Type the text to find."),
        ({"replace": "x"}, "find", "This field is required."),
        ({"find": 12, "replace": "x"}, "find", "Not a valid string."),
        ({"find": "a", "replace": ["x"]}, "replace", "Not a valid string."),
        ({"find": "a", "whole_word": "maybe"}, "whole_word", "Must be a valid boolean."),
        ({"find": "a", "versions": {"nope": 1}}, "versions", "Keys must be submission ids."),
        (
            {"find": "a", "versions": [1]},
            "versions",
            'Expected a dictionary of items but got type "list".',
        ),
        ({"find": "a", "replace": "x" * 20_001}, "replace", "at most 20000 characters"),
    ],
)
def test_bad_input_is_a_400_on_its_field(
    user: User, body: dict[str, object], field: str, message: str
) -> None:
    submission = audio_done(user)

    response = api_client(user).post(transcript_url(submission), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert message in api_error_text(response)


def test_a_text_submission_has_no_transcript_to_replace_in(user: User) -> None:
    response = api_client(user).post(transcript_url(text_done(user)), {"find": "a"}, format="json")

    assert response.status_code == 404


def test_a_validated_transcript_is_reported_not_changed(user: User) -> None:
    submission = audio_done(user)
    api_client(user).post(f"/api/v1/submissions/{submission.public_id}/transcript/validate/")

    response = api_client(user).post(
        transcript_url(submission), {"find": "réunion", "replace": "séance"}, format="json"
    )

    assert response.status_code == 200
    refused = response.json()["transcripts"][0]["refused"]
    assert refused == {
        "code": "validated",
        "detail": "This transcript was validated; it can no longer be changed.",
    }
    assert response.json()["changed"] == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("corpus_owner", 200),
        ("reviewer", 200),
        ("annotator", 200),
        ("viewer", 403),
        ("other", 404),
        ("site_reviewer", 404),
        ("anonymous", 401),
    ],
)
def test_replacing_in_a_corpus_follows_the_roles(role: str, status: int) -> None:
    cast = cast_create()
    first = audio_done(cast.author, corpus=cast.corpus)
    second = audio_done(cast.corpus_owner, corpus=cast.corpus)
    outside = audio_done(cast.annotator)  # the annotator's own, in no corpus

    response = api_client(cast.person(role)).post(
        corpus_url(cast.corpus.public_id), {"find": "réunion", "replace": "séance"}, format="json"
    )

    assert response.status_code == status
    changed = status == 200
    assert (segment_texts(first)[1] == "on va commencer la séance.") is changed
    assert (segment_texts(second)[1] == "on va commencer la séance.") is changed
    assert segment_texts(outside)[1] == "on va commencer la réunion."
    if changed:
        data = response.json()
        assert [item["submission"] for item in data["transcripts"]] == [
            str(first.public_id),
            str(second.public_id),
        ]
        assert data["changed"] == 2


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("other", 404)])
def test_replacing_in_someone_elses_transcript_follows_the_roles(role: str, status: int) -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)

    response = api_client(cast.person(role)).post(
        transcript_url(submission), {"find": "réunion", "replace": "séance"}, format="json"
    )

    assert response.status_code == status
    assert segment_texts(submission)[1] == "on va commencer la réunion."


def test_an_unknown_corpus_is_a_404(user: User) -> None:
    response = api_client(user).post(
        corpus_url("00000000-0000-0000-0000-000000000000"), {"find": "a"}, format="json"
    )

    assert response.status_code == 404


def revert_url(submission: Submission, version: int) -> str:
    return f"/api/v1/submissions/{submission.public_id}/transcript/revisions/{version}/revert/"


def test_undoing_a_correction_through_the_api_is_a_new_correction(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    client.post(transcript_url(submission), {"find": "o", "replace": "0"}, format="json")

    response = client.post(revert_url(submission, 2))

    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["segment"], body["before"], body["after"]) == (
        4,
        0,
        "B0nj0ur à t0us,",
        "Bonjour à tous,",
    )
    assert segment_texts(submission) == ["Bonjour à tous,", "0n va c0mmencer la réuni0n."]


def test_undoing_twice_or_an_unknown_version_is_refused(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    client.post(transcript_url(submission), {"find": "o", "replace": "0"}, format="json")
    client.post(revert_url(submission, 2))

    again = client.post(revert_url(submission, 2))
    unknown = client.post(revert_url(submission, 99))

    assert again.status_code == 409
    assert api_error_text(again) == (
        "This segment was corrected again after this change; undo the later corrections first."
    )
    assert unknown.status_code == 404


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("other", 404)])
def test_undoing_follows_the_roles(role: str, status: int) -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)
    api_client(cast.author).post(
        transcript_url(submission), {"find": "o", "replace": "0"}, format="json"
    )

    response = api_client(cast.person(role)).post(revert_url(submission, 2))

    assert response.status_code == status
    assert segment_texts(submission)[0] == "B0nj0ur à t0us,"
