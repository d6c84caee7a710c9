"""The submissions API: send texts and recordings, list, read, poll, cancel and delete them."""

import datetime
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from annotation.models import AudioRecording, Submission
from annotation.services import REASON_MODEL_ERROR
from annotation.tests.api_fixtures import api_client, audio_done, cast_create, member, text_done
from annotation.tests.factories import SubmissionFactory
from corpora.models import Corpus, CorpusMember
from parlure_ml.speech.audio import probe_audio
from parlure_ml.tests.speech.media import encode

pytestmark = pytest.mark.django_db

LIST = "/api/v1/submissions/"
AUDIO = "/api/v1/submissions/audio/"


def detail(submission: Submission, suffix: str = "") -> str:
    return f"/api/v1/submissions/{submission.public_id}/{suffix}"


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


@pytest.fixture
def corpus(user: User) -> Corpus:
    return Corpus.objects.create(owner=user, name="Mes textes")


# --- Sending a text ------------------------------------------------------------------------------


def test_a_text_is_stored_queued_and_described(
    user: User, corpus: Corpus, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # Given a person and their corpus
    client = api_client(user)

    # When they send a text to it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            LIST, {"text": "  Wesh, t'as vu ?  ", "corpus": str(corpus.public_id)}, format="json"
        )

    # Then it is stored in the corpus, queued once, and described with its links
    assert response.status_code == 201
    submission = Submission.objects.get()
    body = response.json()
    assert body["id"] == str(submission.public_id)
    assert response["Location"] == f"http://testserver{detail(submission)}"
    assert submission.corpus == corpus
    assert submission.text == "Wesh, t'as vu ?"
    assert len(callbacks) == 1
    assert body["kind"] == "text"
    assert body["status"] == "queued"
    assert body["corpus"] == str(corpus.public_id)
    assert body["prediction"] is None
    assert body["author"] == {"name": user.display_name, "is_you": True}
    assert body["permissions"] == {"annotate": True, "review": True, "manage": True}
    assert body["links"] == {
        "self": f"http://testserver{detail(submission)}",
        "page": f"http://testserver/soumissions/{submission.public_id}/",
        "status": f"http://testserver{detail(submission, 'status/')}",
        "transcript": None,
        "predictions": f"http://testserver{detail(submission, 'predictions/')}",
    }


