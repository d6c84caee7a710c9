"""Feedback and review in a real browser: one click and no reload; judging with the keyboard.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` Python package (as
annotation/tests/test_browser.py); skipped without them.
Run it alone with: .venv/bin/python -m pytest -m browser review/tests/test_browser.py
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.factories import PASSWORD
from annotation.models import Submission
from review.tests.conftest import make_reviewer
from review.tests.factories import text_submission, uncertain_item

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (Debian package `chromium`)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the `playwright` package is missing")

# serialized_rollback: the flush after the test must not take the roles (data migration) away.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser() -> Iterator["Browser"]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _page(browser: "Browser", live_server: LiveServer, user: User) -> "Page":
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/compte/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def data(user: User) -> tuple[Submission, User]:
    # Made before the browser starts: the ORM refuses to run inside Playwright's event loop.
    submission = text_submission(user)
    uncertain_item(user)
    return submission, make_reviewer()


def test_flag_a_sentence_then_judge_it_with_the_keyboard(
    data: tuple[Submission, User], user: User, browser: "Browser", live_server: LiveServer
) -> None:
    submission, reviewer = data
    page = _page(browser, live_server, user)
    sent: list[str] = []  # what the page's script posts: the API, not the page's form endpoints
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto(f"/soumissions/{submission.public_id}/")
    control = page.locator("details.feedback-sentence").nth(1)  # the second sentence's

    control.locator("summary").focus()
    page.keyboard.press("Enter")  # opens it, and the focus moves to the first register
    # Locator assertions, not wait_for_function: its string is eval'd, which the portal's
    # Content-Security-Policy forbids (as it should).
    expect(page.locator("[name=label]:focus")).to_have_count(1)
    control.locator("input[value=neutre]").check()
    control.locator("textarea").fill("Pas si familier.")
    page.evaluate("window.notReloaded = true")
    control.locator("button[type=submit]").click()

    thanks = control.locator(".feedback-thanks")
    thanks.wait_for()
    assert thanks.inner_text() == "Merci, envoyé en relecture."
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.className") == "feedback-thanks"
    assert page.errors == []  # type: ignore[attr-defined]
    assert sent == [f"{live_server.url}/api/v1/feedback/"]

    page = _page(browser, live_server, reviewer)
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto("/relecture/")
    items = page.locator("[data-review-item]")
    open_count = page.locator("[data-count=open]").first
    expect(items).to_have_count(2)
    # The person's flag first, though the uncertain item is older.
    expect(items.nth(0)).to_have_class(re.compile(r"\bis-flag\b"))
    expect(items.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    expect(open_count).to_have_text("2")
    expect(page.locator("[data-count=flags]")).to_have_text("1")
    page.evaluate("window.queueNotReloaded = true")
    page.keyboard.press("j")  # to the uncertain item
    expect(items.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("k")
    page.keyboard.press("a")  # uphold the flag: the suggested neutre

    expect(page.locator("[data-review-item].is-judged")).to_have_count(1)
    expect(items.nth(0).locator("[data-item-status]")).to_contain_text("neutre")
    expect(open_count).to_have_text("1")  # the counts follow, without a reload
    expect(page.locator("[data-count=flags]")).to_have_text("0")
    expect(page.locator("[data-count=decided]")).to_have_text("1")
    expect(items.nth(1)).to_have_class(re.compile(r"\bis-current\b"))  # moved on by itself
    page.keyboard.press("1")  # the uncertain item is soutenu
    expect(page.locator("[data-review-item].is-judged")).to_have_count(2)
    expect(items.nth(1).locator("[data-item-status]")).to_contain_text("soutenu")
    expect(open_count).to_have_text("0")
    expect(page.locator("[data-count=uncertain]")).to_have_text("0")
    assert page.evaluate("window.queueNotReloaded") is True
    judged = [
        re.fullmatch(r"/api/v1/review/items/(\d+)/judgement/", url.removeprefix(live_server.url))
        for url in sent[1:]
    ]
    assert all(judged)
    assert len({match.group(1) for match in judged if match}) == 2

    page.goto("/relecture/")
    expect(page.locator("[data-review-item]")).to_have_count(0)
    page.goto("/relecture/?view=decided")  # the decided tab lists both by default
    expect(page.locator("[data-review-item]")).to_have_count(2)
    page.goto("/relecture/corrections/")
    # The flag and the relabelled uncertain item are both corrections.
    no_snapshot = "2 corrections, aucun instantané pour l\u2019instant."  # typographic apostrophe
    assert no_snapshot in page.locator("main").inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.fixture
def two_uncertain(user: User) -> User:
    uncertain_item(user)
    uncertain_item(user, top_label="soutenu")
    return make_reviewer()


def test_tick_two_items_and_judge_them_at_once(
    two_uncertain: User, browser: "Browser", live_server: LiveServer
) -> None:
    page = _page(browser, live_server, two_uncertain)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto("/relecture/")
    items = page.locator("[data-review-item]")
    bulk = page.locator("[data-bulk-form]")
    expect(items).to_have_count(2)
    expect(bulk).to_be_hidden()  # nothing ticked yet

    page.keyboard.press("x")  # tick the current item
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(bulk).to_be_visible()
    expect(bulk.locator("[data-bulk-count]")).to_have_text("Sélectionnés : 2")
    bulk.locator("[data-bulk-decision=relabel][data-label=neutre]").click()

    expect(page.locator("[data-review-item].is-judged")).to_have_count(2)
    expect(page.locator("[data-count=open]").first).to_have_text("0")
    expect(page.locator("[data-count=decided]")).to_have_text("2")
    expect(items.nth(0).locator("[data-item-status]")).to_contain_text("neutre")
    expect(items.nth(1).locator("[data-item-status]")).to_contain_text("neutre")
    expect(bulk).to_be_hidden()  # the ticks go with the judgement
    assert sent == [f"{live_server.url}/api/v1/review/judgements/"]
    assert page.errors == []  # type: ignore[attr-defined]
