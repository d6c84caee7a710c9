"""The transcript API: read a recording's transcript, correct segments, validate, see history."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from annotation.models import AudioRecording, Segment, Submission, TranscriptRevision
from annotation.tests.api_fixtures import SEGMENTS, WORDS, api_client, audio_done, text_done
from annotation.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def url(submission: Submission, suffix: str = "") -> str:
    return f"/api/v1/submissions/{submission.public_id}/transcript/{suffix}"


def test_the_transcript_has_its_segments_words_and_registers(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).get(url(submission))

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in body if key != "segments"} == {
        "language": "fr",
        "detected_language": "fr",
        "language_probability": 0.99,
        "duration_s": 4.0,
        "model": "test-whisper",
        "version": 1,
        "validated_at": None,
        "speaker_names": {},
    }
    assert body["segments"][0] == {
        "index": 0,
        "start": 0.0,
        "end": 2.0,
        "text": SEGMENTS[0],
        "edited": False,
        "speaker": "",
        "speaker_name": "",
        "words": WORDS,
        "label": "neutre",
        "top_label": "neutre",
        "uncertain": False,
        "scores": {"soutenu": 0.2, "neutre": 0.7, "familier": 0.1},
        "classified_version": 1,
    }
    assert [segment["index"] for segment in body["segments"]] == [0, 1]


def test_a_text_or_an_untranscribed_recording_has_no_transcript(user: User) -> None:
    text = text_done(user)
    waiting = SubmissionFactory.create(user=user, kind=Submission.Kind.AUDIO, text="")
    client = api_client(user)

    for submission in (text, waiting):
        response = client.get(url(submission))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_correcting_a_segment_records_it_and_classifies_again(
    user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    submission = audio_done(user)
    client = api_client(user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.patch(url(submission, "segments/0/"), {"text": " Bonjour à toutes, "})

    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Bonjour à toutes,"
    assert body["edited"] is True
    assert body["classified_version"] == 1  # the new version is being classified
    # The words follow the new text: "Bonjour à" keep their times and confidence (the
    # uncertain "à" included: not looked at yet), "toutes," takes "tous,"'s time and, typed by a
    # person, has no model probability and is not uncertain.
    assert body["words"] == [
        *WORDS[:2],
        {
            "start": 0.8,
            "end": 1.2,
            "word": " toutes,",
            "probability": None,
            "confidence": None,
            "uncertain": False,
        },
    ]
    assert len(callbacks) == 1
    submission.refresh_from_db()
    assert submission.transcript.segments.get(index=0).words == body["words"]
    assert submission.text == f"Bonjour à toutes, {SEGMENTS[1]}"
    assert submission.transcript.version == 2
    revision = TranscriptRevision.objects.get()
    assert (revision.before, revision.after, revision.author) == (
        SEGMENTS[0],
        "Bonjour à toutes,",
        user,
    )


def test_sending_the_same_text_again_changes_nothing(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).patch(url(submission, "segments/1/"), {"text": SEGMENTS[1]})

    assert response.status_code == 200
    assert response.json()["edited"] is False
    assert not TranscriptRevision.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": "  "}, "Please type or paste a text to annotate."),
        ({}, "This field is required."),
        ({"text": {"nested": True}}, "Not a valid string."),
    ],
)
def test_a_bad_correction_is_a_400_on_text(
    user: User, payload: dict[str, Any], message: str
) -> None:
    submission = audio_done(user)

    response = api_client(user).patch(url(submission, "segments/0/"), payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"text": [message]}
    assert Segment.objects.get(transcript__submission=submission, index=0).text == SEGMENTS[0]


@override_settings(PARLURE_TEXT_MAX_CHARS=20)
def test_an_overlong_correction_is_a_400_saying_the_limit(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).patch(url(submission, "segments/0/"), {"text": "a" * 21})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "text": ["The text is 21 characters long; the limit is 20 characters."]
    }


def test_an_unknown_segment_is_a_404(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).patch(url(submission, "segments/7/"), {"text": "Bonjour."})

    assert response.status_code == 404


def test_a_validated_transcript_or_an_unfinished_job_cannot_be_corrected(user: User) -> None:
    validated = audio_done(user)
    validated.transcript.validated_at = timezone.now()
    validated.transcript.save()
    running = audio_done(user)
    Submission.objects.filter(pk=running.pk).update(status=Submission.Status.CLASSIFYING)
    client = api_client(user)

    refused_validated = client.patch(url(validated, "segments/0/"), {"text": "Autre."})
    refused_running = client.patch(url(running, "segments/0/"), {"text": "Autre."})

    assert refused_validated.status_code == refused_running.status_code == 409
    assert refused_validated.json()["detail"] == (
        "This transcript was validated; it can no longer be changed."
    )
    assert refused_running.json()["detail"] == (
        "This transcript cannot be corrected while its job is not done."
    )
    assert not TranscriptRevision.objects.exists()


def test_validating_marks_it_once_and_it_stays_validated(user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)

    first = client.post(url(submission, "validate/"))
    submission.transcript.refresh_from_db()
    when = submission.transcript.validated_at
    second = client.post(url(submission, "validate/"))

    assert first.status_code == second.status_code == 200
    assert when is not None
    assert first.json()["validated_at"] == second.json()["validated_at"]
    assert len(first.json()["segments"]) == 2
    submission.transcript.refresh_from_db()
    assert submission.transcript.validated_at == when
    assert submission.transcript.validated_by == user


def test_the_history_lists_corrections_newest_first(user: User, other_user: User) -> None:
    submission = audio_done(user)
    client = api_client(user)
    client.patch(url(submission, "segments/0/"), {"text": "Bonjour à toutes,"})
    client.patch(url(submission, "segments/1/"), {"text": "on commence."})

    response = client.get(url(submission, "revisions/"))

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["version"], r["segment"], r["after"]) for r in results] == [
        (3, 1, "on commence."),
        (2, 0, "Bonjour à toutes,"),
    ]
    assert results[0]["before"] == SEGMENTS[1]
    assert results[0]["author"] == {"name": user.display_name, "is_you": True}


def test_the_history_of_a_text_is_a_404(user: User) -> None:
    response = api_client(user).get(url(text_done(user), "revisions/"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("file_format", "media_type", "expected"),
    [
        ("txt", "text/plain", f"{SEGMENTS[0]}\n{SEGMENTS[1]}\n"),
        ("srt", "application/x-subrip", f"1\n00:00:00,000 --> 00:00:02,000\n{SEGMENTS[0]}\n"),
        ("vtt", "text/vtt", f"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n{SEGMENTS[0]}\n"),
    ],
)
def test_the_transcript_downloads_as_a_file(
    user: User, file_format: str, media_type: str, expected: str
) -> None:
    # Given a transcribed recording, when its author asks for a file format
    submission = audio_done(user)
    response = api_client(user).get(
        url(submission, f"export/?file_format={file_format}"), HTTP_ACCEPT="application/json"
    )

    # Then the file comes in its own media type, whatever Accept said, as an attachment
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="parlure-{submission.public_id}.{file_format}"'
    )
    assert response.content.decode().startswith(expected)


@pytest.mark.parametrize(
    ("original_name", "disposition"),
    [
        ("entretien-3.wav", 'attachment; filename="entretien-3.srt"'),
        ("Réunion du 3 mai.m4a", "attachment; filename*=utf-8''R%C3%A9union%20du%203%20mai.srt"),
        ('../"a"; b.ogg', 'attachment; filename="a b.srt"'),
    ],
)
def test_a_download_is_named_after_the_uploaded_file(
    user: User, original_name: str, disposition: str
) -> None:
    submission = audio_done(user)
    AudioRecording.objects.create(
        submission=submission,
        source=AudioRecording.Source.UPLOAD,
        original_name=original_name,
        size_bytes=1,
        duration_s=4.0,
        container="wav",
        codec="pcm_s16le",
    )

    response = api_client(user).get(url(submission, "export/?file_format=srt"))

    assert response["Content-Disposition"] == disposition


def test_the_json_download_holds_segments_and_words(user: User) -> None:
    submission = audio_done(user)

    response = api_client(user).get(url(submission, "export/?file_format=json"))

    assert response.status_code == 200
    body = json.loads(response.content)
    assert [segment["text"] for segment in body["segments"]] == SEGMENTS


def test_a_download_needs_a_known_format_a_transcript_and_access(
    user: User, other_user: User
) -> None:
    submission = audio_done(user)

    unknown = api_client(user).get(url(submission, "export/?file_format=docx"))
    missing = api_client(user).get(url(submission, "export/"))
    text = api_client(user).get(url(text_done(user), "export/?file_format=txt"))
    someone_else = api_client(other_user).get(url(submission, "export/?file_format=txt"))

    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"file_format"}
    assert missing.status_code == 400
    assert text.status_code == 404
    assert someone_else.status_code == 404
    assert someone_else.json()["code"] == "not_found"