def test_the_same_client_token_returns_the_first_submission(user: User) -> None:
    client = api_client(user)
    payload = {"text": "Bonjour à tous.", "client_token": str(uuid.uuid4())}

    first = client.post(LIST, payload, format="json")
    second = client.post(LIST, {**payload, "text": "Autre chose."}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": "   "}, "text", "Please type or paste a text to annotate."),
        ({}, "text", "This field is required."),
        ({"text": ["a list"]}, "text", "Not a valid string."),
        ({"text": 12345}, "text", "Not a valid string."),  # not stored as "12345"
        ({"text": True}, "text", "Not a valid string."),
        ({"text": "Bonjour.", "client_token": "nope"}, "client_token", "Must be a valid UUID."),
        ({"text": "Bonjour.", "corpus": "nope"}, "corpus", "Must be a valid UUID."),
        (
            {"text": "Bonjour.", "corpus": str(uuid.uuid4())},
            "corpus",
            "No such corpus, or not one you are a member of.",
        ),
    ],
)
def test_bad_input_is_a_400_on_its_field(
    user: User, payload: dict[str, Any], field: str, message: str
) -> None:
    response = api_client(user).post(LIST, payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert not Submission.objects.exists()


def test_json_nested_too_deeply_is_a_400_not_a_server_error(user: User) -> None:
    body = '{"text": ' + "[" * 5000 + "]" * 5000 + "}"

    response = api_client(user).post(LIST, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested too deeply" in response.json()["detail"]
    assert not Submission.objects.exists()


@override_settings(PARLURE_TEXT_MAX_CHARS=50)
def test_an_overlong_text_is_a_400_saying_the_limit(user: User) -> None:
    response = api_client(user).post(LIST, {"text": "é" * 51}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "text": ["The text is 51 characters long; the limit is 50 characters."]
    }


def test_someone_elses_corpus_is_a_400_as_if_it_did_not_exist(user: User, other_user: User) -> None:
    theirs = Corpus.objects.create(owner=other_user, name="Le leur")

    response = api_client(user).post(
        LIST, {"text": "Bonjour.", "corpus": str(theirs.public_id)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["corpus"]


def test_a_viewer_may_not_add_to_a_corpus_but_an_annotator_may(
    user: User, other_user: User
) -> None:
    corpus = Corpus.objects.create(owner=other_user, name="Partagé")
    member(corpus, CorpusMember.Role.VIEWER, user)
    client = api_client(user)
    payload = {"text": "Bonjour.", "corpus": str(corpus.public_id)}

    refused = client.post(LIST, payload, format="json")
    CorpusMember.objects.filter(user=user).update(role=CorpusMember.Role.ANNOTATOR)
    accepted = client.post(LIST, payload, format="json")

    assert refused.status_code == 403
    assert refused.json()["detail"] == "Your role in this corpus does not let you add to it."
    assert accepted.status_code == 201
    assert Submission.objects.get().corpus == corpus


@pytest.fixture
def one_upload_a_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "uploads", "1/minute")
    cache.clear()
    yield
    cache.clear()


def test_sending_counts_against_the_uploads_rate_but_reading_does_not(
    one_upload_a_minute: None, user: User
) -> None:
    client = api_client(user)

    sent = [client.post(LIST, {"text": f"Texte {n}."}, format="json") for n in range(2)]
    listed = [client.get(LIST) for _ in range(3)]

    assert [response.status_code for response in sent] == [201, 429]
    assert [response.status_code for response in listed] == [200, 200, 200]


# --- Sending a recording -------------------------------------------------------------------------


def _upload(client: Any, content: bytes, **fields: Any) -> Any:
    data = {"file": SimpleUploadedFile("a.wav", content, content_type="audio/wav"), **fields}
    return client.post(AUDIO, data, format="multipart")


def test_a_recording_is_checked_stored_and_queued(
    user: User,
    corpus: Corpus,
    french_wav: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = api_client(user)
    token = str(uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _upload(
            client, french_wav.read_bytes(), corpus=str(corpus.public_id), client_token=token
        )
    again = _upload(client, french_wav.read_bytes(), client_token=token)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    submission = Submission.objects.get()
    assert submission.kind == Submission.Kind.AUDIO
    assert submission.corpus == corpus
    assert submission.audio.source == AudioRecording.Source.UPLOAD
    assert len(callbacks) == 1
    assert (
        first.json()["links"]["transcript"] == f"http://testserver{detail(submission)}transcript/"
    )


def test_a_recording_made_in_the_page_is_stored_with_a_duration_players_can_seek(
    user: User, french_wav: Path, tmp_path: Path
) -> None:
    # MediaRecorder's WebM says nothing of its length; the stored file must.
    recorded = tmp_path / "recorded.webm"
    encode(french_wav, recorded, "webm", "libopus", 48000, container_options={"live": "1"})
    assert probe_audio(recorded, max_seconds=60).has_duration is False
    data = {
        "file": SimpleUploadedFile("r.webm", recorded.read_bytes(), content_type="audio/webm"),
        "source": "recording",
    }

    response = api_client(user).post(AUDIO, data, format="multipart")

    assert response.status_code == 201
    recording = AudioRecording.objects.get()
    with recording.file.open("rb") as stored:
        info = probe_audio(stored, max_seconds=60)
    assert info.has_duration is True
    assert (info.codec, info.container) == ("opus", "matroska,webm")
    assert info.duration_s == pytest.approx(recording.duration_s, abs=0.05)
    assert recording.size_bytes == recording.file.size
    assert recording.file.name.endswith(".webm")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"<!DOCTYPE html><html><body>hello</body></html>", "This file is not audio"),
    ],
)
def test_a_file_that_is_not_good_audio_is_a_400_on_file(
    user: User, audio_root: Path, content: bytes, message: str
) -> None:
    response = _upload(api_client(user), content)

    assert response.status_code == 400
    [error] = response.json()["errors"]["file"]
    assert error.startswith(message)
    assert not Submission.objects.exists()
    assert not audio_root.exists() or not any(audio_root.rglob("*.*"))


def test_a_file_over_the_size_limit_is_a_413_in_the_error_format(
    user: User, settings: Any, french_wav: Path
) -> None:
    settings.PARLURE_AUDIO_MAX_BYTES = 10_000

    response = _upload(api_client(user), french_wav.read_bytes())

    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "too_large",
        "detail": "The file is too large: the limit is 0.00953674 MB.",
        "errors": {},
    }
    assert not Submission.objects.exists()


def test_a_recording_without_a_file_or_as_json_is_refused(user: User) -> None:
    client = api_client(user)

    missing = client.post(AUDIO, {"client_token": str(uuid.uuid4())}, format="multipart")
    json_body = client.post(AUDIO, {"file": "bonjour"}, format="json")

    assert missing.status_code == 400
    assert missing.json()["errors"] == {"file": ["No file was submitted."]}
    assert json_body.status_code == 415


# --- Listing -------------------------------------------------------------------------------------


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_the_list_has_mine_and_my_corpora_newest_first_and_nobody_elses() -> None:
    cast = cast_create()
    older = text_done(cast.viewer)
    in_corpus = text_done(cast.author, corpus=cast.corpus)
    SubmissionFactory.create(user=cast.other)
    newest = SubmissionFactory.create(user=cast.viewer)

    response = api_client(cast.viewer).get(LIST)

    assert _ids(response) == [str(s.public_id) for s in (newest, in_corpus, older)]
    item = response.json()["results"][1]
    assert item == {
        "id": str(in_corpus.public_id),
        "kind": "text",
        "status": "done",
        "label": "familier",
        "uncertain": False,
        "text_preview": in_corpus.text,
        "corpus": str(cast.corpus.public_id),
        "author": {"name": cast.author.display_name, "is_you": False},
        "created_at": item["created_at"],
        "finished_at": item["finished_at"],
        "url": f"http://testserver{detail(in_corpus)}",
    }


def test_the_list_comes_in_cursor_pages(user: User) -> None:
    made = [SubmissionFactory.create(user=user) for _ in range(5)]
    client = api_client(user)

    first = client.get(LIST, {"page_size": 2})
    second = client.get(first.json()["next"])
    third = client.get(second.json()["next"])

    ids = _ids(first) + _ids(second) + _ids(third)
    assert ids == [str(s.public_id) for s in reversed(made)]
    assert third.json()["next"] is None


def test_the_list_filters_by_status_kind_label_corpus_and_owner() -> None:
    cast = cast_create()
    mine_text = text_done(cast.annotator)
    mine_audio = audio_done(cast.annotator, corpus=cast.corpus)
    theirs = text_done(cast.author, corpus=cast.corpus)
    queued = SubmissionFactory.create(user=cast.annotator)
    client = api_client(cast.annotator)

    def ids(**query: str) -> set[str]:
        return set(_ids(client.get(LIST, query)))

    assert ids(status="queued") == {str(queued.public_id)}
    assert ids(kind="audio") == {str(mine_audio.public_id)}
    assert ids(label="familier") == {str(mine_text.public_id), str(theirs.public_id)}
    assert ids(corpus=str(cast.corpus.public_id)) == {
        str(mine_audio.public_id),
        str(theirs.public_id),
    }
    assert ids(mine="false") == {str(theirs.public_id)}
    assert ids(mine="true", label="neutre") == {str(mine_audio.public_id)}


def test_the_list_filters_by_date_or_moment(user: User) -> None:
    now = timezone.localtime()
    days = {
        name: SubmissionFactory.create(user=user) for name in ("two_days_ago", "yesterday", "today")
    }
    for offset, submission in zip((2, 1, 0), days.values(), strict=True):
        Submission.objects.filter(pk=submission.pk).update(
            created_at=now - datetime.timedelta(days=offset)
        )
    client = api_client(user)
    yesterday = (now - datetime.timedelta(days=1)).date().isoformat()

    def ids(**query: str) -> set[str]:
        return {str(Submission.objects.get(public_id=i).pk) for i in _ids(client.get(LIST, query))}

    def pks(*names: str) -> set[str]:
        return {str(days[name].pk) for name in names}

    # A date includes that whole day at both ends; a moment is exact.
    assert ids(created_after=yesterday) == pks("yesterday", "today")
    assert ids(created_before=yesterday) == pks("two_days_ago", "yesterday")
    moment = (now - datetime.timedelta(hours=12)).isoformat()
    assert ids(created_after=moment) == pks("today")
    assert ids(created_before=moment) == pks("two_days_ago", "yesterday")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"kind": "video"}, "kind"),
        ({"label": "grossier"}, "label"),
        ({"corpus": "not-a-uuid"}, "corpus"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2025-02-30"}, "created_before"),
        ({"mine": "maybe"}, "mine"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(user: User, query: dict[str, str], field: str) -> None:
    response = api_client(user).get(LIST, query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


# --- One submission ------------------------------------------------------------------------------


def test_a_submission_is_described_with_its_prediction_and_permissions() -> None:
    cast = cast_create()
    submission = audio_done(cast.author, corpus=cast.corpus)

    body = api_client(cast.reviewer).get(detail(submission)).json()

    prediction = submission.current_prediction
    assert prediction is not None
    assert body["id"] == str(submission.public_id)
    assert body["kind"] == "audio"
    assert body["text"] == submission.text
    assert body["author"] == {"name": cast.author.display_name, "is_you": False}
    assert body["prediction"] == {
        "id": prediction.pk,
        "label": "neutre",
        "top_label": "neutre",
        "uncertain": False,
        "scores": {"soutenu": 0.2, "neutre": 0.7, "familier": 0.1},
        "model_version": "test-version",
        "explanations": "computed",
    }
    assert body["permissions"] == {"annotate": True, "review": True, "manage": False}
    assert body["links"]["transcript"] == f"http://testserver{detail(submission)}transcript/"


def test_a_failure_reason_is_translated_for_the_reader(user: User) -> None:
    submission = SubmissionFactory.create(
        user=user, status=Submission.Status.FAILED, failure_reason=REASON_MODEL_ERROR
    )
    french = api_client(user)
    french.cookies.clear()

    in_english = api_client(user).get(detail(submission)).json()["failure_reason"]
    in_french = french.get(detail(submission)).json()["failure_reason"]

    assert in_english == REASON_MODEL_ERROR
    assert in_french == "Le modèle n\u2019a pas pu traiter ce texte. L\u2019équipe a été prévenue."


def test_an_unknown_or_malformed_id_is_a_json_404(user: User) -> None:
    client = api_client(user)

    unknown = client.get(f"/api/v1/submissions/{uuid.uuid4()}/")
    malformed = client.get("/api/v1/submissions/12/")

    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json()["code"] == malformed.json()["code"] == "not_found"


def test_the_status_is_small_and_says_when_to_stop(user: User) -> None:
    running = SubmissionFactory.create(
        user=user,
        kind=Submission.Kind.AUDIO,
        status=Submission.Status.TRANSCRIBING,
        progress=0.4,
    )
    done = text_done(user)
    failed = SubmissionFactory.create(
        user=user, status=Submission.Status.FAILED, failure_reason=REASON_MODEL_ERROR
    )
    client = api_client(user)

    assert client.get(detail(running, "status/")).json() == {
        "id": str(running.public_id),
        "status": "transcribing",
        "progress": 0.4,
        "failure_reason": "",
        "finished": False,
        "label": None,
        "worker_warning": None,
        "live_segments": [],
    }
    assert client.get(detail(done, "status/")).json()["label"] == "familier"
    assert client.get(detail(failed, "status/")).json() == {
        "id": str(failed.public_id),
        "status": "failed",
        "progress": 0.0,
        "failure_reason": REASON_MODEL_ERROR,
        "finished": True,
        "label": None,
        "worker_warning": None,
        "live_segments": [],
    }


def test_a_running_job_can_be_cancelled_once(user: User) -> None:
    submission = SubmissionFactory.create(user=user, status=Submission.Status.CLASSIFYING)
    client = api_client(user)

    cancelled = client.post(detail(submission, "cancel/"))
    again = client.post(detail(submission, "cancel/"))

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["finished"] is True
    assert again.status_code == 409
    assert again.json() == {
        "status": 409,
        "code": "conflict",
        "detail": "This job has already finished; there is nothing to cancel.",
        "errors": {},
    }


def test_deleting_a_submission_removes_it(user: User) -> None:
    submission = text_done(user)

    response = api_client(user).delete(detail(submission))

    assert response.status_code == 204
    assert not Submission.objects.exists()
