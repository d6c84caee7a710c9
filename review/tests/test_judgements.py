"""Judging: accept, reject or relabel; one judgement per reviewer; the majority decides."""

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from annotation.tests.api_fixtures import api_error_text
from review.models import Judgement, ReviewItem
from review.services import judgement_record
from review.tests.conftest import english_client, make_reviewer
from review.tests.factories import feedback_item, uncertain_item

pytestmark = pytest.mark.django_db


def _judge(client: Client, item: ReviewItem, **payload: Any) -> Any:
    """A click or a key in the review queue: the API, with the reviewer's session."""
    return client.post(
        reverse("api:review-item-judgement", args=[item.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_accept_takes_the_suggested_register(user: User, reviewer: User) -> None:
    item = feedback_item(user, label="soutenu")

    judgement = judgement_record(item=item, reviewer=reviewer, decision="accept")

    item.refresh_from_db()
    assert (judgement.decision, judgement.label) == ("accept", "soutenu")
    assert (item.status, item.final_label) == ("decided", "soutenu")
    assert item.decided_at is not None
    assert item.is_correction


def test_reject_keeps_the_models_register(user: User, reviewer: User) -> None:
    item = feedback_item(user, label="soutenu")

    judgement_record(item=item, reviewer=reviewer, decision="reject")

    item.refresh_from_db()
    assert item.final_label == "familier"
    assert item.is_correction  # a confirmed label from feedback is a training row too


def test_relabel_takes_the_reviewers_register(user: User, reviewer: User) -> None:
    item = feedback_item(user, label="soutenu")

    judgement_record(item=item, reviewer=reviewer, decision="relabel", label="neutre")

    item.refresh_from_db()
    assert item.final_label == "neutre"


def test_relabel_needs_a_register_and_decisions_are_known(user: User, reviewer: User) -> None:
    item = feedback_item(user)

    with pytest.raises(ValidationError, match="Pick the register to relabel with"):
        judgement_record(item=item, reviewer=reviewer, decision="relabel")
    with pytest.raises(ValidationError, match="Unknown decision"):
        judgement_record(item=item, reviewer=reviewer, decision="maybe")
    assert not Judgement.objects.exists()


def test_accepting_an_uncertain_item_confirms_the_models_top_register(
    user: User, reviewer: User
) -> None:
    item = uncertain_item(user, top_label="familier")

    judgement_record(item=item, reviewer=reviewer, decision="accept")

    item.refresh_from_db()
    assert item.final_label == "familier"
    assert not item.is_correction  # the model was right: nothing to learn


def test_a_second_judgement_by_the_same_reviewer_replaces_the_first(
    user: User, reviewer: User
) -> None:
    item = feedback_item(user, label="soutenu")
    judgement_record(item=item, reviewer=reviewer, decision="accept")

    judgement_record(item=item, reviewer=reviewer, decision="relabel", label="neutre")

    assert Judgement.objects.get().label == "neutre"
    item.refresh_from_db()
    assert item.final_label == "neutre"


def test_the_majority_decides_and_a_tie_keeps_the_earlier(
    user: User, reviewer: User, second_reviewer: User
) -> None:
    item = feedback_item(user, label="soutenu")
    third = make_reviewer()
    judgement_record(item=item, reviewer=reviewer, decision="accept")  # soutenu
    judgement_record(item=item, reviewer=second_reviewer, decision="reject")  # familier
    item.refresh_from_db()
    decided_at = item.decided_at
    assert item.final_label == "soutenu"  # 1 against 1: the first judgement stands

    judgement_record(item=item, reviewer=third, decision="reject")  # familier

    item.refresh_from_db()
    assert item.final_label == "familier"
    assert item.decided_at is not None
    assert decided_at is not None
    assert item.decided_at > decided_at


def test_the_endpoint_judges_and_says_what_was_decided(user: User, reviewer_client: Client) -> None:
    item = feedback_item(user, label="soutenu")
    uncertain_item(user)  # still waiting: in the counts

    response = _judge(reviewer_client, item, decision="relabel", label="neutre")

    assert response.status_code == 200
    assert response.json() == {
        "item": item.pk,
        "decision": "relabel",
        "label": "neutre",
        "status": "decided",
        "final_label": "neutre",
        "judgements": 1,
        "message": "Relabel: neutre. Decided register: neutre.",
        # The queue's counts after it, for the page's tabs.
        "counts": {"open": 1, "flags": 0, "uncertain": 1, "decided": 1},
    }


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"decision": "maybe"}, '"maybe" is not a valid choice.'),
        ({"decision": "relabel"}, "Pick the register to relabel with"),
        ({"decision": "relabel", "label": "poli"}, '"poli" is not a valid choice.'),
        ({"decision": 3}, '"3" is not a valid choice.'),
        ({}, "This field is required."),
    ],
)
def test_the_endpoint_refuses_bad_input_with_aapi_error_text(
    user: User, reviewer_client: Client, payload: dict[str, Any], message: str
) -> None:
    item = feedback_item(user)

    response = _judge(reviewer_client, item, **payload)

    assert response.status_code == 400
    assert message in api_error_text(response)
    assert not Judgement.objects.exists()


