"""The retraining loop with real models: retraining (fast mode) → gate → promotion or not →
new predictions carry the new version without a restart → rollback restores the previous one."""

import csv
import shutil
from pathlib import Path

import mlflow
import pytest
import torch
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from safetensors.torch import load_file, save_file

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.tests.factories import SubmissionFactory
from learning import champion, services
from learning.models import ModelVersion, RetrainingRun
from parlure_ml.register import tracking
from parlure_ml.register.artifact import SHIPPED_DIR, ModelCard
from parlure_ml.register.examples import Example
from parlure_ml.register.train import Corrections
from pipeline import classification
from pipeline.tasks import submissions as tasks

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CLEAR = {
    "soutenu": [
        "Je vous saurais gré de bien vouloir me répondre dans les meilleurs délais.",
        "Veuillez agréer, Madame, l'expression de mes salutations distinguées.",
        "Permettez-moi de vous exprimer ma plus profonde gratitude.",
        "Je me permets de solliciter un entretien à votre convenance.",
        "Nous eûmes l'honneur d'être reçus par le ministre en personne.",
        "Il nous appartient de préserver ce patrimoine pour les générations futures.",
    ],
    "neutre": [
        "Le train pour Lyon part à huit heures du quai numéro trois.",
        "Merci beaucoup pour votre aide pendant le déménagement.",
        "Je voudrais prendre rendez-vous avec vous la semaine prochaine.",
        "La bibliothèque est ouverte du mardi au samedi.",
        "Nous devons protéger ce patrimoine pour les générations futures.",
        "Pouvez-vous me répondre rapidement, s'il vous plaît ?",
    ],
    "familier": [
        "Merci mec, t'as assuré grave pour le déménagement.",
        "On se capte la semaine pro, ça te va ?",
        "Putain, j'ai encore raté le bus, fait chier.",
        "T'inquiète, je gère, c'est pas la mort.",
        "Le ministre, il nous a reçus, c'était ouf.",
        "Faut qu'on garde ces vieux trucs pour les gamins, quoi.",
    ],
}
SPLITS = ["train", "train", "train", "validation", "test", "test"]


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: object) -> Path:
    """A throw-away MLflow registry whose champion (v1) is a deliberately bad model, a tiny
    dataset, and fast-mode retraining; workers resolve the champion through the database."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}")
    monkeypatch.delenv("PARLURE_REGISTER_MODEL", raising=False)
    monkeypatch.setattr(services, "RUNS_DIR", tmp_path / "runs")
    dataset = tmp_path / "dataset.csv"
    with dataset.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "label", "source", "split", "variant"])
        writer.writeheader()
        for label, texts in CLEAR.items():
            for text, split in zip(texts, SPLITS, strict=True):
                writer.writerow(
                    {"text": text, "label": label, "source": "t", "split": split,
                     "variant": "original"}
                )  # fmt: skip
    settings.PARLURE_REGISTER_DATASET = str(dataset)  # type: ignore[attr-defined]
    settings.PARLURE_RETRAIN_MODE = "fast"  # type: ignore[attr-defined]
    _register_bad_champion(tmp_path / "bad")
    services.model_versions_sync()
    monkeypatch.setattr(classification, "_champion", None)
    # No corrections here (test_loop.py goes through the review app for real).
    monkeypatch.setattr(services, "_corrections", lambda _user: None)
    return dataset


def _register_bad_champion(directory: Path) -> None:
    """The shipped model with its head's rows rotated: every clear sentence gets a wrong
    register, so every register's F1 is 0."""
    shutil.copytree(SHIPPED_DIR, directory)
    card = ModelCard.read(SHIPPED_DIR)
    head = load_file(str(SHIPPED_DIR / "head.safetensors"))
    rotated = {name: torch.roll(tensor, shifts=1, dims=0) for name, tensor in head.items()}
    save_file(rotated, str(directory / "head.safetensors"))
    (directory / "model.json").write_text(
        (directory / "model.json").read_text().replace(card.version, "broken-head")
    )
    mlflow_client = tracking.client()
    mlflow.set_experiment(experiment_id=tracking.experiment_id(mlflow_client))
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(directory), tracking.ARTIFACT_PATH)
    version = tracking.register(mlflow_client, run.info.run_id, {"version": "broken-head"})
    tracking.promote(mlflow_client, version)


