"""The rejected-predictions alert: fires above the threshold only, e-mails once per window."""

import datetime
from typing import Any

import pytest
from celery import current_app as celery_app
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Prediction
from monitoring.models import Alert
from monitoring.services import alert_check, alert_recipients, alert_window
from monitoring.tasks import alert_check_task
from review.models import Feedback

from .conftest import english_client
from .helpers import feedback_on, finished_job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("administrator")]


@pytest.fixture(autouse=True)
def _alert_settings(settings: Any) -> None:
    settings.PARLURE_ALERT_REJECTIONS = 5
    settings.PARLURE_ALERT_WINDOW_MINUTES = 5
    settings.ADMINS = []


def rejections(count: int, *, minutes_ago: float = 1, kind: str = "register") -> list[Feedback]:
    """``count`` people each saying a label is wrong, ``minutes_ago`` minutes ago."""
    made = []
    for _ in range(count):
        person = UserFactory.create()
        prediction = finished_job(user=person).current_prediction
        assert isinstance(prediction, Prediction)
        made.append(feedback_on(prediction, person, kind=kind))
    Feedback.objects.filter(pk__in=[f.pk for f in made]).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return made


def test_no_alert_at_the_threshold() -> None:
    rejections(5)
    assert alert_check() is None
    assert not Alert.objects.exists()
    assert mail.outbox == []


def test_the_alert_fires_above_the_threshold_and_mails_the_administrators_once(
    administrator: User,
) -> None:
    superuser = UserFactory.create(email="root@example.org", is_superuser=True, is_staff=True)
    rejections(6)
    alert = alert_check()
    assert alert is not None
    assert (alert.kind, alert.count, alert.threshold) == ("rejections", 6, 5)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([administrator.email, superuser.email])
    assert "6" in message.subject
    assert "/suivi/" in message.body
    # Checked again (beat every minute, and each staff page): the same alert, no second e-mail.
    assert alert_check() == alert
    assert alert_check_task() is True
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert alert.emailed_at is not None
    assert alert.recipients == 2


def test_old_feedback_and_transcript_feedback_do_not_count() -> None:
    rejections(4, minutes_ago=1)
    rejections(10, minutes_ago=6)  # before the window
    rejections(3, minutes_ago=1, kind="transcript")  # a transcript, not a label
    assert alert_check() is None
    assert mail.outbox == []


def test_one_alert_per_window_then_a_new_one_if_the_spike_goes_on() -> None:
    rejections(6, minutes_ago=0.5)
    now = timezone.now()
    first = alert_check(now=now)
    assert first is not None
    # Within the same window: nothing new.
    assert alert_check(now=now + datetime.timedelta(minutes=4)) == first
    # Five minutes later, more rejections: a second alert, in the next window, and its e-mail.
    rejections(7, minutes_ago=-3)
    later = now + datetime.timedelta(minutes=6)
    second = alert_check(now=later)
    assert second is not None
    assert second != first
    assert second.window_start == alert_window(later)[0]
    assert len(mail.outbox) == 2


def test_windows_are_aligned_on_their_length() -> None:
    moment = datetime.datetime(2026, 5, 4, 10, 7, 31, tzinfo=datetime.UTC)
    start, end = alert_window(moment)
    assert start == datetime.datetime(2026, 5, 4, 10, 5, tzinfo=datetime.UTC)
    assert end - start == datetime.timedelta(minutes=5)


def test_recipients_are_administrators_with_an_address(administrator: User) -> None:
    UserFactory.create()  # a member
    UserFactory.create(email="old-admin@example.org", is_superuser=True, is_active=False)
    with override_settings(ADMINS=[("Ops", "ops@example.org")]):
        assert alert_recipients() == sorted([administrator.email, "ops@example.org"])


def test_the_banner_shows_for_staff_only(staff: User, user: User) -> None:
    rejections(6)
    assert 'class="alert-banner"' not in english_client(staff).get("/").content.decode()
    assert mail.outbox == []  # pages only read: beat raises the alert

    alert_check_task()
    page = english_client(staff).get("/").content.decode()
    assert 'class="alert-banner"' in page
    assert "6 predictions were reported wrong in 5 minutes" in page
    assert len(mail.outbox) == 1  # beat's check raised it, and mailed once
    english_client(staff).get("/")
    assert len(mail.outbox) == 1
    assert 'class="alert-banner"' not in english_client(user).get("/").content.decode()


def test_no_banner_without_a_spike(staff: User) -> None:
    rejections(2)
    page = english_client(staff).get("/").content.decode()
    assert 'class="alert-banner"' not in page
    assert 'href="/suivi/"' in page  # the staff nav link


def test_beat_checks_every_minute() -> None:
    entry = celery_app.conf.beat_schedule["monitoring-alert-check"]
    assert entry["task"] == "monitoring.tasks.alert_check_task"
    assert entry["schedule"] == 60
    assert celery_app.conf.task_routes["monitoring.tasks.alert_check_task"] == {"queue": "nlp"}
