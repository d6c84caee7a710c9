"""Speakers in the portal: asked for at upload, stored per segment, named and reassigned by people
who may correct the transcript, and shown in the API and the exports."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from annotation.models import Segment, Submission, Transcript
from annotation.services import segment_speaker_set, transcript_record, transcript_speaker_rename
from annotation.tests.api_fixtures import SEGMENTS, api_client, audio_done
from annotation.transcript_exports import transcript_export
from parlure_ml.speech.transcriber import Segment as SpeechSegment
from parlure_ml.speech.transcriber import Transcript as SpeechTranscript

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


def with_speakers(submission: Submission, *labels: str, **names: str) -> Transcript:
    transcript = submission.transcript
    for segment, label in zip(transcript.segments.order_by("index"), labels, strict=True):
        segment.speaker = label
        segment.save(update_fields=["speaker"])
    transcript.speaker_names = names
    transcript.save(update_fields=["speaker_names"])
    return transcript


def url(submission: Submission, suffix: str) -> str:
    return f"/api/v1/submissions/{submission.public_id}/transcript/{suffix}"


# --- Services ------------------------------------------------------------------------------------


def test_a_speaker_is_renamed_once_for_the_whole_transcript(user: User) -> None:
    submission = audio_done(user)
    transcript = with_speakers(submission, "S1", "S1")

    transcript_speaker_rename(
        transcript=transcript, label="S1", name="  Marie   Curie ", acting_user=user
    )

    transcript.refresh_from_db()
    assert transcript.speaker_names == {"S1": "Marie Curie"}
    assert [s.speaker_name for s in transcript.segments.all()] == ["Marie Curie"] * 2
    assert transcript.version == 1  # names are not the text: nothing is classified again

    transcript_speaker_rename(transcript=transcript, label="S1", name="", acting_user=user)
    transcript.refresh_from_db()
    assert transcript.speaker_names == {}
    assert transcript.segments.first().speaker_name == "S1"  # type: ignore[union-attr]


def test_a_segment_is_reassigned_to_an_existing_or_a_new_speaker(user: User) -> None:
    submission = audio_done(user)
    transcript = with_speakers(submission, "S1", "S2")
    second = transcript.segments.get(index=1)

    segment_speaker_set(segment=second, speaker="S1", acting_user=user)
    assert Segment.objects.get(pk=second.pk).speaker == "S1"
    segment_speaker_set(segment=second, speaker="S3", acting_user=user)
    assert Segment.objects.get(pk=second.pk).speaker == "S3"
    segment_speaker_set(segment=second, speaker="", acting_user=user)
    assert Segment.objects.get(pk=second.pk).speaker == ""
    transcript.refresh_from_db()
    assert transcript.version == 1


@pytest.mark.parametrize(
    ("label", "name", "code"),
    [
        ("S9", "Marie", "unknown_speaker"),
        ("Marie", "Marie", "bad_speaker"),
        ("S1", "M" * 61, "too_long"),
    ],
)
def test_a_bad_rename_is_refused_and_changes_nothing(
    user: User, label: str, name: str, code: str
) -> None:
    transcript = with_speakers(audio_done(user), "S1", "S2")

    with pytest.raises(ValidationError) as refused:
        transcript_speaker_rename(transcript=transcript, label=label, name=name, acting_user=user)

    assert refused.value.code == code
    transcript.refresh_from_db()
    assert transcript.speaker_names == {}


def test_nothing_changes_on_a_validated_transcript(user: User) -> None:
    transcript = with_speakers(audio_done(user), "S1", "S2")
    Transcript.objects.filter(pk=transcript.pk).update(validated_at=timezone.now())

    with pytest.raises(ValidationError) as renamed:
        transcript_speaker_rename(transcript=transcript, label="S1", name="Marie", acting_user=user)
    with pytest.raises(ValidationError) as reassigned:
        segment_speaker_set(
            segment=transcript.segments.get(index=0), speaker="S2", acting_user=user
        )

    assert renamed.value.code == reassigned.value.code == "validated"
    assert list(transcript.segments.values_list("speaker", flat=True)) == ["S1", "S2"]


def test_the_transcription_stores_one_label_per_segment_with_text(user: User) -> None:
    submission = Submission.objects.create(
        user=user, kind=Submission.Kind.AUDIO, text="", status=Submission.Status.TRANSCRIBING
    )
    result = SpeechTranscript(
        language="fr",
        language_probability=0.9,
        duration_s=6.0,
        text="Bonjour. Salut.",
        segments=[
            SpeechSegment(0.0, 2.0, "Bonjour.", []),
            SpeechSegment(2.0, 3.0, " ", []),  # no text: not stored, nor its label
            SpeechSegment(3.0, 6.0, "Salut.", []),
        ],
    )

    transcript = transcript_record(
        submission_id=submission.pk, result=result, speakers=["S1", "S2", "S2"]
    )

    assert transcript is not None
    assert list(transcript.segments.values_list("text", "speaker")) == [
        ("Bonjour.", "S1"),
        ("Salut.", "S2"),
    ]


def test_labels_that_do_not_match_the_segments_are_not_stored(user: User) -> None:
    submission = Submission.objects.create(
        user=user, kind=Submission.Kind.AUDIO, text="", status=Submission.Status.TRANSCRIBING
    )
    result = SpeechTranscript("fr", 0.9, 2.0, "Bonjour.", [SpeechSegment(0.0, 2.0, "Bonjour.", [])])

    transcript = transcript_record(submission_id=submission.pk, result=result, speakers=[])

    assert transcript is not None
    assert list(transcript.segments.values_list("speaker", flat=True)) == [""]


# --- API -----------------------------------------------------------------------------------------


def test_the_api_renames_and_reassigns_and_shows_names(user: User) -> None:
    submission = audio_done(user)
    with_speakers(submission, "S1", "S2")
    client = api_client(user)

    renamed = client.put(url(submission, "speakers/S1/"), {"name": "Marie"}, format="json")
    reassigned = client.put(
        url(submission, "segments/1/speaker/"), {"speaker": "S1"}, format="json"
    )
    transcript = client.get(url(submission, ""))

    assert renamed.status_code == 200
    assert renamed.json()["speaker_names"] == {"S1": "Marie"}
    assert reassigned.status_code == 200
    assert reassigned.json()["speaker"] == "S1"
    assert reassigned.json()["speaker_name"] == "Marie"
    segments = transcript.json()["segments"]
    assert [(s["speaker"], s["speaker_name"]) for s in segments] == [("S1", "Marie")] * 2


def test_the_api_refuses_bad_values_closed_transcripts_and_other_people(
    user: User, other_user: User
) -> None:
    submission = audio_done(user)
    transcript = with_speakers(submission, "S1", "S2")
    client = api_client(user)

    bad_label = client.put(
        url(submission, "segments/0/speaker/"), {"speaker": "Bob"}, format="json"
    )
    too_long = client.put(url(submission, "speakers/S1/"), {"name": "x" * 61}, format="json")
    unknown = client.put(url(submission, "speakers/S7/"), {"name": "Marie"}, format="json")
    someone_else = api_client(other_user).put(
        url(submission, "speakers/S1/"), {"name": "Marie"}, format="json"
    )
    Transcript.objects.filter(pk=transcript.pk).update(validated_at=timezone.now())
    validated = client.put(url(submission, "speakers/S1/"), {"name": "Marie"}, format="json")
    validated_segment = client.put(
        url(submission, "segments/0/speaker/"), {"speaker": "S2"}, format="json"
    )

    assert bad_label.status_code == 400
    assert set(bad_label.json()["errors"]) == {"speaker"}
    assert too_long.status_code == 400
    assert set(too_long.json()["errors"]) == {"name"}
    assert unknown.status_code == 404
    assert someone_else.status_code == 404
    assert validated.status_code == validated_segment.status_code == 409
    assert "validated" in validated.json()["detail"]
    transcript.refresh_from_db()
    assert transcript.speaker_names == {}
    assert list(transcript.segments.values_list("speaker", flat=True)) == ["S1", "S2"]


def test_a_viewer_of_the_corpus_may_read_but_not_rename(user: User) -> None:
    from annotation.tests.api_fixtures import cast_create

    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)
    with_speakers(submission, "S1", "S2")

    read = api_client(cast.viewer).get(url(submission, ""))
    renamed = api_client(cast.viewer).put(
        url(submission, "speakers/S1/"), {"name": "Marie"}, format="json"
    )
    by_annotator = api_client(cast.annotator).put(
        url(submission, "speakers/S1/"), {"name": "Marie"}, format="json"
    )

    assert read.status_code == 200
    assert renamed.status_code == 403
    assert by_annotator.status_code == 200


# --- Exports -------------------------------------------------------------------------------------


def test_exports_without_speakers_are_unchanged(user: User) -> None:
    submission = audio_done(user)

    assert transcript_export(submission, "txt") == f"{SEGMENTS[0]}\n{SEGMENTS[1]}\n"
    assert "<v " not in transcript_export(submission, "vtt")
    srt = transcript_export(submission, "srt")
    assert srt.startswith(f"1\n00:00:00,000 --> 00:00:02,000\n{SEGMENTS[0]}\n")
    segment = json.loads(transcript_export(submission, "json"))["segments"][0]
    assert "speaker" not in segment
    assert "speaker_label" not in segment


def test_exports_name_the_speakers(user: User) -> None:
    submission = audio_done(user)
    with_speakers(submission, "S1", "S2", S1="Marie <M>")

    assert transcript_export(submission, "txt") == (
        f"Marie <M>: {SEGMENTS[0]}\nS2: {SEGMENTS[1]}\n"
    )
    assert transcript_export(submission, "srt") == (
        f"1\n00:00:00,000 --> 00:00:02,000\nMarie <M>: {SEGMENTS[0]}\n\n"
        f"2\n00:00:02,000 --> 00:00:04,000\nS2: {SEGMENTS[1]}\n"
    )
    assert transcript_export(submission, "vtt") == (
        "WEBVTT\n\n"
        f"00:00:00.000 --> 00:00:02.000\n<v Marie &lt;M&gt;>{SEGMENTS[0]}\n\n"
        f"00:00:02.000 --> 00:00:04.000\n<v S2>{SEGMENTS[1]}\n"
    )
    segments = json.loads(transcript_export(submission, "json"))["segments"]
    assert [(s["speaker"], s["speaker_label"]) for s in segments] == [
        ("Marie <M>", "S1"),
        ("S2", "S2"),
    ]


# --- Upload --------------------------------------------------------------------------------------


@pytest.mark.parametrize("speakers", ["", "auto", "2", "6"])
def test_the_upload_stores_the_speakers_option(user: User, french_wav: Path, speakers: str) -> None:
    data = {
        "file": SimpleUploadedFile("a.wav", french_wav.read_bytes(), content_type="audio/wav"),
        "speakers": speakers,
    }

    response = api_client(user).post("/api/v1/submissions/audio/", data, format="multipart")

    assert response.status_code == 201, response.content
    assert Submission.objects.get().audio.speakers == speakers


@pytest.mark.parametrize("speakers", ["1", "7", "two", "AUTO"])
def test_a_bad_speakers_option_is_a_400_and_stores_nothing(
    user: User, french_wav: Path, speakers: str
) -> None:
    data = {
        "file": SimpleUploadedFile("a.wav", french_wav.read_bytes(), content_type="audio/wav"),
        "speakers": speakers,
    }

    response = api_client(user).post("/api/v1/submissions/audio/", data, format="multipart")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"speakers"}
    assert not Submission.objects.exists()


def test_the_page_form_sends_the_speakers_option(member_client: Client, french_wav: Path) -> None:
    page = member_client.get(reverse("annotation:submission_new"))
    assert b'name="speakers"' in page.content

    bad = member_client.post(
        reverse("annotation:submission_new_audio"),
        {
            "audio": SimpleUploadedFile("a.wav", french_wav.read_bytes()),
            "speakers": "9",
            "source": "upload",
        },
    )
    good = member_client.post(
        reverse("annotation:submission_new_audio"),
        {
            "audio": SimpleUploadedFile("a.wav", french_wav.read_bytes()),
            "speakers": "auto",
            "source": "upload",
        },
    )

    assert bad.status_code == 400
    assert set(bad.context["audio_form"].errors) == {"speakers"}
    assert good.status_code == 302
    assert Submission.objects.get().audio.speakers == "auto"


# --- The editor ----------------------------------------------------------------------------------


def test_the_editor_shows_speakers_and_its_forms_rename_and_reassign(
    member_client: Client, user: User
) -> None:
    submission = audio_done(user)
    transcript = with_speakers(submission, "S1", "S2")
    detail = reverse("annotation:submission_detail", args=[submission.public_id])

    page = member_client.get(detail).content.decode()
    renamed = member_client.post(
        reverse("annotation:transcript_speaker_rename", args=[submission.public_id]),
        {"label": "S2", "name": "Paul"},
    )
    reassigned = member_client.post(
        reverse("annotation:segment_speaker", args=[submission.public_id, 0]), {"speaker": "S2"}
    )
    after = member_client.get(detail).content.decode()

    assert 'id="transcript-speakers"' in page
    assert 'name="speaker"' in page
    assert renamed.status_code == reassigned.status_code == 302
    assert renamed["Location"].endswith("#transcript-speakers")
    transcript.refresh_from_db()
    assert transcript.speaker_names == {"S2": "Paul"}
    assert list(transcript.segments.values_list("speaker", flat=True)) == ["S2", "S2"]
    assert 'value="Paul"' in after


def test_the_editor_shows_nothing_about_speakers_without_them(
    member_client: Client, user: User
) -> None:
    submission = audio_done(user)

    page = member_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))

    assert b"transcript-speakers" not in page.content
    assert b'name="speaker"' not in page.content


def test_someone_else_cannot_rename_from_the_page(
    client: Client, user: User, other_user: User
) -> None:
    submission = audio_done(user)
    with_speakers(submission, "S1", "S2")
    client.force_login(other_user)

    response = client.post(
        reverse("annotation:transcript_speaker_rename", args=[submission.public_id]),
        {"label": "S1", "name": "Marie"},
    )

    assert response.status_code == 404
    assert submission.transcript.speaker_names == {}