def _classify(user: User, text: str) -> str:
    submission = SubmissionFactory.create(user=user, text=text)
    tasks.classify_submission_task(submission.pk)
    submission.refresh_from_db()
    assert submission.current_prediction is not None
    return submission.current_prediction.model_version


def test_retraining_promotes_a_better_model_and_rollback_restores_the_old_one(
    registry: Path, user: User
) -> None:
    assert _classify(user, "T'as vu le match hier soir ?") == "broken-head"

    run, created = services.retraining_request(
        requested_by=user, trigger=RetrainingRun.Trigger.MANUAL
    )
    assert created
    finished = services.retraining_execute(run_id=run.pk)

    assert finished is not None, "no run"
    assert finished.status == RetrainingRun.Status.DONE, finished.reason
    assert finished.promoted is True, finished.reason
    assert finished.reason.startswith("macro-F1")
    new = ModelVersion.objects.get(is_champion=True)
    assert new.version == "2"
    assert new.gate_decision == "promoted"
    assert new.metrics["frozen"]["macro_f1"] > 0.17
    assert finished.mlflow_run_id
    assert tracking.client().get_run(finished.mlflow_run_id)
    # The worker serves the new champion on its next job, without a restart.
    assert _classify(user, "T'as vu le match hier soir ?") == new.name

    services.champion_set(version="1", acting_user=user)

    assert ModelVersion.objects.get(is_champion=True).version == "1"
    registry_champion = tracking.champion(tracking.client())
    assert registry_champion is not None
    assert str(registry_champion.version) == "1"
    assert _classify(user, "T'as vu le match hier soir ?") == "broken-head"


def test_a_promotion_made_in_the_registry_alone_is_served_by_the_next_job(
    registry: Path, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _classify(user, "Bonjour à tous.") == "broken-head"
    # As `make train` (its gate) or `registry promote` do: MLflow only, no models_sync.
    card = ModelCard.read(SHIPPED_DIR)
    mlflow_client = tracking.client()
    mlflow.set_experiment(experiment_id=tracking.experiment_id(mlflow_client))
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(SHIPPED_DIR), tracking.ARTIFACT_PATH)
    version = tracking.register(mlflow_client, run.info.run_id, {"version": card.version})
    tracking.promote(mlflow_client, version)
    monkeypatch.setattr(champion, "_registry_checked", None)  # the next check is due

    assert _classify(user, "Bonjour à tous.") == card.version
    assert ModelVersion.objects.get(is_champion=True).version == str(version)


def test_the_monitoring_page_shows_the_registry_champion_before_the_models_page_opens(
    registry: Path, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    ModelVersion.objects.all().delete()  # a fresh portal: `make models` registered, none mirrored
    monkeypatch.setattr(champion, "_registry_checked", None)
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("monitoring:dashboard")).content.decode()

    assert "<code>broken-head</code> (registry version 1)" in page
    assert "no champion recorded" not in page


