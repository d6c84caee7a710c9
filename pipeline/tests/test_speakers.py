"""Speakers with the real models: a two-voice recording uploaded with speakers=2 comes back with
its segments shared between two speakers. The speaker step failing costs the speakers only."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotation.models import Submission, Transcript
from parlure_ml.speech.synth import Voice, synthesize_dialogue
from pipeline.tasks import submissions as tasks

pytestmark = pytest.mark.django_db

# Four short turns, a man's and a woman's espeak-ng voice (bench/speakers.py's first mix).
TURNS = [
    (0, "Bonjour, comment allez-vous ce matin ?"),
    (1, "Très bien, merci. Je reviens du marché."),
    (0, "Vous avez trouvé des légumes pour dimanche ?"),
    (1, "Oui, des tomates, des courgettes et un beau melon."),
]
VOICES = (Voice("fr+m2", 40), Voice("fr+f3", 70))


@pytest.fixture(autouse=True)
def audio_root(settings: Any, tmp_path: Path) -> Path:
    settings.PARLURE_AUDIO_ROOT = tmp_path / "audio"
    return tmp_path / "audio"


@pytest.fixture(scope="module")
def dialogue_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("speakers") / "dialogue.wav"
    synthesize_dialogue(TURNS, VOICES, path)
    return path


def _upload(client: Client, wav: Path, speakers: str) -> Submission:
    data = {
        "file": SimpleUploadedFile("dialogue.wav", wav.read_bytes(), content_type="audio/wav"),
        "speakers": speakers,
    }
    response = client.post(reverse("api:submission-audio"), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content
    return Submission.objects.get(kind=Submission.Kind.AUDIO)


def test_a_two_voice_recording_gets_two_speakers(member_client: Client, dialogue_wav: Path) -> None:
    submission = _upload(member_client, dialogue_wav, "2")

    tasks.transcribe_submission_task(submission.pk)

    transcript = Transcript.objects.get(submission=submission)
    speakers = list(transcript.segments.order_by("index").values_list("speaker", flat=True))
    assert len(speakers) >= 2
    assert set(speakers) == {"S1", "S2"}, speakers
    assert speakers[0] == "S1"


def test_a_failing_speaker_step_stores_the_transcript_without_speakers(
    member_client: Client, french_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> list[str]:
        raise RuntimeError("the voice encoder is broken")

    monkeypatch.setattr(tasks, "speech_speakers", broken)
    submission = _upload(member_client, french_wav, "auto")

    tasks.transcribe_submission_task(submission.pk)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.CLASSIFYING
    transcript = Transcript.objects.get(submission=submission)
    assert set(transcript.segments.values_list("speaker", flat=True)) == {""}
