import datetime
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory, done_submission

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client: Client) -> None:
    for url in [
        reverse("annotation:submission_new"),
        reverse("annotation:submission_list"),
        reverse("annotation:submission_detail", args=[uuid.uuid4()]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_submitting_a_text_stores_it_and_shows_its_page(member_client: Client, user: User) -> None:
    form = member_client.get(reverse("annotation:submission_new"))
    token = form.context["form"].initial["client_token"]
    response = member_client.post(
        reverse("annotation:submission_new"),
        {"text": "Wesh, t'as vu ce truc de ouf ?", "client_token": token},
    )
    submission = Submission.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "annotation:submission_detail", args=[submission.public_id]
    )
    page = member_client.get(response["Location"])
    assert page.status_code == 200
    assert "Wesh, t&#x27;as vu ce truc de ouf ?" in page.content.decode()
    assert "data-status-url" in page.content.decode()


def test_a_double_click_creates_one_submission(member_client: Client, user: User) -> None:
    data = {"text": "Bonjour à tous.", "client_token": str(uuid.uuid4())}
    first = member_client.post(reverse("annotation:submission_new"), data)
    second = member_client.post(reverse("annotation:submission_new"), data)
    assert first["Location"] == second["Location"]
    assert Submission.objects.filter(user=user).count() == 1


def test_an_empty_text_gets_a_clear_message(member_client: Client) -> None:
    response = member_client.post(reverse("annotation:submission_new"), {"text": "   "})
    assert response.status_code == 400
    assert "Saisissez ou collez un texte à annoter." in response.content.decode()
    assert not Submission.objects.exists()


@override_settings(PARLURE_TEXT_MAX_CHARS=50)
def test_an_overlong_text_gets_a_clear_message(member_client: Client) -> None:
    response = member_client.post(reverse("annotation:submission_new"), {"text": "é" * 51})
    assert response.status_code == 400
    assert "51" in response.content.decode()
    assert "50" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_default_limit_is_20000_characters(member_client: Client, user: User) -> None:
    over = member_client.post(reverse("annotation:submission_new"), {"text": "a" * 20_001})
    assert over.status_code == 400
    at = member_client.post(reverse("annotation:submission_new"), {"text": "a" * 20_000})
    assert at.status_code == 302


def test_the_text_box_does_not_cut_a_long_paste_but_counts_against_the_limit(
    member_client: Client,
) -> None:
    # A maxlength attribute would make the browser cut a 25,000-character paste to 20,000 and
    # send the cut text without a word; the page counts instead and the server refuses.
    page = member_client.get(reverse("annotation:submission_new")).content.decode()

    textarea = page[page.index("<textarea") : page.index("</textarea>")]
    assert "maxlength" not in textarea
    assert 'data-limit="20000"' in page
    assert "caractères de trop" in page
    refused = member_client.post(reverse("annotation:submission_new"), {"text": "a" * 25_000})
    assert refused.status_code == 400
    assert "25000" in refused.content.decode() or "25 000" in refused.content.decode()
    assert not Submission.objects.exists()


def test_the_result_endpoint_returns_the_rendered_result(member_client: Client, user: User) -> None:
    submission = done_submission(user=user, label="familier")
    response = member_client.get(
        reverse("annotation:submission_result", args=[submission.public_id])
    )
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "register-familier" in html
    assert "<strong>familier</strong>" in html
    assert "test-version" in html


def test_a_running_jobs_page_polls_the_api_status_and_fetches_its_result_as_html(
    member_client: Client, user: User
) -> None:
    running = SubmissionFactory.create(user=user, status=Submission.Status.CLASSIFYING)
    done = done_submission(user=user)

    running_page = member_client.get(
        reverse("annotation:submission_detail", args=[running.public_id])
    ).content.decode()
    done_page = member_client.get(
        reverse("annotation:submission_detail", args=[done.public_id])
    ).content.decode()

    assert f'data-status-url="/api/v1/submissions/{running.public_id}/status/"' in running_page
    assert f'data-result-url="/soumissions/{running.public_id}/resultat/"' in running_page
    assert '"classifying": "classification"' in running_page  # the labels the poll announces
    assert "data-status-url" not in done_page


def test_a_failed_job_shows_its_reason(member_client: Client, user: User) -> None:
    submission = SubmissionFactory.create(
        user=user,
        status=Submission.Status.FAILED,
        failure_reason="The job took longer than its time limit and was stopped.",
    )
    page = member_client.get(reverse("annotation:submission_detail", args=[submission.public_id]))
    assert "Le traitement a dépassé sa limite de temps et a été arrêté." in page.content.decode()


def test_someone_elses_submission_is_not_found_everywhere(
    member_client: Client, other_user: User
) -> None:
    theirs = done_submission(user=other_user)
    for name, method in [
        ("annotation:submission_detail", "get"),
        ("annotation:submission_result", "get"),
        ("annotation:submission_remove", "post"),
    ]:
        url = reverse(name, args=[theirs.public_id])
        assert getattr(member_client, method)(url).status_code == 404, name
    assert Submission.objects.filter(pk=theirs.pk).exists()
    listing = member_client.get(reverse("annotation:submission_list"))
    assert str(theirs.public_id) not in listing.content.decode()


def test_an_unknown_or_malformed_id_is_not_found(member_client: Client) -> None:
    assert member_client.get(f"/soumissions/{uuid.uuid4()}/").status_code == 404
    assert member_client.get("/soumissions/not-a-uuid/").status_code == 404
    assert member_client.get("/soumissions/123/resultat/").status_code == 404


def test_the_list_filters_by_register_and_date(member_client: Client, user: User) -> None:
    formal = done_submission(user=user, label="soutenu")
    casual = done_submission(user=user, label="familier")
    old = done_submission(user=user, label="familier")
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    url = reverse("annotation:submission_list")

    def listed(**params: str) -> set[str]:
        response = member_client.get(url, params)
        assert response.status_code == 200
        return {str(s.public_id) for s in response.context["page"].object_list}

    everything = {str(s.public_id) for s in (formal, casual, old)}
    assert listed() == everything
    assert listed(label="familier") == {str(casual.public_id), str(old.public_id)}
    today = timezone.localdate().isoformat()
    assert listed(label="familier", date_from=today) == {str(casual.public_id)}
    assert listed(date_to=(timezone.localdate() - datetime.timedelta(days=1)).isoformat()) == {
        str(old.public_id)
    }


def test_invalid_filters_are_a_400_not_a_crash(member_client: Client) -> None:
    response = member_client.get(
        reverse("annotation:submission_list"), {"label": "royal", "date_from": "yesterday"}
    )
    assert response.status_code == 400


def test_the_list_is_paginated(member_client: Client, user: User) -> None:
    SubmissionFactory.create_batch(25, user=user)
    first = member_client.get(reverse("annotation:submission_list"))
    second = member_client.get(reverse("annotation:submission_list"), {"page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    beyond = member_client.get(reverse("annotation:submission_list"), {"page": 99})
    assert beyond.status_code == 200


def test_deleting_ones_own_submission(member_client: Client, user: User) -> None:
    submission = done_submission(user=user)
    response = member_client.post(
        reverse("annotation:submission_remove", args=[submission.public_id])
    )
    assert response.status_code == 302
    assert not Submission.objects.filter(pk=submission.pk).exists()


def test_admin_lists_submissions_and_exports_csv(admin_client: Client, user: User) -> None:
    submission = done_submission(user=user, label="neutre")
    changelist = reverse("admin:annotation_submission_changelist")
    response = admin_client.get(changelist, {"current_prediction__label": "neutre"})
    assert response.status_code == 200
    assert "Je vous prie d&#x27;agréer" in response.content.decode()
    export = admin_client.post(
        changelist, {"action": "export_csv", "_selected_action": [submission.pk]}
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().strip().splitlines()
    assert lines[0].startswith("id,submitted_at,kind,status,text,label")
    assert str(submission.public_id) in lines[1]
    assert ",neutre," in lines[1]