def test_a_worse_candidate_stays_a_challenger_with_its_reason(
    registry: Path, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.champion_set(version="1", acting_user=None)
    first = services.retraining_execute(
        run_id=services.retraining_request(requested_by=None, trigger="manual")[0].pk
    )
    assert first is not None
    assert first.promoted
    # Corrections that contradict the data (every sentence labelled familier): the candidate
    # trained on them does worse on the frozen test split, and the gate keeps v2.
    wrong = [
        Example(text, "familier", "corrections-v1") for texts in CLEAR.values() for text in texts
    ]
    monkeypatch.setattr(
        services, "_corrections", lambda _user: Corrections(wrong * 3, wrong[:6], 1, "0" * 64)
    )

    second = services.retraining_execute(
        run_id=services.retraining_request(requested_by=None, trigger="manual")[0].pk
    )

    assert second is not None
    assert second.promoted is False
    assert "lower than the champion" in second.reason or "drops by" in second.reason
    assert "on recent corrections" in second.reason
    assert second.corrections_version == 1
    assert ModelVersion.objects.get(is_champion=True).version == "2"
    assert ModelVersion.objects.get(version="3").gate_decision == "challenger"


def test_a_second_click_joins_the_waiting_run(registry: Path, user: User) -> None:
    first, created = services.retraining_request(requested_by=user, trigger="manual")
    second, created_again = services.retraining_request(requested_by=user, trigger="manual")

    assert created
    assert not created_again
    assert first.pk == second.pk


def test_staff_start_a_retraining_from_the_api_and_members_cannot(
    registry: Path, client: Client, user: User
) -> None:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(user)
    assert client.post(reverse("learning_api:api_retraining_list")).status_code == 403

    client.force_login(staff)
    response = client.post(reverse("learning_api:api_retraining_list"))

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert client.post(reverse("learning_api:api_retraining_list")).status_code == 200
    listed = client.get(reverse("learning_api:api_model_versions")).json()
    assert [v["version"] for v in listed["results"]] == ["1"]
    rolled = client.post(reverse("learning_api:api_champion", args=["1"]))
    assert rolled.status_code == 200
    assert rolled.json()["is_champion"] is True


def test_the_models_page_shows_versions_and_the_gate(registry: Path, client: Client) -> None:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(staff)

    page = client.get(reverse("learning:model_versions"))

    assert page.status_code == 200
    assert "broken-head" in page.content.decode()


def test_an_unreachable_registry_keeps_the_current_model_serving(
    registry: Path, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _classify(user, "Bonjour à tous.") == "broken-head"
    ModelVersion.objects.filter(version="1").update(version="9")  # a champion it cannot fetch

    def unreachable(version: str) -> Path:
        raise ConnectionError("MLflow is down")

    monkeypatch.setattr(classification, "model_directory", unreachable)

    assert _classify(user, "Bonjour à tous.") == "broken-head"


def test_a_flagged_and_accepted_label_becomes_training_data_for_the_next_run(
    registry: Path, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from review.models import ReviewItem
    from review.services import feedback_submit, judgement_record

    monkeypatch.setattr(services, "_corrections", _real_corrections)
    submission = SubmissionFactory.create(
        user=user, text="Tu peux me passer le sel, s'il te plaît ?"
    )
    tasks.classify_submission_task(submission.pk)
    submission.refresh_from_db()
    prediction = submission.current_prediction
    assert prediction is not None
    wrong = "soutenu" if prediction.top_label != "soutenu" else "familier"
    feedback_submit(
        user=user, prediction=prediction, sentence_index=None, kind="register",
        suggested_label=wrong, comment="flagged in a test",
    )  # fmt: skip
    reviewer = UserFactory.create(is_staff=True)
    judgement_record(item=ReviewItem.objects.get(), reviewer=reviewer, decision="accept")

    run, _ = services.retraining_request(requested_by=None, trigger="manual")
    finished = services.retraining_execute(run_id=run.pk)

    assert finished is not None
    assert finished.status == RetrainingRun.Status.DONE, finished.reason
    assert (finished.corrections_version, finished.corrections_count) == (1, 1)
    params = tracking.client().get_run(finished.mlflow_run_id).data.params
    assert params["corrections_version"] == "1"
    assert int(params["corrections_train"]) + int(params["corrections_evaluation"]) == 1


_real_corrections = services._corrections


def test_without_database_tables_the_default_model_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import DatabaseError

    def no_table() -> str | None:
        raise DatabaseError("no such table: learning_modelversion")

    monkeypatch.delenv("PARLURE_REGISTER_MODEL", raising=False)
    monkeypatch.setattr(classification, "champion_version_resolve", no_table)
    monkeypatch.setattr(classification, "get_classifier", lambda: "the default classifier")

    assert classification.register_classifier() == "the default classifier"
