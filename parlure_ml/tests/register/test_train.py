"""Training end to end on a tiny dataset, tracked in a throw-away MLflow store."""

import csv
import json
from pathlib import Path

import pytest

from parlure_ml.register import drift, tracking
from parlure_ml.register.artifact import SHIPPED_DIR
from parlure_ml.register.champion import champion_dir
from parlure_ml.register.classifier import RegisterClassifier
from parlure_ml.register.examples import LABELS
from parlure_ml.register.train import TrainConfig, train

pytestmark = pytest.mark.slow

SENTENCES = {
    "soutenu": [
        "Je vous saurais gré de bien vouloir me répondre dans les meilleurs délais.",
        "Veuillez agréer, Madame, l'expression de mes salutations distinguées.",
        "Il nous appartient de préserver ce patrimoine pour les générations futures.",
        "Permettez-moi de vous exprimer ma plus profonde gratitude.",
        "Nous eûmes l'honneur d'être reçus par le ministre en personne.",
        "Je me permets de solliciter un entretien à votre convenance.",
    ],
    "neutre": [
        "Pouvez-vous me répondre rapidement, s'il vous plaît ?",
        "Le train pour Lyon part à huit heures du quai numéro trois.",
        "Nous devons protéger ce patrimoine pour les générations futures.",
        "Merci beaucoup pour votre aide pendant le déménagement.",
        "Le ministre nous a reçus dans son bureau hier matin.",
        "Je voudrais prendre rendez-vous avec vous la semaine prochaine.",
    ],
    "familier": [
        "Tu me réponds vite, hein, j'ai pas que ça à faire.",
        "Le train pour Lyon, il part à huit plombes, grouille-toi.",
        "Faut qu'on garde ces vieux trucs pour les gamins, quoi.",
        "Merci mec, t'as assuré grave pour le déménagement.",
        "Le ministre, il nous a reçus, c'était ouf.",
        "On se capte la semaine pro, ça te va ?",
    ],
}
SPLITS = ["train", "train", "train", "train", "validation", "test"]


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    path = tmp_path / "dataset.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "label", "source", "split", "variant"])
        writer.writeheader()
        for label, texts in SENTENCES.items():
            for text, split in zip(texts, SPLITS, strict=True):
                writer.writerow(
                    {
                        "text": text,
                        "label": label,
                        "source": "test",
                        "split": split,
                        "variant": "original",
                    }
                )
    return path


@pytest.fixture
def mlflow_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    uri = f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.delenv("PARLURE_REGISTER_MODEL", raising=False)
    return uri


@pytest.mark.parametrize("mode", ["fast", "lora"])
def test_a_run_is_tracked_registered_and_promoted(
    mode: str, tiny_dataset: Path, mlflow_store: str, tmp_path: Path, model_dir: Path
):
    config = TrainConfig(mode=mode, epochs=1, batch_size=8)

    summary = train(config, tmp_path / "model", tiny_dataset)

    mlflow_client = tracking.client()
    run = mlflow_client.get_run(summary["run_id"])
    metrics = run.data.metrics
    for name in (
        "test_macro_f1",
        "test_ece",
        "independent_v1_macro_f1",
        "frozen_macro_f1",
        "temperature",
    ):
        assert name in metrics
    for label in LABELS:
        for kind in ("precision", "recall", "f1"):
            assert f"test_{kind}_{label}" in metrics
    assert len(run.data.params["dataset_sha256"]) == 64
    artifacts = {a.path for a in mlflow_client.list_artifacts(run.info.run_id, "figures")}
    assert "figures/confusion-test.png" in artifacts
    if mode == "lora":
        assert "figures/loss-curves.png" in artifacts
        assert [m.step for m in mlflow_client.get_metric_history(run.info.run_id, "train_loss")]
    # The first version of a fresh registry becomes the champion; the portal then loads it.
    assert summary["gate"] == {"promoted": True, "reason": "no champion yet", "set": "frozen"}
    champion = tracking.champion(mlflow_client)
    assert champion is not None
    assert str(champion.version) == summary["registered_version"]
    directory = champion_dir()
    card = json.loads((directory / "model.json").read_text())
    assert card["version"] == summary["version"]
    assert (directory / "adapter").is_dir() == (mode == "lora")
    # Every trained model carries the reference profile drift monitoring compares with.
    profile = drift.profile_read(directory)
    assert profile is not None
    assert profile["model_version"] == summary["version"]
    assert profile["n"] == 3  # the validation split


def test_a_saved_lora_model_predicts_as_it_did_in_training(
    tiny_dataset: Path, mlflow_store: str, tmp_path: Path, model_dir: Path
):
    summary = train(TrainConfig(mode="lora", epochs=1, batch_size=8), tmp_path / "m", tiny_dataset)
    loaded = RegisterClassifier.load(tmp_path / "m", int8=False)

    probs = loaded.probabilities([e for texts in SENTENCES.values() for e in texts[5:]])
    test_probs = summary["metrics"]["test"]
    # The test split's accuracy recomputed from the reloaded model matches the training run's.
    predicted = probs.argmax(axis=1).tolist()
    accuracy = sum(p == i for i, p in enumerate(predicted)) / 3
    assert accuracy == pytest.approx(test_probs["accuracy"], abs=1e-3)


def test_without_a_registry_the_shipped_champion_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("PARLURE_REGISTER_MODEL", raising=False)
    monkeypatch.setattr(tracking, "LOCAL_DIR", tmp_path / "none")

    assert champion_dir() == SHIPPED_DIR
