"""Challengers in shadow: sampling, the agreement figures, the page and the API."""

import math

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR, REVIEWER
from accounts.services import user_set_role
from annotation.tests.api_fixtures import api_client, text_done
from learning.models import ModelVersion, ShadowPrediction
from learning.selectors import shadow_agreement
from learning.shadow import ShadowRefused, shadow_sampled, shadow_share_set
from learning.tests.factories import shadowed
from review.models import ReviewItem

pytestmark = pytest.mark.django_db

Z95 = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval at 95 %, written out to check the selector against."""
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 / (1 + Z95**2 / n) * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))
    return centre - half, centre + half


def test_sampling_is_deterministic_proportional_and_nested() -> None:
    ids = range(1, 4001)

    quarter = {pk for pk in ids if shadow_sampled(prediction_id=pk, share=0.25)}
    again = {pk for pk in ids if shadow_sampled(prediction_id=pk, share=0.25)}
    half = {pk for pk in ids if shadow_sampled(prediction_id=pk, share=0.5)}

    assert quarter == again
    assert 0.22 < len(quarter) / 4000 < 0.28
    assert quarter < half  # a larger share keeps the items a smaller one picked
    assert not any(shadow_sampled(prediction_id=pk, share=0.0) for pk in ids)
    assert all(shadow_sampled(prediction_id=pk, share=1.0) for pk in ids)


def test_one_challenger_in_shadow_at_a_time_and_never_the_champion(
    versions: tuple[ModelVersion, ModelVersion],
) -> None:
    _champion, challenger = versions
    other = ModelVersion.objects.create(version="3", name="register-c", shadow_share=0.5)

    shadow_share_set(version="2", share=0.3, acting_user=None)

    challenger.refresh_from_db()
    other.refresh_from_db()
    assert (challenger.shadow_share, other.shadow_share) == (0.3, 0.0)
    with pytest.raises(ShadowRefused):
        shadow_share_set(version="1", share=0.1, acting_user=None)
    with pytest.raises(ShadowRefused):
        shadow_share_set(version="2", share=1.5, acting_user=None)
    assert ModelVersion.objects.get(version="1").shadow_share == 0.0


@pytest.fixture
def known(versions: tuple[ModelVersion, ModelVersion], user: User) -> ModelVersion:
    """Four shadow answers: three agree with the champion; two items decided by reviewers, the
    challenger right on one, the champion right on both."""
    _champion, challenger = versions
    shadowed(user, challenger, "soutenu", "soutenu", decided="soutenu")
    shadowed(user, challenger, "neutre", "familier", decided="neutre")
    shadowed(user, challenger, "familier", "familier", decided="")
    shadowed(user, challenger, "neutre", "neutre", decided="")
    # A sentence's decision is not the text's register: left out.
    sentence = shadowed(user, challenger, "neutre", "neutre", decided="")
    ReviewItem.objects.create(
        prediction=sentence,
        sentence_index=0,
        reason=ReviewItem.Reason.UNCERTAIN,
        status=ReviewItem.Status.DECIDED,
        text="x",
        model_label="neutre",
        final_label="familier",
    )
    return challenger


def test_agreement_figures_on_known_data(known: ModelVersion) -> None:
    figures = shadow_agreement(version=known)

    assert figures.n == 5
    assert (figures.with_champion.k, figures.with_champion.n) == (4, 5)
    assert (figures.with_reviewers.k, figures.with_reviewers.n) == (1, 2)
    assert (figures.champion_with_reviewers.k, figures.champion_with_reviewers.n) == (2, 2)
    assert figures.with_champion.interval == pytest.approx(wilson(4, 5))
    assert figures.with_reviewers.interval == pytest.approx(wilson(1, 2))
    assert figures.with_reviewers.percent == 50.0


def test_a_version_without_shadow_answers_has_no_figures(
    versions: tuple[ModelVersion, ModelVersion],
) -> None:
    figures = shadow_agreement(version=versions[1])

    assert figures.n == 0
    assert figures.with_champion.value is None
    assert figures.with_champion.interval is None


def test_the_models_page_shows_a_challengers_agreement(
    known: ModelVersion, administrator: Client
) -> None:
    ModelVersion.objects.filter(pk=known.pk).update(shadow_share=0.25)
    low, high = wilson(4, 5)

    page = administrator.get("/modeles/").content.decode()

    row = page[page.index('<tr data-version="2">') :]
    row = row[: row.index("</tr>")]
    assert "25 %" in row
    assert '<td class="shadow-n">5</td>' in row
    interval = f"[{low * 100:.1f}\N{EN DASH}{high * 100:.1f}]".replace(".", ",")
    assert f'80,0 % <small class="muted">{interval}' in row
    assert '<td class="shadow-reviewed">2</td>' in row
    assert "50,0 %" in row


def test_staff_set_the_shadow_share_on_the_page(
    versions: tuple[ModelVersion, ModelVersion], administrator: Client
) -> None:
    response = administrator.post("/modeles/2/ombre/", {"percent": "20"}, follow=True)
    refused = administrator.post("/modeles/1/ombre/", {"percent": "20"}, follow=True)
    wrong = administrator.post("/modeles/2/ombre/", {"percent": "120"}, follow=True)

    assert ModelVersion.objects.get(version="2").shadow_share == 0.2
    assert "20 %" in response.content.decode()
    assert "Le champion ne peut pas tourner en ombre." in refused.content.decode()
    assert "pourcentage entier de 0 à 100" in wrong.content.decode()
    assert ModelVersion.objects.get(version="1").shadow_share == 0.0


def test_staff_set_the_shadow_share_through_the_api(
    versions: tuple[ModelVersion, ModelVersion], user: User
) -> None:
    user_set_role(user=user, role=ADMINISTRATOR, acting_user=None)
    client = api_client(user)

    response = client.post("/api/v1/models/2/shadow/", {"share": 0.4}, format="json")
    champion = client.post("/api/v1/models/1/shadow/", {"share": 0.4}, format="json")
    wrong = client.post("/api/v1/models/2/shadow/", {"share": 2}, format="json")
    missing = client.post("/api/v1/models/9/shadow/", {"share": 0.4}, format="json")

    assert response.status_code == 200
    assert response.json()["shadow_share"] == 0.4
    assert champion.status_code == 400
    assert champion.json()["errors"] == {"share": ["The champion cannot run in shadow."]}
    assert wrong.status_code == 400
    assert "share" in wrong.json()["errors"]
    assert missing.status_code == 404


def test_reviewers_cannot_set_the_shadow_share(
    versions: tuple[ModelVersion, ModelVersion], user: User
) -> None:
    user_set_role(user=user, role=REVIEWER, acting_user=None)

    response = api_client(user).post("/api/v1/models/2/shadow/", {"share": 0.4}, format="json")

    assert response.status_code == 403
    assert ModelVersion.objects.get(version="2").shadow_share == 0.0


def _numbers(value: object) -> list[float]:
    """Every number in a JSON answer, however deep (a text search would match timestamps)."""
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_people_see_only_the_champions_answer(
    versions: tuple[ModelVersion, ModelVersion], user: User
) -> None:
    submission = text_done(user)  # the champion said familier
    assert submission.current_prediction is not None
    ShadowPrediction.objects.create(
        prediction=submission.current_prediction,
        model_version=versions[1],
        label="soutenu",
        top_label="soutenu",
        scores={"soutenu": 0.9, "neutre": 0.05, "familier": 0.05},
        latency_ms=1,
    )
    client = api_client(user)

    predictions = client.get(f"/api/v1/submissions/{submission.public_id}/predictions/").json()
    status = client.get(f"/api/v1/submissions/{submission.public_id}/status/").json()

    [prediction] = predictions["results"]
    assert prediction["label"] == "familier"
    assert prediction["scores"] == {"soutenu": 0.3, "neutre": 0.1, "familier": 0.6}
    assert status["label"] == "familier"
    assert 0.9 not in _numbers(predictions)  # the shadow's score reaches nobody
    assert "shadow" not in str(predictions) + str(status)
