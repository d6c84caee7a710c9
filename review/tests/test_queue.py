"""The review page: who may see it, what each item shows, the decided list, the agreement."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from accounts.services import user_set_role
from review.models import ReviewItem
from review.services import feedback_submit, judgement_record
from review.tests.conftest import english_client
from review.tests.factories import feedback_item, text_submission, uncertain_item

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")


def test_members_get_a_403_and_anonymous_people_a_login(owner_client: Client) -> None:
    assert owner_client.get(QUEUE).status_code == 403
    response = english_client().get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reviewers_and_administrators_get_the_page(
    reviewer_client: Client, other_user: User
) -> None:
    user_set_role(user=other_user, role=ADMINISTRATOR, acting_user=None)

    assert reviewer_client.get(QUEUE).status_code == 200
    assert english_client(other_user).get(QUEUE).status_code == 200


def test_the_nav_shows_review_to_reviewers_only(
    reviewer_client: Client, owner_client: Client
) -> None:
    assert f'href="{QUEUE}"' in reviewer_client.get(reverse("home")).content.decode()
    assert f'href="{QUEUE}"' not in owner_client.get(reverse("home")).content.decode()


def test_open_items_oldest_first_with_what_a_reviewer_needs(
    user: User, reviewer_client: Client
) -> None:
    older = uncertain_item(user)
    ReviewItem.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    submission = text_submission(user)
    feedback_submit(
        user=user,
        prediction=submission.current_prediction,  # type: ignore[arg-type]
        sentence_index=1,
        kind="register",
        suggested_label="neutre",
        comment="Juste une question.",
    )
    newer = ReviewItem.objects.get(sentence_index=1)

    page = reviewer_client.get(QUEUE)

    cards = [card.item for card in page.context["cards"]]
    assert cards == [older, newer]
    html = page.content.decode()
    assert html.index(f'id="item-{older.pk}"') < html.index(f'id="item-{newer.pk}"')
    # The sentence is highlighted inside its context, with the model's scores and the feedback.
    assert '<mark class="review-target">T&#x27;as vu le match hier soir ?</mark>' in html
    assert "Je vous prie d&#x27;agréer mes salutations." in html
    assert "soutenu 10 % · neutre 20 % · familier 70 %" in html
    assert "“Juste une question.”" in html
    assert f"/relecture/elements/{newer.pk}/jugement/" in html
    assert "Accept → neutre" in html
    assert "shown as neutre: the model hesitated" in html  # the uncertain one
    for shortcut in ("<kbd>a</kbd>", "<kbd>r</kbd>", "<kbd>1</kbd>", "<kbd>j</kbd>"):
        assert shortcut in html
    assert "js/review.js" in html
    assert "To review (2)" in html


def test_decided_items_leave_the_queue_and_can_be_judged_again(
    user: User, reviewer: User, reviewer_client: Client, second_reviewer: User
) -> None:
    item = feedback_item(user)
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    second = english_client(second_reviewer)

    assert reviewer_client.get(QUEUE).context["cards"] == []
    mine = reviewer_client.get(QUEUE, {"view": "decided"}).context["cards"]
    not_mine = second.get(QUEUE, {"view": "decided"}).context["cards"]
    single = second.get(QUEUE, {"view": "decided", "filter": "single"}).context["cards"]
    assert mine == []  # the default filter: items not judged by me
    assert [card.item for card in not_mine] == [item]
    assert [card.item for card in single] == [item]

    judgement_record(item=item, reviewer=second_reviewer, decision="reject")

    disagreement = second.get(QUEUE, {"view": "decided", "filter": "disagreement"})
    everything = second.get(QUEUE, {"view": "decided", "filter": "all"})
    assert [card.item for card in disagreement.context["cards"]] == [item]
    assert [card.mine.label for card in everything.context["cards"]] == ["familier"]
    assert "You judged: familier." in everything.content.decode()


def test_the_agreement_section_shows_cohen_and_fleiss_kappa(
    user: User, reviewer: User, second_reviewer: User, reviewer_client: Client
) -> None:
    # Alice says s, n, f, f; Bruno says s, n, f, s. p_o = 3/4; p_e = (1·2 + 1·1 + 2·1) / 16;
    # κ = (0.75 - 0.3125) / 0.6875 = 0.636…
    for alice, bruno in [
        ("soutenu",) * 2,
        ("neutre",) * 2,
        ("familier",) * 2,
        ("familier", "soutenu"),
    ]:
        item = feedback_item(user, label="neutre")
        judgement_record(item=item, reviewer=reviewer, decision="relabel", label=alice)
        judgement_record(item=item, reviewer=second_reviewer, decision="relabel", label=bruno)
    feedback_item(user)  # judged by nobody: left out

    html = reviewer_client.get(QUEUE).content.decode()

    agreement = html[html.index('id="agreement-heading"') :]
    assert "4 items judged by two reviewers or more; 1 with a disagreement." in agreement
    assert "Alice · Bruno</td><td>4</td><td>κ = 0.64" in agreement
    # Fleiss: P̄ = 3/4; shares s 3/8, n 2/8, f 3/8, P_e = 22/64; κ = (48 - 22) / (64 - 22) = 0.619…
    assert "Fleiss' kappa, all reviewers: <strong>κ = 0.62</strong>" in agreement
    assert "on 4 items judged by exactly 2 reviewers each" in agreement


def test_no_agreement_yet_says_how_to_get_one(reviewer_client: Client) -> None:
    html = reviewer_client.get(QUEUE).content.decode()

    assert "No item has been judged by two reviewers yet." in html
