"""The loop as people live it: a member flags a label, a reviewer decides, staff snapshot it."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from review.models import CorrectionSet, ReviewItem
from review.tests.factories import SECOND, TEXT, text_submission

pytestmark = pytest.mark.django_db


def test_feedback_then_review_then_snapshot_then_export(
    user: User, owner_client: Client, reviewer_client: Client
) -> None:
    submission = text_submission(user)
    # The page's script sends both through the API, with the person's session.
    sent = owner_client.post(
        reverse("api:feedback-list"),
        data=json.dumps(
            {
                "prediction": submission.current_prediction_id,
                "sentence_index": 1,
                "kind": "register",
                "suggested_label": "neutre",
                "comment": "Pas si familier.",
            }
        ),
        content_type="application/json",
    )
    assert sent.status_code == 201

    queue = reviewer_client.get(reverse("review:queue"))
    [card] = queue.context["cards"]
    assert (card.text, card.accept_label, card.comments[0].comment) == (
        TEXT[SECOND:],
        "neutre",
        "Pas si familier.",
    )
    judged = reviewer_client.post(
        reverse("api:review-item-judgement", args=[card.item.pk]),
        data=json.dumps({"decision": "accept"}),
        content_type="application/json",
    )
    assert judged.json()["final_label"] == "neutre"
    assert reviewer_client.get(reverse("review:queue")).context["cards"] == []

    reviewer_client.post(reverse("review:correction_set_create"))
    snapshot = CorrectionSet.objects.get()
    out = io.StringIO()
    call_command("export_corrections", "--format", "jsonl", stdout=out, stderr=io.StringIO())

    [row] = [json.loads(line) for line in out.getvalue().splitlines()]
    item = ReviewItem.objects.get()
    assert row == {
        "text": "T'as vu le match hier soir ?",
        "label": "neutre",
        "model_label": "familier",
        "item": item.pk,
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
    }
    assert snapshot.rows == [{**row}]
