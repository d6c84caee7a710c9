"""/suivi/ in a real browser, on a desktop and a phone, in French and in English.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` Python package (as
annotation/tests/test_browser.py); skipped without them. Screenshots go to the folder named by
PARLURE_SCREENSHOTS (e.g. /tmp), else to the test's temporary folder.
Run it alone with: .venv/bin/python -m pytest -m browser monitoring/tests/test_browser.py
"""

import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.roles import REVIEWER
from accounts.services import user_set_role
from accounts.tests.factories import PASSWORD, UserFactory
from annotation.models import Submission
from learning.models import ModelVersion
from monitoring.models import DriftCheck

from .helpers import feedback_on, finished_job

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (Debian package `chromium`)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the `playwright` package is missing")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE, DESKTOP = 390, 1280


@pytest.fixture
def browser(staff: User) -> Iterator["Browser"]:
    # After ``staff``: its rows are written before Playwright's event loop starts.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _features(psi: float, drifted: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"feature": "length", "psi": 0.05, "p_value": 0.2, "reference": 12.6, "live": 13.1},
        {"feature": "rare", "psi": psi, "p_value": 1e-6, "reference": 0.79, "live": 0.97},
        {"feature": "speech_like", "psi": 0.02, "p_value": 0.6, "reference": 0.19, "live": 0.2},
        {"feature": "register", "psi": 0.08, "p_value": 0.04, "reference": 0.38, "live": 0.41},
        {"feature": "distance", "psi": psi / 2, "p_value": 0.001, "reference": 0.41, "live": 0.45},
    ]
    for row in rows:
        row["drifted"] = drifted and row["feature"] == "rare"
        row["category"] = "neutre" if row["feature"] == "register" else "yes"
    return rows


@pytest.fixture
def staff() -> User:
    # Made before the browser starts: the ORM refuses to run inside Playwright's event loop.
    staff = user_set_role(user=UserFactory.create(), role=REVIEWER, acting_user=None)
    author = UserFactory.create()
    for days in range(0, 12, 2):
        for label in ("soutenu", "neutre", "familier"):
            job = finished_job(
                user=author, label=label, took=0.8, ago=datetime.timedelta(days=days, hours=1)
            )
        assert job.current_prediction is not None
        feedback_on(job.current_prediction, staff)
    finished_job(user=author, kind=Submission.Kind.AUDIO, took=42.5, transcribed_after=30)
    Submission.objects.create(user=author, text="En attente.", status=Submission.Status.QUEUED)
    ModelVersion.objects.create(
        version="1",
        name="lora-20261124-025547",
        is_champion=True,
        gate_decision="shipped",
        metrics={"frozen": {"macro_f1": 0.8393, "f1": {"soutenu": 0.9}, "ece": 0.0279}},
    )
    now = timezone.now()
    for hours in range(48, 0, -4):
        check = DriftCheck.objects.create(
            status=DriftCheck.Status.DRIFT if hours <= 8 else DriftCheck.Status.STABLE,
            model_version="lora-20261124-025547",
            texts=300,
            embedded=200,
            features=_features(0.1 + (0.5 if hours <= 8 else 0.0), hours <= 8),
        )
        DriftCheck.objects.filter(pk=check.pk).update(
            created_at=now - datetime.timedelta(hours=hours)
        )
    return staff


def _open(
    browser: "Browser", live_server: LiveServer, user: User, locale: str, width: int
) -> "Page":
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": locale[:2], "url": live_server.url}]
    )
    page = context.new_page()
    page.goto("/compte/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto("/suivi/")
    return page


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize(
    ("locale", "language", "expected"),
    [
        ("fr-FR", "fr", ["Dérive des données", "Texte", "livrée avec le portail", "0,84"]),
        ("en-US", "en", ["Data drift", "Text", "shipped with the portal", "0.84"]),
    ],
)
def test_the_page_reads_well(
    browser: "Browser",
    live_server: LiveServer,
    staff: User,
    width: int,
    locale: str,
    language: str,
    expected: list[str],
    tmp_path: Path,
) -> None:
    page = _open(browser, live_server, staff, locale, width)
    folder = Path(os.environ.get("PARLURE_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / f"suivi-{language}-{width}.png"), full_page=True)

    main = page.locator("main")
    for text in expected:
        expect(main).to_contain_text(text)
    for chart in ("#chart-registers", "#chart-backlog", "#chart-drift", "#chart-versions"):
        expect(page.locator(chart)).to_be_visible()
    # The queue chart draws a bar for the text job waiting (the first row).
    queued = page.locator("#chart-backlog rect.chart-series-queued").first.bounding_box()
    assert queued is not None
    assert queued["width"] > 10
    # Charts take the content's full width; on a phone their frame scrolls sideways instead of
    # making the page wider than the screen.
    content = page.locator("main .container, main").first.bounding_box()
    frame = page.locator(".chart-frame").first.bounding_box()
    assert content is not None
    assert frame is not None
    assert frame["width"] >= content["width"] - 40
    assert frame["x"] + frame["width"] <= width
