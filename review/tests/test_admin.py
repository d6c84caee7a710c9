"""The review models in the admin, and the roles' review permissions."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import ADMINISTRATOR, MEMBER, REVIEWER
from review.models import Judgement, ReviewItem
from review.services import correction_set_create, judgement_record
from review.tests.factories import feedback_item

pytestmark = pytest.mark.django_db


def test_roles_have_the_review_permissions() -> None:
    permissions = {
        group.name: set(
            group.permissions.filter(content_type__app_label="review").values_list(
                "codename", flat=True
            )
        )
        for group in Group.objects.all()
    }
    assert permissions[MEMBER] == set()
    assert {
        "review_items",
        "view_reviewitem",
        "change_reviewitem",
        "add_judgement",
        "view_feedback",
        "add_correctionset",
        "view_correctionset",
    } <= permissions[REVIEWER]
    assert "delete_reviewitem" not in permissions[REVIEWER]
    assert {"review_items", "delete_reviewitem", "delete_feedback"} <= permissions[ADMINISTRATOR]


def test_admin_lists_review_models_with_filters_and_search(
    admin_client: Client, user: User, reviewer: User
) -> None:
    item = feedback_item(user, label="soutenu", comment="Trop poli pour être familier.")
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    correction_set_create(created_by=reviewer)

    pages = [
        ("admin:review_feedback_changelist", {"q": "Trop poli", "kind__exact": "register"}),
        ("admin:review_reviewitem_changelist", {"status__exact": "decided", "q": "agréer"}),
        ("admin:review_correctionset_changelist", {}),
    ]
    for name, query in pages:
        response = admin_client.get(reverse(name), query)
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1, name
    detail = admin_client.get(reverse("admin:review_reviewitem_change", args=[item.pk]))
    assert detail.status_code == 200
    assert "Alice" in detail.content.decode() or reviewer.email in detail.content.decode()


def test_admin_actions_judge_as_the_staff_member(
    admin_client: Client, admin_user: User, user: User
) -> None:
    item = feedback_item(user, label="soutenu")

    admin_client.post(
        reverse("admin:review_reviewitem_changelist"),
        {"action": "reject_selected", "_selected_action": [item.pk]},
    )

    judgement = Judgement.objects.get()
    assert (judgement.reviewer, judgement.decision, judgement.label) == (
        admin_user,
        "reject",
        "familier",
    )
    assert ReviewItem.objects.get().final_label == "familier"
