"""The staff monitoring page /suivi/: access, charts drawn from the data, tables, versions."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import User
from accounts.tests.factories import UserFactory
from annotation.models import Submission
from annotation.tests.factories import SubmissionFactory
from learning.models import ModelVersion
from monitoring import charts, selectors

from .conftest import WorkersSetter, english_client
from .helpers import feedback_on, finished_job

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/suivi/")
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


def test_members_are_refused(member_client: Client) -> None:
    assert member_client.get("/suivi/").status_code == 403


def test_the_page_draws_the_data(user: User, staff: User, workers: WorkersSetter) -> None:
    yesterday = datetime.timedelta(days=1)
    # Yesterday: three texts waiting 1, 2 and 3 s for their result, two soutenu, one familier,
    # and one recording; feedback on one of them. Today: one neutre text.
    for seconds, label in ((1.0, "soutenu"), (2.0, "soutenu"), (3.0, "familier")):
        finished_job(user=user, waited=0.0, took=seconds, label=label, ago=yesterday)
    flagged = finished_job(
        user=user,
        kind=Submission.Kind.AUDIO,
        waited=0.0,
        took=30,
        transcribed_after=25,
        label="neutre",
        ago=yesterday,
    )
    assert flagged.current_prediction is not None
    feedback = feedback_on(flagged.current_prediction, user)
    type(feedback).objects.filter(pk=feedback.pk).update(created_at=timezone.now() - yesterday)
    finished_job(user=user, label="neutre", ago=datetime.timedelta(minutes=5))
    Submission.objects.create(user=user, text="Pas encore fait.")
    workers({"nlp-1@host": ["nlp"]})
    ModelVersion.objects.create(
        version="3",
        name="e5-lora-3",
        is_champion=True,
        gate_decision="promoted",
        gate_reason="macro-F1 0.81 ≥ 0.79",
        metrics={
            "test": {
                "macro_f1": 0.81,
                "f1": {"soutenu": 0.8, "neutre": 0.77, "familier": 0.86},
                "ece": 0.04,
            }
        },
    )
    ModelVersion.objects.create(
        version="2",
        name="e5-lora-2",
        gate_decision="challenger",
        gate_reason="F1 familier dropped by 0.05",
        metrics={"test": {"macro_f1": 0.79}},
    )

    response = english_client(staff).get("/suivi/")
    assert response.status_code == 200
    page = response.content.decode()
    # Six charts, each an accessible SVG with a title and a description.
    charts_drawn = (
        "registers",
        "corrections",
        "latency-text",
        "latency-audio",
        "backlog",
        "versions",
    )
    for chart_id in charts_drawn:
        assert f'<svg class="chart" id="chart-{chart_id}"' in page
        assert f'<title id="chart-{chart_id}-title">' in page
        assert f'aria-labelledby="chart-{chart_id}-title chart-{chart_id}-desc"' in page
    # Registers: yesterday's bar has two soutenu, a familier and a neutre; today's a neutre.
    with translation.override("en"):
        day = date_format(timezone.localdate() - yesterday, "N j")  # "Dec. 5"
    assert re.search(rf"<title>{re.escape(day)} · soutenu: 2</title>", page)
    assert re.search(rf"<title>{re.escape(day)} · familier: 1</title>", page)
    # Correction rate: one feedback for four predictions yesterday.
    assert f"<title>{day} · feedback per 100 predictions: 25</title>" in page
    # Latency: p50 and p95 of 1, 2, 3 s (percentile_cont).
    assert f"<title>{day} · text p50: 2\u00a0s</title>" in page
    assert f"<title>{day} · text p95: 2.9\u00a0s</title>" in page
    assert f"<title>{day} · audio p50: 30\u00a0s</title>" in page
    # Tables under the charts, with the same figures.
    assert page.count('<table class="submissions data-table">') >= 6
    assert "<td>2</td><td>2.9</td><td>3</td>" in page
    # Backlog and workers.
    assert "text jobs queued: 1</title>" in page
    assert "nlp-1@host" in page
    assert "none: jobs on this queue wait" in page  # nobody on asr
    # Model versions with their figures and the gate's reasons.
    assert "e5-lora-3" in page
    assert "e5-lora-2" in page
    assert "0.810" in page
    assert "0.860" in page
    assert "F1 familier dropped by 0.05" in page
    assert 'class="chart-series-champion"' in page


def test_the_page_works_with_no_data(staff_client: Client, workers: WorkersSetter) -> None:
    response = staff_client.get("/suivi/")
    assert response.status_code == 200
    assert "No model version is registered yet." in response.content.decode()


def test_percentiles_without_postgresql_match_it() -> None:
    # The SQLite fallback interpolates as percentile_cont does.
    assert selectors._quantile([1.0, 2.0, 3.0], 0.5) == 2.0
    assert selectors._quantile([1.0, 2.0, 3.0], 0.95) == 2.9
    assert selectors._quantile([4.0], 0.95) == 4.0
    assert selectors._quantile([], 0.5) is None


def test_latency_series_cover_every_day(user: User) -> None:
    finished_job(user=user, waited=0.5, took=1.0, ago=datetime.timedelta(minutes=1))
    series = selectors.latency_percentiles(7)
    assert [len(rows) for rows in series.values()] == [7, 7]
    today = series["text"][-1]
    assert today["day"] == timezone.localdate()
    assert today["p50"] == pytest.approx(1.5)
    assert today["count"] == 1
    assert series["audio"][-1]["p50"] is None


def test_charts_escape_labels_and_scale() -> None:
    svg = charts.stacked_bars(
        chart_id="c",
        title="<script>",
        description="d",
        x_labels=["a", "b"],
        series=[charts.Series("soutenu", "<b>", [3, 0]), charts.Series("neutre", "n", [1, None])],
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2  # zero and missing values draw nothing
    assert ">4</text>" in svg  # the axis tops at 4: four steps of 1
    assert charts.nice_ceiling(0) == 1.0
    assert charts.nice_ceiling(7) == 10
    assert charts.nice_ceiling(0.42) == 0.5
    assert charts.nice_ceiling(130) == 200
    assert charts.axis_top(7) == 8
    assert charts.axis_top(130) == 200
    line = charts.lines(
        chart_id="l",
        title="t",
        description="d",
        x_labels=["a", "b", "c"],
        series=[charts.Series("rate", "r", [1.0, None, 2.0])],
    )
    assert line.count(" M") + line.count('d="M') == 2  # the gap starts a new stroke


def test_the_monitoring_link_is_for_staff_only(user: User, staff: User) -> None:
    assert 'href="/suivi/"' in english_client(staff).get("/").content.decode()
    assert 'href="/suivi/"' not in english_client(user).get("/").content.decode()
    assert 'href="/suivi/"' not in english_client(UserFactory.create()).get("/").content.decode()


def test_the_french_page_speaks_french(user: User, staff: User, workers: WorkersSetter) -> None:
    yesterday = datetime.timedelta(days=1)
    finished_job(user=user, waited=0.0, took=2.5, label="soutenu", ago=yesterday)
    SubmissionFactory.create(user=user)  # queued
    ModelVersion.objects.create(
        version="1", name="e5-shipped", is_champion=True, gate_decision="shipped"
    )
    client = Client()
    client.force_login(staff)

    page = client.get("/suivi/").content.decode()

    with translation.override("fr"):
        day = date_format(timezone.localdate() - yesterday, "j N")  # "5 déc."
    assert f"<title>{day} · soutenu\u00a0: 1</title>" in page  # French: a no-break space before :
    assert "texte p50\u00a0: 2,5\u00a0s</title>" in page  # a decimal comma
    assert '<th scope="row">Texte</th>' in page  # the backlog's kinds, translated
    assert "tâches texte en attente" in page.lower()
    assert "livrée avec le portail" in page  # the gate decision, translated
    assert ">shipped<" not in page


def test_a_backlog_of_zeros_still_draws_its_bars() -> None:
    svg = charts.horizontal_bars(
        chart_id="b", title="t", description="d", rows=[("text jobs queued", "queued", 0.0)] * 3
    )
    assert svg.count('class="chart-track"') == 3  # one track per row, at zero
    assert svg.count('class="chart-series-queued"') == 3
    assert svg.count(">0</text>") == 3
