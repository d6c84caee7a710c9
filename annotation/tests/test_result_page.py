"""The result shows uncertainty, the register of each sentence and the words that decided."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from annotation.highlight import sentence_views
from annotation.models import Submission
from annotation.predictions import sentences_load
from annotation.tests.factories import PredictionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

TEXT = "Je vous prie d'agréer mes salutations. T'as vu le match hier soir ?"


def _done(user: User, **prediction: object) -> Submission:
    submission = SubmissionFactory.create(user=user, text=TEXT)
    submission.current_prediction = PredictionFactory.create(submission=submission, **prediction)
    submission.status = Submission.Status.DONE
    submission.finished_at = timezone.now()
    submission.save()
    return submission


def _sentence(start: int, end: int, label: str, evidence: list[list[float]]) -> dict:
    return {
        "start": start,
        "end": end,
        "label": label,
        "top_label": label,
        "uncertain": False,
        "scores": {"soutenu": 0.1, "neutre": 0.1, "familier": 0.8},
        "evidence": evidence,
    }


def test_an_uncertain_prediction_is_shown_as_hesitant_neutre(member_client: Client, user: User):
    submission = _done(
        user,
        label="neutre",
        top_label="familier",
        uncertain=True,
        scores={"soutenu": 0.2, "neutre": 0.3, "familier": 0.5},
    )

    page = member_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))

    html = page.content.decode()
    assert "register-badge register-neutre hesitant" in html
    assert "Hésitant" in html
    assert "familier" in html


def test_each_sentence_is_marked_with_its_register_and_its_evidence(
    member_client: Client, user: User
):
    second = TEXT.index("T'as")
    sentences = [
        _sentence(0, second - 1, "soutenu", [[8, 12, 0.2]]),  # "prie"
        _sentence(second, len(TEXT), "familier", [[second, second + 4, 0.31]]),  # "T'as"
    ]
    submission = _done(user, label="familier", top_label="familier", sentences=sentences)

    page = member_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))

    html = page.content.decode()
    assert 'class="sentence register-soutenu"' in html
    assert 'class="sentence register-familier"' in html
    assert '<mark class="evidence evidence-3" title="poids 0,31">T&#x27;as</mark>' in html
    assert '<mark class="evidence evidence-2" title="poids 0,20">prie</mark>' in html
    assert "soutenu 50 %" in html  # one sentence of two


def test_offsets_that_do_not_fit_the_text_are_ignored():
    views = sentence_views("Court.", sentences_load([_sentence(0, 50, "neutre", [])]))

    assert views == []