def test_members_cannot_judge_and_unknown_items_are_404(
    user: User, reviewer_client: Client
) -> None:
    item = feedback_item(user)

    assert _judge(english_client(user), item, decision="accept").status_code == 403
    assert _judge(english_client(), item, decision="accept").status_code == 401
    page = reverse("review:judgement_create", args=[item.pk])
    assert english_client(user).post(page, {"decision": "accept"}).status_code == 403
    assert english_client().post(page, {"decision": "accept"}).status_code == 302
    missing = reverse("review:judgement_create", args=[item.pk + 1000])
    assert reviewer_client.post(missing, {"decision": "accept"}).status_code == 404
    assert (
        _judge(reviewer_client, ReviewItem(pk=item.pk + 1000), decision="accept").status_code == 404
    )
    assert not Judgement.objects.exists()


def test_without_javascript_the_buttons_post_and_come_back(
    user: User, reviewer_client: Client
) -> None:
    item = feedback_item(user, label="soutenu")
    url = reverse("review:judgement_create", args=[item.pk])
    back = reverse("review:queue") + "?view=decided"

    response = reviewer_client.post(url, {"relabel": "neutre", "next": back})
    offsite = reviewer_client.post(url, {"decision": "accept", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == back
    assert offsite["Location"] == reverse("review:queue")
    assert Judgement.objects.get().label == "soutenu"


BULK = reverse("api:review-judgements")


def _bulk(client: Client, payload: Any) -> Any:
    return client.post(BULK, data=json.dumps(payload), content_type="application/json")


def test_several_items_at_once_each_with_its_outcome(user: User, reviewer_client: Client) -> None:
    flag = feedback_item(user, label="soutenu")
    unsure = uncertain_item(user, top_label="familier")
    missing = unsure.pk + 1000

    response = _bulk(
        reviewer_client,
        {
            "judgements": [
                {"item": flag.pk, "decision": "relabel", "label": "neutre"},
                {"item": missing, "decision": "relabel", "label": "neutre"},
                {"item": unsure.pk, "decision": "reject"},
            ]
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert [(row["item"], row["status"]) for row in body["results"]] == [
        (flag.pk, 200),
        (missing, 404),
        (unsure.pk, 200),
    ]
    assert body["results"][0]["result"]["final_label"] == "neutre"
    assert body["results"][1]["errors"] == {"item": ["No such review item."]}
    message = body["results"][2]["result"]["message"]
    assert message == "Reject: familier. Decided register: familier."
    assert body["counts"] == {"open": 0, "flags": 0, "uncertain": 0, "decided": 2}
    assert sorted(Judgement.objects.values_list("item_id", "label")) == [
        (flag.pk, "neutre"),
        (unsure.pk, "familier"),
    ]


def test_a_refused_judgement_in_a_batch_leaves_the_others_recorded(
    user: User, reviewer_client: Client
) -> None:
    first, second = feedback_item(user), feedback_item(user)

    response = _bulk(
        reviewer_client,
        {
            "judgements": [
                {"item": first.pk, "decision": "relabel"},  # no register: the service refuses
                {"item": second.pk, "decision": "accept"},
            ]
        },
    )

    assert response.status_code == 200
    first_outcome, second_outcome = response.json()["results"]
    assert first_outcome["status"] == 400
    assert "Pick the register to relabel with" in first_outcome["errors"]["label"][0]
    assert second_outcome["status"] == 200
    assert list(Judgement.objects.values_list("item_id", flat=True)) == [second.pk]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "This field is required."),
        ({"judgements": []}, "This list may not be empty."),
        ({"judgements": "all"}, "Expected a list of items"),
        ({"judgements": [{"decision": "accept"}]}, "This field is required."),
        ({"judgements": [{"item": 1, "decision": "maybe"}]}, '"maybe" is not a valid choice.'),
        (
            {"judgements": [{"item": 1, "decision": "accept"}] * 2},
            "Each item may be judged once per request.",
        ),
        (
            {"judgements": [{"item": n, "decision": "accept"} for n in range(1, 102)]},
            "Ensure this field has no more than 100 elements.",
        ),
    ],
)
def test_a_malformed_batch_is_a_400_and_records_nothing(
    user: User, reviewer_client: Client, payload: Any, message: str
) -> None:
    feedback_item(user)

    response = _bulk(reviewer_client, payload)

    assert response.status_code == 400
    assert message in api_error_text(response)
    assert not Judgement.objects.exists()


def test_only_reviewers_judge_in_bulk(user: User) -> None:
    item = feedback_item(user)
    payload = {"judgements": [{"item": item.pk, "decision": "accept"}]}

    assert _bulk(english_client(user), payload).status_code == 403
    assert _bulk(english_client(), payload).status_code == 401
    assert not Judgement.objects.exists()
