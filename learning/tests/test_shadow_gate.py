"""The gate again for a challenger that ran in shadow: frozen set, and live evidence once
reviewers decided enough of its texts; its reason says which evidence it used."""

from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from accounts.services import user_set_role
from annotation.tests.api_fixtures import api_client
from learning import services
from learning.models import ModelVersion
from learning.shadow import challenger_gate
from learning.tests.factories import shadowed
from parlure_ml.register import registry, tracking
from parlure_ml.register.gate import decide_live

pytestmark = pytest.mark.django_db


def test_live_evidence_is_used_only_with_enough_reviewed_texts() -> None:
    assert (
        decide_live(challenger_correct=5, champion_correct=1, reviewed=9, min_reviewed=10) is None
    )
    assert decide_live(challenger_correct=5, champion_correct=1, reviewed=9, min_reviewed=0) is None
    worse = decide_live(challenger_correct=6, champion_correct=7, reviewed=10, min_reviewed=10)
    even = decide_live(challenger_correct=7, champion_correct=7, reviewed=10, min_reviewed=10)
    assert worse is not None
    assert not worse.promote
    assert worse.reason == (
        "on 10 reviewed live texts accuracy 0.6000 is lower than the champion's 0.7000"
    )
    assert even is not None
    assert even.promote


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelVersion:
    """A throw-away registry: the shipped model as champion (v1) and again as v2, both with
    the shipped card's figures on the frozen set."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}")
    registry.bootstrap()
    registry.shipped_again()
    services.model_versions_sync()
    return ModelVersion.objects.get(version="2")


def test_without_live_evidence_the_gate_uses_the_frozen_set_and_says_so(
    two_versions: ModelVersion, settings: object
) -> None:
    settings.PARLURE_GATE_LIVE_MIN_REVIEWED = 30  # type: ignore[attr-defined]
    two_versions.shadow_share = 0.5
    two_versions.save()

    version, promoted = challenger_gate(version="2", acting_user=None)

    assert promoted
    assert version.is_champion
    assert version.shadow_share == 0.0
    assert version.gate_decision == "promoted"
    assert version.gate_reason.startswith(
        "evidence: frozen set only (live shadow not used: 0 reviewed, 30 needed). macro-F1 "
    )
    current = tracking.champion(tracking.client())
    assert current is not None
    assert str(current.version) == "2"
    tags = tracking.client().get_model_version(tracking.MODEL_NAME, "2").tags
    assert tags["gate_reason"] == version.gate_reason.split("\n")[0]


def test_live_evidence_keeps_back_a_challenger_the_reviewers_contradict(
    two_versions: ModelVersion, user: User, settings: object
) -> None:
    settings.PARLURE_GATE_LIVE_MIN_REVIEWED = 2  # type: ignore[attr-defined]
    shadowed(user, two_versions, "soutenu", "soutenu", decided="soutenu")
    shadowed(user, two_versions, "neutre", "familier", decided="neutre")

    version, promoted = challenger_gate(version="2", acting_user=None)

    assert not promoted
    assert version.gate_decision == "challenger"
    assert version.gate_reason.startswith("evidence: frozen set and live shadow. Frozen set: ")
    assert version.gate_reason.endswith(
        "live: on 2 reviewed live texts accuracy 0.5000 is lower than the champion's 1.0000"
    )
    assert ModelVersion.objects.get(is_champion=True).version == "1"
    current = tracking.champion(tracking.client())
    assert current is not None
    assert str(current.version) == "1"


def test_staff_run_the_gate_from_the_page_and_the_api(
    two_versions: ModelVersion, user: User, client: Client, settings: object
) -> None:
    settings.PARLURE_GATE_LIVE_MIN_REVIEWED = 2  # type: ignore[attr-defined]
    shadowed(user, two_versions, "neutre", "familier", decided="neutre")
    shadowed(user, two_versions, "soutenu", "soutenu", decided="soutenu")
    user_set_role(user=user, role=ADMINISTRATOR, acting_user=None)
    client.force_login(user)

    page = client.post("/modeles/2/porte/", follow=True).content.decode()
    api = api_client(user).post("/api/v1/models/2/gate/")
    champion = api_client(user).post("/api/v1/models/1/gate/")

    assert "La version 2 reste challenger" in page
    assert api.status_code == 200
    assert api.json()["gate_decision"] == "challenger"
    assert "frozen set and live shadow" in api.json()["gate_reason"]
    assert champion.status_code == 404
