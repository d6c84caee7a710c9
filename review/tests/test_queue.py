"""The review page: who may see it, what each item shows, the decided list, the agreement."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from accounts.services import user_set_role
from annotation.models import AudioRecording
from review.models import ReviewItem
from review.services import feedback_submit, judgement_record
from review.tests.conftest import english_client
from review.tests.factories import (
    audio_submission,
    feedback_item,
    text_submission,
    uncertain_item,
)
from review.views.queue import PAGE_ITEMS

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


def test_flags_first_then_uncertain_items_with_what_a_reviewer_needs(
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
    flag = ReviewItem.objects.get(sentence_index=1)

    page = reviewer_client.get(QUEUE)

    cards = [card.item for card in page.context["cards"]]
    assert cards == [flag, older]  # the flag first, though the uncertain item is older
    html = page.content.decode()
    assert html.index(f'id="item-{flag.pk}"') < html.index(f'id="item-{older.pk}"')
    # The sentence is highlighted inside its context, with the model's scores and the feedback.
    assert '<mark class="review-target">T&#x27;as vu le match hier soir ?</mark>' in html
    assert "Je vous prie d&#x27;agréer mes salutations." in html
    assert "soutenu 10\u202f% · neutre 20\u202f% · familier 70\u202f%" in html
    assert "“Juste une question.”" in html
    assert f"/relecture/elements/{flag.pk}/jugement/" in html
    # A flag is upheld or dismissed; an uncertain item gets the three registers, not two
    # buttons that do the same thing.
    assert "Uphold the flag → neutre" in html
    assert "Dismiss the flag → familier" in html
    uncertain = html[html.index(f'id="item-{older.pk}"') :]
    assert "Uphold the flag" not in uncertain
    assert 'data-decision="reject"' not in uncertain
    assert 'familier <span class="small">(model\u2019s guess)</span>' in uncertain
    assert "shown as neutre: the model hesitated" in html  # the uncertain one
    assert "informativeness 0." in uncertain
    for key in "ar1jx":
        assert f"<kbd>{key}</kbd>" in html
    assert "js/review.js" in html
    assert 'To review (<span data-count="open">2</span>)' in html
    assert '<span data-count="flags">1</span> waiting' in html
    assert '<span data-count="uncertain">1</span> waiting' in html


def test_uncertain_items_by_informativeness_not_age(user: User, reviewer_client: Client) -> None:
    # The oldest is nearly sure of itself; the newest cannot choose between two registers.
    sure = uncertain_item(user)
    ReviewItem.objects.filter(pk=sure.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    sure.prediction.scores = {"soutenu": 0.05, "neutre": 0.1, "familier": 0.85}
    sure.prediction.save()
    torn = uncertain_item(user)
    torn.prediction.scores = {"soutenu": 0.05, "neutre": 0.47, "familier": 0.48}
    torn.prediction.save()

    cards = reviewer_client.get(QUEUE).context["cards"]

    assert [card.item for card in cards] == [torn, sure]
    assert cards[0].informativeness > cards[1].informativeness


def test_the_queue_is_paginated(user: User, reviewer_client: Client) -> None:
    items = [uncertain_item(user) for _ in range(PAGE_ITEMS + 1)]

    first = reviewer_client.get(QUEUE)
    second = reviewer_client.get(QUEUE, {"page": 2})

    assert len(first.context["cards"]) == PAGE_ITEMS
    assert len(second.context["cards"]) == 1
    shown = {card.item for card in first.context["cards"]} | {second.context["cards"][0].item}
    assert shown == set(items)
    assert "Page 1 of 2" in first.content.decode()


def test_a_segment_item_plays_its_span_of_the_recording_while_it_is_kept(
    user: User, reviewer_client: Client, owner_client: Client
) -> None:
    submission = audio_submission(user, ["Bonjour à tous.", "Ouais, c'est ça."])
    recording = AudioRecording.objects.create(
        submission=submission,
        file=SimpleUploadedFile("voice.wav", b"RIFF0000WAVE"),
        source="upload",
        size_bytes=12,
        duration_s=4.0,
        container="wav",
        codec="pcm",
    )
    segment = submission.transcript.segments.get(index=1)
    feedback_submit(
        user=user,
        prediction=segment.current_prediction,  # type: ignore[arg-type]
        sentence_index=None,
        kind="register",
        suggested_label="familier",
    )
    item = ReviewItem.objects.get(prediction=segment.current_prediction)
    audio = reverse("review:item_audio", args=[item.pk])

    html = reviewer_client.get(QUEUE).content.decode()

    assert f'<audio controls preload="none" src="{audio}#t=2.00,4.00"' in html
    answer = reviewer_client.get(audio)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"RIFF0000WAVE"  # type: ignore[attr-defined]
    assert owner_client.get(audio).status_code == 403  # reviewers only

    recording.file.delete()
    recording.deleted_at = timezone.now()
    recording.save()

    html = reviewer_client.get(QUEUE).content.decode()
    assert "<audio" not in html
    assert "The recording has been deleted" in html
    assert reviewer_client.get(audio).status_code == 404


def test_decided_items_leave_the_queue_and_can_be_judged_again(
    user: User, reviewer: User, reviewer_client: Client, second_reviewer: User
) -> None:
    item = feedback_item(user)
    judgement_record(item=item, reviewer=reviewer, decision="accept")
    second = english_client(second_reviewer)

    assert reviewer_client.get(QUEUE).context["cards"] == []
    mine = reviewer_client.get(QUEUE, {"view": "decided"}).context["cards"]
    not_mine_for_me = reviewer_client.get(QUEUE, {"view": "decided", "filter": "not_mine"})
    not_mine = second.get(QUEUE, {"view": "decided", "filter": "not_mine"}).context["cards"]
    single = second.get(QUEUE, {"view": "decided", "filter": "single"}).context["cards"]
    assert [card.item for card in mine] == [item]  # the default: every decided item
    assert not_mine_for_me.context["cards"] == []
    assert [card.item for card in not_mine] == [item]
    assert [card.item for card in single] == [item]

    judgement_record(item=item, reviewer=second_reviewer, decision="reject")

    disagreement = second.get(QUEUE, {"view": "decided", "filter": "disagreement"})
    everything = second.get(QUEUE, {"view": "decided", "filter": "all"})
    assert [card.item for card in disagreement.context["cards"]] == [item]
    assert [card.mine.label for card in everything.context["cards"]] == ["familier"]
    assert "You judged: familier." in everything.content.decode()


def test_the_agreement_section_shows_ordinal_and_nominal_figures(
    user: User, reviewer: User, second_reviewer: User, reviewer_client: Client
) -> None:
    # Alice says s, n, f, f; Bruno says s, n, f, s: their one disagreement is the worst kind.
    # Nominal κ: p_o = 3/4; p_e = (1·2 + 1·1 + 2·1) / 16; κ = (0.75 - 0.3125) / 0.6875 = 0.636…
    # Linear κw (ranks s 0, n 1, f 2; weight |i - j| / 2): observed disagreement 1/4; expected
    # Σ p_i q_j w_ij = 1/2 (marginals 1/4 1/4 1/2 and 1/2 1/4 1/4); κw = 1 - 0.25 / 0.5 = 0.50.
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
    row = agreement[agreement.index("<td>Alice · Bruno</td>") :]
    row = row[: row.index("</tr>")]
    assert '<td data-label="Items judged by both">4</td>' in row
    assert '<td data-label="Weighted kappa (ordinal)">κw = 0.50</td>' in row
    assert """<td data-label="Cohen's kappa (nominal)">κ = 0.64</td>""" in row
    # Krippendorff's alpha (values s 3, n 2, f 3; n = 8; one s/f pair observed). Nominal:
    # 1 - 7·2 / (64 - 22) = 0.667. Ordinal: δ²(s, f) = (8 - 3)² = 25, δ²(s, n) = δ²(n, f) =
    # 2.5² = 6.25; alpha = 1 - 7·(2·25) / (2·(3·2·6.25 + 3·3·25 + 2·3·6.25)) = 1 - 350/600 = 0.417.
    assert "ordinal \u03b1 = 0.42</strong>" in agreement
    assert "nominal \u03b1 = 0.67" in agreement
    assert "(on 4 items, 2 reviewers)" in agreement


def test_no_agreement_yet_says_how_to_get_one(reviewer_client: Client) -> None:
    html = reviewer_client.get(QUEUE).content.decode()

    assert "No item has been judged by two reviewers yet." in html
