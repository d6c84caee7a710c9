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
from annotation.verdict import verdict_for

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
    assert '<span class="confidence confidence-hesitant">hésitant</span>' in html
    assert "Le modèle penche pour familier (50\u202f%)" in html  # a narrow no-break space


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
    # Each sentence's register is written out beside it, not only shown by colour.
    assert '<span class="sentence-chip register-soutenu">' in html
    assert '<span class="sentence-chip register-familier">' in html
    # The count of sentences per register, "soutenu" times 1.
    assert "soutenu \u00d7 1" in html
    assert "familier \u00d7 1" in html


def test_offsets_that_do_not_fit_the_text_are_ignored():
    views = sentence_views("Court.", sentences_load([_sentence(0, 50, "neutre", [])]))

    assert views == []


def test_a_hesitation_whose_most_probable_register_is_neutre_says_so(
    member_client: Client, user: User
):
    submission = _done(
        user,
        label="neutre",
        top_label="neutre",
        uncertain=True,
        scores={"soutenu": 0.3, "neutre": 0.4, "familier": 0.3},
    )

    html = member_client.get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    ).content.decode()

    assert "aucun registre ne se détache" in html
    assert "penche pour" not in html  # the message for a hesitation towards another register


def test_a_sure_prediction_says_how_sure_in_words_and_numbers(member_client: Client, user: User):
    submission = _done(
        user,
        label="soutenu",
        top_label="soutenu",
        scores={"soutenu": 0.91, "neutre": 0.06, "familier": 0.03},
    )

    html = member_client.get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    ).content.decode()

    assert '<span class="confidence confidence-sure">sûr</span>' in html
    assert "soutenu à 91\u202f%" in html
    assert "confidence-hesitant" not in html


def test_a_text_whose_sentences_disagree_is_shown_as_mixed(member_client: Client, user: User):
    second = TEXT.index("T'as")
    sentences = [
        _sentence(0, second - 1, "soutenu", []),
        _sentence(second, len(TEXT), "familier", []),
    ]
    submission = _done(
        user,
        label="familier",
        top_label="familier",
        scores={"soutenu": 0.3, "neutre": 0.05, "familier": 0.65},
        sentences=sentences,
    )

    html = member_client.get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    ).content.decode()

    assert "texte mixte" in html
    assert '<span class="confidence confidence-fairly_sure">plutôt sûr</span>' in html
    assert "register-badge register-familier" in html  # the label stays the model's


def test_a_result_without_a_finish_time_leaves_out_the_total_time(
    member_client: Client, user: User
):
    submission = _done(user)
    Submission.objects.filter(pk=submission.pk).update(finished_at=None)

    html = member_client.get(
        reverse("annotation:submission_detail", args=[submission.public_id])
    ).content.decode()

    assert "None ms" not in html
    assert "De l\u2019envoi au résultat" not in html


@pytest.mark.parametrize(
    ("labels", "mixed"),
    [
        (["neutre"], False),
        (["soutenu", "soutenu", "neutre"], False),
        (["soutenu", "familier"], True),  # both ends of the scale
        (["soutenu", "neutre", "neutre", "neutre", "familier"], True),
        (["soutenu", "neutre"], True),  # no majority
        (["familier", "familier", "neutre"], False),
    ],
)
def test_mixed_means_both_ends_of_the_scale_or_no_majority(labels: list[str], mixed: bool):
    prediction = PredictionFactory.build(
        label="neutre",
        top_label="neutre",
        scores={"soutenu": 0.2, "neutre": 0.6, "familier": 0.2},
        sentences=[_sentence(0, 1, label, []) for label in labels],
    )

    verdict = verdict_for(prediction)

    assert verdict.mixed is mixed
    assert verdict.sentence_total == len(labels)
    assert sum(n for _, n in verdict.sentence_counts) == len(labels)
