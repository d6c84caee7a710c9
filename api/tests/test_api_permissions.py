"""Who may do what with a corpus submission through the API: every person, every action.

The rules (corpora.access): the author and the corpus's owner may do everything; a viewer reads;
an annotator also corrects and sends feedback; a reviewer also validates; only the author and
the owner delete. Nobody else sees the submission at all (404, like a missing one), however
high their role on the site; without credentials it is a 401.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from annotation.models import Segment, Submission, TranscriptRevision
from annotation.tests.api_fixtures import Cast, api_client, audio_done, cast_create
from review.models import Feedback

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Scene:
    cast: Cast
    submission: Submission

    @property
    def base(self) -> str:
        return f"/api/v1/submissions/{self.submission.public_id}/"


# Each action: (client, scene) -> (status code, whether it changed or showed what it should).
Action = Callable[[APIClient, Scene], tuple[int, bool]]


def _read(suffix: str) -> Action:
    def act(client: APIClient, scene: Scene) -> tuple[int, bool]:
        response = client.get(scene.base + suffix)
        return response.status_code, response.status_code == 200

    return act


def _listed(client: APIClient, scene: Scene) -> tuple[int, bool]:
    response = client.get("/api/v1/submissions/")
    if response.status_code != 200:
        return response.status_code, False
    ids = {item["id"] for item in response.json()["results"]}
    return 200, str(scene.submission.public_id) in ids


def _correct(client: APIClient, scene: Scene) -> tuple[int, bool]:
    response = client.patch(scene.base + "transcript/segments/0/", {"text": "Bonjour à toutes,"})
    changed = Segment.objects.get(transcript__submission=scene.submission, index=0).edited
    assert changed == TranscriptRevision.objects.exists()
    return response.status_code, changed


def _validate(client: APIClient, scene: Scene) -> tuple[int, bool]:
    response = client.post(scene.base + "transcript/validate/")
    scene.submission.transcript.refresh_from_db()
    return response.status_code, scene.submission.transcript.validated_at is not None


def _feedback(client: APIClient, scene: Scene) -> tuple[int, bool]:
    prediction = scene.submission.current_prediction
    assert prediction is not None
    response = client.post(
        "/api/v1/feedback/",
        {"prediction": prediction.pk, "kind": "register", "suggested_label": "soutenu"},
    )
    return response.status_code, Feedback.objects.exists()


def _delete(client: APIClient, scene: Scene) -> tuple[int, bool]:
    response = client.delete(scene.base)
    return response.status_code, not Submission.objects.filter(pk=scene.submission.pk).exists()


ACTIONS: dict[str, Action] = {
    "list": _listed,
    "retrieve": _read(""),
    "status": _read("status/"),
    "transcript": _read("transcript/"),
    "predictions": _read("predictions/"),
    "correct": _correct,
    "validate": _validate,
    "feedback": _feedback,
    "delete": _delete,
}
READS = {"retrieve": 200, "status": 200, "transcript": 200, "predictions": 200}
EVERYTHING = {**READS, "correct": 200, "validate": 200, "feedback": 201, "delete": 204}
HIDDEN = dict.fromkeys((action for action in ACTIONS if action != "list"), 404)
# Expected status per person and action; "list" is whether the list contains the submission.
EXPECTED: dict[str, dict[str, int | bool]] = {
    "author": {"list": True, **EVERYTHING},
    "corpus_owner": {"list": True, **EVERYTHING},
    "viewer": {
        "list": True,
        **READS,
        "correct": 403,
        "validate": 403,
        "feedback": 403,
        "delete": 403,
    },
    "annotator": {
        "list": True,
        **READS,
        "correct": 200,
        "validate": 403,
        "feedback": 201,
        "delete": 403,
    },
    "reviewer": {
        "list": True,
        **READS,
        "correct": 200,
        "validate": 200,
        "feedback": 201,
        "delete": 403,
    },
    "other": {"list": False, **HIDDEN},
    "site_reviewer": {"list": False, **HIDDEN},
    "superuser": {"list": False, **HIDDEN},
    "anonymous": dict.fromkeys(ACTIONS, 401),
}
CASES = [(person, action) for person in EXPECTED for action in ACTIONS]


@pytest.mark.parametrize(("person", "action"), CASES, ids=[f"{p}-{a}" for p, a in CASES])
def test_each_person_may_do_what_their_role_allows_and_nothing_else(
    person: str, action: str
) -> None:
    # Given a finished recording sent to a shared corpus by one of its annotators
    cast = cast_create()
    scene = Scene(cast, audio_done(cast.author, corpus=cast.corpus))

    # When this person tries the action
    code, effect = ACTIONS[action](api_client(cast.person(person)), scene)

    # Then the answer is the one the rules give, and only an allowed write changes anything
    expected = EXPECTED[person][action]
    if isinstance(expected, bool):  # whether the list shows it
        assert code == 200
        assert effect is expected
    else:
        assert code == expected
        assert effect is (expected in {200, 201, 204})
