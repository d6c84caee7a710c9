"""The staff API for model versions and retraining runs: documented, paged, permission-checked.

(Starting a retraining and changing the champion go through MLflow: learning/tests cover them.)
"""

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import REVIEWER
from accounts.services import user_set_role
from learning.models import ModelVersion, RetrainingRun

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/retraining/"
MODELS = "/api/v1/models/"


@pytest.fixture
def reviewer_client(client: Client, user: User) -> Client:
    user_set_role(user=user, role=REVIEWER, acting_user=None)
    client.force_login(user)
    return client


def test_reviewers_page_through_retraining_runs_newest_first(reviewer_client: Client) -> None:
    version = ModelVersion.objects.create(version="2", name="register-b", is_champion=True)
    old = RetrainingRun.objects.create(
        trigger=RetrainingRun.Trigger.MANUAL, status=RetrainingRun.Status.DONE
    )
    new = RetrainingRun.objects.create(
        trigger=RetrainingRun.Trigger.API, status=RetrainingRun.Status.DONE, model_version=version
    )

    first = reviewer_client.get(RUNS, {"page_size": 1}).json()
    second = reviewer_client.get(first["next"]).json()

    assert [run["id"] for run in first["results"]] == [new.pk]
    assert first["results"][0]["model_version"]["version"] == "2"
    assert [run["id"] for run in second["results"]] == [old.pk]
    assert second["next"] is None


def test_one_retraining_run_by_id(reviewer_client: Client) -> None:
    run = RetrainingRun.objects.create(trigger=RetrainingRun.Trigger.COMMAND)

    found = reviewer_client.get(f"{RUNS}{run.pk}/")
    missing = reviewer_client.get(f"{RUNS}{run.pk + 1}/")

    assert found.status_code == 200
    assert found.json()["status"] == "queued"
    assert found.json()["trigger"] == "command"
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_reviewers_page_through_model_versions(reviewer_client: Client) -> None:
    ModelVersion.objects.create(version="1", name="register-a")
    ModelVersion.objects.create(version="2", name="register-b", is_champion=True)

    response = reviewer_client.get(MODELS)

    assert response.status_code == 200
    body = response.json()
    assert [v["version"] for v in body["results"]] == ["2", "1"]
    assert body["results"][0]["is_champion"] is True


def test_reviewers_may_not_start_a_retraining_nor_change_the_champion(
    reviewer_client: Client,
) -> None:
    ModelVersion.objects.create(version="1", name="register-a")

    start = reviewer_client.post(RUNS)
    champion = reviewer_client.post(f"{MODELS}1/champion/")

    assert start.status_code == 403
    assert champion.status_code == 403
    assert start.json()["code"] == "permission_denied"
    assert not RetrainingRun.objects.exists()


def test_members_may_not_read_the_staff_api(member_client: Client) -> None:
    for path in (RUNS, MODELS):
        response = member_client.get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_the_staff_api_needs_credentials(client: Client) -> None:
    assert client.get(RUNS).status_code == 401
    assert client.get(MODELS).status_code == 401
