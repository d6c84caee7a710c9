"""A challenger in shadow with the real model: the shipped champion registered a second time
scores live texts after the champion, so it agrees with it every time."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from accounts.services import user_set_role
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory
from common import jobs
from learning import services
from learning.models import ModelVersion, ShadowPrediction
from learning.selectors import shadow_agreement
from learning.shadow import shadow_share_set
from parlure_ml.register import registry
from pipeline import classification
from pipeline.tasks import shadow as shadow_tasks
from pipeline.tasks import submissions as tasks

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TEXTS = [
    "Je vous saurais gré de bien vouloir me répondre dans les meilleurs délais.",
    "Le train pour Lyon part à huit heures du quai numéro trois.",
    "T'inquiète, je gère, c'est pas la mort.",
]


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelVersion:
    """A throw-away registry: the shipped model as champion (v1) and again as v2."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}")
    monkeypatch.delenv("PARLURE_REGISTER_MODEL", raising=False)
    monkeypatch.setattr(services, "RUNS_DIR", tmp_path / "runs")
    monkeypatch.setattr(classification, "_champion", None)
    monkeypatch.setattr(classification, "_challenger", None)
    registry.bootstrap()
    registry.shipped_again()
    services.model_versions_sync()
    return ModelVersion.objects.get(version="2")


def test_the_shipped_model_as_challenger_agrees_with_itself_every_time(
    two_versions: ModelVersion,
    user: User,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    sent: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(jobs, "job_send", lambda name, *args: sent.append((name, args)))
    settings.PARLURE_SHADOW_IDLE_SECONDS = 0  # the answers just made do not hold the shadow back
    shadow_share_set(version="2", share=1.0, acting_user=None)

    for text in TEXTS:
        submission = SubmissionFactory.create(user=user, text=text)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.classify_submission_task(submission.pk)
        submission.refresh_from_db()
        assert submission.status == Submission.Status.DONE
    # The worker on the shadow queue: what the champion's jobs sent.
    assert [name for name, _args in sent] == [jobs.SHADOW_PREDICT] * len(TEXTS)
    for _name, args in sent:
        shadow_tasks.shadow_predict_task(*args)

    assert ShadowPrediction.objects.filter(model_version=two_versions).count() == len(TEXTS)
    figures = shadow_agreement(version=two_versions)
    assert (figures.with_champion.k, figures.with_champion.n) == (len(TEXTS), len(TEXTS))
    for shadow in ShadowPrediction.objects.select_related("prediction"):
        assert shadow.scores == pytest.approx(shadow.prediction.scores, abs=1e-4)
    user_set_role(user=user, role=ADMINISTRATOR, acting_user=None)
    client.force_login(user)
    page = client.get("/modeles/").content.decode()
    assert '<td class="shadow-n">3</td>' in page
    assert "100,0 %" in page
