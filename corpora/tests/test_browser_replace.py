"""Find and replace across a corpus in a real browser, then undo one change from the history.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` Python package (as
annotation/tests/test_browser.py); skipped without them. Screenshots go to /tmp/replace-*.png.
Run it alone with: .venv/bin/python -m pytest -m browser corpora/tests/test_browser_replace.py
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from annotation.models import Submission
from annotation.tests.api_fixtures import audio_done, member
from corpora.models import Corpus, CorpusMember

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


@dataclass(frozen=True)
class Scene:
    corpus: Corpus
    annotator: User
    first: Submission
    second: Submission


@pytest.fixture
def scene() -> Scene:
    # Made before the browser starts: the ORM refuses to run inside Playwright's event loop.
    owner = UserFactory.create(display_name="Owner")
    corpus = Corpus.objects.create(owner=owner, name="Réunions")
    annotator = member(corpus, CorpusMember.Role.ANNOTATOR)
    first = audio_done(owner, corpus=corpus)
    second = audio_done(annotator, corpus=corpus)
    return Scene(corpus, annotator, first, second)


def _page(browser: "Browser", live_server: LiveServer, user: User, width: int) -> "Page":
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": width, "height": 900}
    )
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


@pytest.mark.parametrize("width", [1280, 390])
def test_replace_across_a_corpus_then_undo_one_change(
    scene: Scene, browser: "Browser", live_server: LiveServer, width: int
) -> None:
    page = _page(browser, live_server, scene.annotator, width)
    page.goto(f"/corpus/{scene.corpus.public_id}/")
    page.get_by_role("link", name="Rechercher et remplacer").click()

    page.locator("input[name=find]").fill("RÉUNION")
    page.locator("input[name=replace]").fill("séance")
    page.get_by_label("Mots entiers seulement").check()
    page.get_by_role("button", name="Aperçu").click()

    transcripts = page.locator("[data-replace-transcript]")
    expect(transcripts).to_have_count(2)
    expect(page.locator("del mark.replace-match")).to_have_text(["réunion", "réunion"])
    expect(page.locator("ins mark.replace-match")).to_have_text(["séance", "séance"])
    page.screenshot(path=f"/tmp/replace-preview-{width}.png", full_page=True)

    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_role("status").filter(has_text="2 segments modifiés.")).to_have_count(1)
    page.screenshot(path=f"/tmp/replace-applied-{width}.png", full_page=True)

    first = page.locator(f'[data-replace-transcript="{scene.first.public_id}"]')
    first.get_by_role("link", name="Historique des corrections").click()
    page.get_by_role("button", name="Annuler la version 2").click()

    expect(page.locator(".messages")).to_contain_text("Version 2 annulée")
    expect(page.get_by_role("button", name="Annuler la version 3")).to_have_count(1)
    expect(page.get_by_role("button", name="Annuler la version 2")).to_have_count(0)
    page.screenshot(path=f"/tmp/replace-undone-{width}.png", full_page=True)

    api = "/api/v1/submissions/{}/transcript/"
    undone = page.request.get(api.format(scene.first.public_id)).json()
    kept = page.request.get(api.format(scene.second.public_id)).json()
    assert undone["segments"][1]["text"] == "on va commencer la réunion."
    assert undone["version"] == 3
    assert kept["segments"][1]["text"] == "on va commencer la séance."
    assert page.errors == []  # type: ignore[attr-defined]
