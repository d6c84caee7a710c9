"""The speech path end to end, in a real browser: record through a (fake) microphone, send, follow
the transcription done by a real Celery worker, correct a segment, find the correction again.

Needs Debian's Chromium at /usr/bin/chromium (apt package `chromium`), the `playwright` Python
package (its own browsers are not used: nothing is downloaded), espeak-ng and sox for the voice,
PostgreSQL and Redis. Skipped, with the reason, when the browser or the package is missing.
Run it alone with: .venv/bin/python -m pytest -m browser annotation/tests/test_browser.py
"""

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (Debian package `chromium`); the browser test needs it",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the `playwright` Python package is missing (pip install playwright)",
)

# serialized_rollback: the flush after the test must not take the roles (data migration) away.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECORD_SECONDS = 6
TRANSCRIPT_TIMEOUT_MS = 120_000
CORRECTION = "Bonjour à tous, ceci est une correction faite dans le navigateur."


@pytest.fixture(scope="module")
def voice(french_wav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French test speech as a 48 kHz mono WAV: what Chromium's fake microphone plays."""
    sox = shutil.which("sox")
    if sox is None:
        return french_wav  # Chromium resamples; 48 kHz only spares it the work
    resampled = tmp_path_factory.mktemp("voice") / "voice.wav"
    subprocess.run([sox, str(french_wav), "-r", "48000", "-c", "1", str(resampled)], check=True)
    return resampled


@pytest.fixture
def browser(voice: Path) -> Iterator["Browser"]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # Grant the microphone without a prompt, and feed it the WAV above.
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={voice}",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: "Browser", live_server: LiveServer) -> Iterator["Page"]:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _log_in(page: "Page", user: User) -> None:
    page.goto("/compte/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def _record_and_send(page: "Page") -> None:
    page.goto("/soumissions/nouvelle/")
    assert page.locator("script[src$='/recorder.js']").count(), "the page must load js/recorder.js"
    page.get_by_role("tab", name=re.compile("enregistrer", re.IGNORECASE)).click()
    page.click("[data-record-start]")
    page.wait_for_selector("[data-record-stop]:visible")
    time.sleep(RECORD_SECONDS)
    page.click("[data-record-stop]")
    listen_back = page.locator("[data-listen-back] audio")
    listen_back.wait_for(state="visible")
    assert page.eval_on_selector("[data-playback]", "audio => audio.src.startsWith('blob:')")
    page.click("[data-record-send]")
    page.wait_for_url(re.compile(r"/soumissions/[0-9a-f-]{36}/$"))
    # The editor arrives later, in the polled result: the page itself must bring its script.
    assert page.locator("script[src$='/transcript.js']").count(), "the page must load transcript.js"


def _correct_first_segment(page: "Page") -> None:
    editor = page.locator("[data-transcript-editor]")
    editor.wait_for(state="visible", timeout=TRANSCRIPT_TIMEOUT_MS)
    field = page.locator("[data-segment-text]").first
    field.fill(CORRECTION)  # autosave: 1.5 s after the last change
    status = page.locator("[data-save-status]").first
    page.wait_for_selector("[data-save-status][data-state=saved]", timeout=15_000)
    saved_label = editor.get_attribute("data-msg-saved")
    assert status.inner_text().strip() == saved_label
    if page.evaluate("document.documentElement.lang") == "fr":
        assert saved_label == "enregistré"


def test_record_send_transcribe_correct_and_find_the_correction(
    speech_worker: subprocess.Popen[bytes], user: User, page: "Page"
) -> None:
    # `user` before `page`: the ORM refuses to run once Playwright's event loop is started.
    _log_in(page, user)
    writes: list[str] = []  # what the page's script sends: the API, not the page's endpoints

    def note_write(request: "Request") -> None:
        if request.method != "GET":
            writes.append(f"{request.method} {request.url}")

    page.on("request", note_write)
    _record_and_send(page)
    _correct_first_segment(page)
    paths = [re.sub(r"https?://[^/]+", "", write) for write in writes]
    assert paths[0] == "POST /api/v1/submissions/audio/"
    assert re.fullmatch(r"PATCH /api/v1/submissions/[0-9a-f-]{36}/transcript/segments/0/", paths[1])

    page.reload()
    page.wait_for_selector("[data-transcript-editor]")
    assert page.locator("[data-segment-text]").first.input_value() == CORRECTION

    page.click("a[href$='/historique/']")
    page.wait_for_url(re.compile(r"/historique/$"))
    assert "correction faite dans le navigateur" in page.locator("main").inner_text()

    # Validating (after a confirmation) deletes the recording and locks the transcript.
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-validate-form] button[type=submit]")
    page.wait_for_selector("[data-transcript-editor][data-validated=true]")
    assert page.locator("[data-segment-text]").count() == 0
    assert page.locator("[data-player]").count() == 0
