"""The speech path end to end, in a real browser: record through a (fake) microphone, send, follow
the transcription done by a real Celery worker, correct a segment, find the correction again.
Then the transcript editor alone, at a desktop width and a phone width, on a transcript made with
the ORM before the page opens: one inline line per segment, words that stay timed after a
correction, the register in sight, the player's speed, skips and keyboard, a recording made
in the page that the player can measure and seek, and the uncertain words checked first (Alt+N,
Alt+Enter, a correction that moves on), in light and dark.

Set PARLURE_SCREENSHOT_DIR to keep screenshots of the editor (editor-<width>-*.png) there.

Needs Debian's Chromium at /usr/bin/chromium (apt package `chromium`), the `playwright` Python
package (its own browsers are not used: nothing is downloaded), espeak-ng and sox for the voice,
PostgreSQL and Redis. Skipped, with the reason, when the browser or the package is missing.
Run it alone with: .venv/bin/python -m pytest -m browser annotation/tests/test_browser.py
"""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files import File
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.factories import PASSWORD
from annotation.models import AudioRecording, Segment, Submission, Transcript
from annotation.tests.api_fixtures import sentence
from annotation.tests.factories import PredictionFactory, SubmissionFactory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Request

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
expect = sync_api.expect

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


WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(params=["desktop"])
def viewport(request: pytest.FixtureRequest) -> tuple[int, int]:
    """The window's size; the editor's tests run at both widths (indirect parametrization)."""
    return WIDTHS[request.param]


@pytest.fixture
def page(
    browser: "Browser", live_server: LiveServer, viewport: tuple[int, int]
) -> Iterator["Page"]:
    width, height = viewport
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": width, "height": height}
    )
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


def _start_recording(page: "Page") -> None:
    page.goto("/soumissions/nouvelle/")
    assert page.locator("script[src$='/recorder.js']").count(), "the page must load js/recorder.js"
    page.get_by_role("tab", name=re.compile("enregistrer", re.IGNORECASE)).click()
    page.click("[data-record-start]")
    page.wait_for_selector("[data-record-stop]:visible")


def _record_and_send(page: "Page") -> None:
    _start_recording(page)
    time.sleep(RECORD_SECONDS)
    # Stop sends: the chunks went while recording, the rest follows, then the result page.
    page.click("[data-record-stop]")
    page.wait_for_url(re.compile(r"/soumissions/[0-9a-f-]{36}/$"))
    # The editor arrives later, in the polled result: the page itself must bring its script.
    assert page.locator("script[src$='/transcript.js']").count(), "the page must load transcript.js"


def _correct_first_segment(page: "Page") -> None:
    editor = page.locator("[data-transcript-editor]")
    editor.wait_for(state="visible", timeout=TRANSCRIPT_TIMEOUT_MS)
    field = page.locator("[data-segment-text]").first
    expect(field).to_have_attribute("contenteditable", "plaintext-only")
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
    one = r"/api/v1/submissions/[0-9a-f-]{36}/"
    assert paths[0] == "POST /api/v1/submissions/recordings/"
    chunks = [path for path in paths if re.fullmatch(f"PUT {one}recording/chunks/\\d+/", path)]
    # In order, from the first, one a second (the last one comes with the stop).
    assert [int(path.split("/")[-2]) for path in chunks] == list(range(len(chunks)))
    assert RECORD_SECONDS - 1 <= len(chunks) <= RECORD_SECONDS + 2
    assert re.fullmatch(f"POST {one}recording/finish/", paths[len(chunks) + 1])
    assert re.fullmatch(f"PATCH {one}transcript/segments/0/", paths[len(chunks) + 2])

    page.reload()
    page.wait_for_selector("[data-transcript-editor]")
    assert page.locator("[data-segment-text]").first.inner_text() == CORRECTION
    # The corrected line is still made of timed words.
    assert page.locator("[data-segment-text]").first.locator(".word").count() == len(
        CORRECTION.split()
    )

    page.click("a[href$='/historique/']")
    page.wait_for_url(re.compile(r"/historique/$"))
    assert "correction faite dans le navigateur" in page.locator("main").inner_text()

    # Validating (after a confirmation) deletes the recording and locks the transcript.
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-validate-form] button[type=submit]")
    page.wait_for_selector("[data-transcript-editor][data-validated=true]")
    assert page.locator("[contenteditable]").count() == 0
    assert page.locator("[data-player]").count() == 0


# --- The editor alone, on a transcript made before the page opens --------------------------------

# Ten short segments of four words: enough for the page to scroll at both widths.
EDITOR_SEGMENTS = [
    "Bonjour à tous ici",
    "on va commencer maintenant",
    "la réunion de ce",
    "matin sur le budget",
    "de la commune pour",
    "l'année prochaine avec vous",
    "et les habitants du",
    "quartier qui sont venus",
    "nombreux ce soir merci",
    "à tous pour cela",
]
SEGMENT_SECONDS = 0.8


@pytest.fixture
def editor_submission(user: User, french_wav: Path) -> Submission:
    """A transcribed, classified recording of the user's, its audio kept. Ask for it before
    `page`: the ORM refuses to run once Playwright's event loop is started."""
    audio = french_wav
    submission = SubmissionFactory.create(
        user=user, kind=Submission.Kind.AUDIO, text=" ".join(EDITOR_SEGMENTS)
    )
    transcript = Transcript.objects.create(
        submission=submission,
        language="fr",
        detected_language="fr",
        language_probability=0.99,
        duration_s=SEGMENT_SECONDS * len(EDITOR_SEGMENTS),
        model="test-whisper",
    )
    for index, text in enumerate(EDITOR_SEGMENTS):
        start = SEGMENT_SECONDS * index
        step = SEGMENT_SECONDS / len(text.split())
        words = [
            {
                "start": start + step * n,
                "end": start + step * (n + 1),
                "word": f" {w}",
                "probability": 0.9,
            }
            for n, w in enumerate(text.split())
        ]
        segment = Segment.objects.create(
            transcript=transcript,
            index=index,
            start=start,
            end=start + SEGMENT_SECONDS,
            text=text,
            words=words,
        )
        segment.current_prediction = PredictionFactory.create(
            submission=submission,
            segment=segment,
            transcript_version=1,
            label="neutre",
            top_label="neutre",
            scores={"soutenu": 0.2, "neutre": 0.7, "familier": 0.1},
            sentences=[sentence(0, len(text), "neutre", [])],
        )
        segment.save()
    submission.current_prediction = PredictionFactory.create(
        submission=submission,
        transcript_version=1,
        label="familier",
        top_label="familier",
        scores={"soutenu": 0.1, "neutre": 0.2, "familier": 0.7},
        sentences=[sentence(0, len(submission.text), "familier", [])],
    )
    submission.status = Submission.Status.DONE
    submission.finished_at = timezone.now()
    submission.save()
    recording = AudioRecording(
        submission=submission,
        source=AudioRecording.Source.UPLOAD,
        size_bytes=audio.stat().st_size,
        duration_s=8.0,
        container="wav",
        codec="pcm_s16le",
    )
    with audio.open("rb") as fh:
        recording.file.save("audio.wav", File(fh), save=False)
    recording.save()
    return submission


def _screenshot(page: "Page", name: str) -> None:
    folder = os.environ.get("PARLURE_SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"] if page.viewport_size else 0
        scrolled = page.evaluate("window.scrollY")
        page.evaluate("window.scrollTo(0, 0)")  # sticky parts drawn where they belong
        page.screenshot(path=str(Path(folder) / f"editor-{width}-{name}.png"), full_page=True)
        page.evaluate(f"window.scrollTo(0, {scrolled})")


def _open_editor(page: "Page", user: User, submission: Submission) -> "Locator":
    _log_in(page, user)
    page.goto(f"/soumissions/{submission.public_id}/")
    editor = page.locator("[data-transcript-editor]")
    expect(editor).to_be_visible()
    return editor


def _in_view(page: "Page", locator: "Locator") -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"] if page.viewport_size else 0
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _player(page: "Page", prop: str) -> float:
    return float(page.eval_on_selector("[data-player]", f"audio => audio.{prop}"))


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_one_inline_transcript_keeps_its_words_timed_after_a_correction(
    user: User, editor_submission: Submission, page: "Page", viewport: tuple[int, int]
) -> None:
    editor = _open_editor(page, user, editor_submission)
    _screenshot(page, "open")

    # One line per segment, which is the text field itself: no second copy of the text.
    lines = editor.locator("[data-segment-text]")
    expect(lines).to_have_count(len(EDITOR_SEGMENTS))
    assert editor.locator("textarea:visible").count() == 0  # (flag forms hold closed ones)
    first = lines.nth(0)
    expect(first).to_have_attribute("contenteditable", "plaintext-only")
    expect(first).to_have_attribute("role", "textbox")
    expect(page.get_by_role("textbox", name=re.compile(r"segment 1\b"))).to_have_count(1)
    expect(first.locator(".word")).to_have_count(4)

    # The register of the whole recording is in sight at once, before any scrolling.
    badge = page.locator(".register-panel .register-badge")
    assert _in_view(page, badge), badge.bounding_box()
    if viewport[0] >= 1000:
        # Beside the transcript, and still there once the page is scrolled to its end.
        panel, main = page.locator(".register-panel"), page.locator(".transcript-main")
        assert panel.bounding_box()["x"] > main.bounding_box()["x"] + 300  # type: ignore[index]
        page.locator("[data-validate-form]").scroll_into_view_if_needed()
        assert page.evaluate("window.scrollY") > 200
        assert _in_view(page, badge), badge.bounding_box()
        page.evaluate("window.scrollTo(0, 0)")

    # A click on a word of a line not being edited plays from that word.
    word = lines.nth(2).locator(".word").nth(1)  # "réunion", from 1.8 s
    word.click()
    expect(page.locator("[data-player]")).to_have_js_property("paused", False)
    assert _player(page, "currentTime") >= 1.79
    page.keyboard.press("Alt+KeyK")  # pause
    expect(page.locator("[data-player]")).to_have_js_property("paused", True)

    # Correct the first line in place: one word changed, one added.
    first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Bonjour à toutes et à tous ici")
    expect(editor.locator("[data-save-status][data-state=saved]")).to_have_count(1, timeout=15_000)
    # While the caret is there, the line is left alone (caret and undo kept)...
    expect(first).to_be_focused()
    page.keyboard.press("Control+Z")
    expect(first).not_to_have_text("Bonjour à toutes et à tous ici")
    page.keyboard.press("Control+Shift+Z")
    expect(first).to_have_text("Bonjour à toutes et à tous ici")
    # ...and once left, it is made again of timed words: the server aligned them on the old ones.
    page.keyboard.press("Alt+ArrowDown")
    expect(lines.nth(1)).to_be_focused()
    expect(first.locator(".word")).to_have_count(7)
    starts = [
        float(s)
        for s in first.locator(".word").evaluate_all(
            "spans => spans.map(span => span.dataset.start)"
        )
    ]
    assert starts[0] == 0.0  # "Bonjour": unchanged, its time kept
    assert starts == sorted(starts)
    assert all(0.0 <= start <= SEGMENT_SECONDS for start in starts)
    _screenshot(page, "corrected")

    # A word of the corrected segment still plays from its time.
    page.locator("h1").click()  # out of the lines
    first.locator(".word").last.click()  # "ici", kept from 0.6 s
    expect(page.locator("[data-player]")).to_have_js_property("paused", False)
    assert _player(page, "currentTime") >= 0.59
    page.keyboard.press("Alt+KeyK")

    # Pasted text comes in as plain text on one line.
    lines.nth(3).click()
    page.keyboard.press("End")
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData("text/html", "<b>en gras</b>");
          data.setData("text/plain", " collé\\nsur deux lignes");
          const line = document.querySelectorAll("[data-segment-text]")[3];
          line.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                         cancelable: true}));
        }"""
    )
    expect(lines.nth(3)).to_have_text("matin sur le budget collé sur deux lignes")
    assert lines.nth(3).locator("b").count() == 0
    page.keyboard.press("Control+S")
    status = editor.locator("[data-segment]").nth(3).locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "saved", timeout=15_000)

    page.reload()
    expect(lines.nth(0)).to_have_text("Bonjour à toutes et à tous ici")
    expect(lines.nth(0).locator(".word")).to_have_count(7)
    expect(lines.nth(3).locator(".word")).to_have_count(8)


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_playback_speed_skips_and_keyboard(
    user: User, editor_submission: Submission, page: "Page", viewport: tuple[int, int]
) -> None:
    editor = _open_editor(page, user, editor_submission)
    player = page.locator("[data-player]")
    expect(player).to_have_js_property("readyState", 4, timeout=10_000)

    # The shortcuts are listed in the page.
    shortcuts = editor.locator(".shortcuts")
    shortcuts.locator("summary").click()
    for keys in ("Alt + K", "Alt + J", "Alt + L", "Alt + ↓", "Ctrl + S"):
        expect(shortcuts).to_contain_text(keys)

    # Speed, from 0.75x to 2x, kept for the next page.
    speed = editor.locator("[data-speed]")
    times = "\N{MULTIPLICATION SIGN}"
    labels = [f"{rate}{times}" for rate in ("0,75", "1", "1,25", "1,5", "1,75", "2")]
    assert speed.locator("option").all_inner_texts() == labels
    speed.select_option("1.5")
    expect(player).to_have_js_property("playbackRate", 1.5)
    _screenshot(page, "player")

    # Forward and back 5 s, with the buttons and from the keyboard, even while typing.
    editor.get_by_role("button", name="+5 s").click()
    assert _player(page, "currentTime") == pytest.approx(5, abs=0.05)
    editor.get_by_role("button", name="\N{MINUS SIGN}5 s").click()
    assert _player(page, "currentTime") == pytest.approx(0, abs=0.05)
    editor.locator("[data-segment-text]").first.click()
    page.keyboard.press("Alt+KeyL")
    assert _player(page, "currentTime") == pytest.approx(5, abs=0.6)  # the click may seek a word
    page.keyboard.press("Alt+KeyJ")
    assert _player(page, "currentTime") == pytest.approx(0, abs=0.6)

    # Play and pause from the keyboard; the button says which.
    toggle = editor.locator("[data-toggle-play]")
    page.keyboard.press("Alt+KeyK")
    expect(player).to_have_js_property("paused", False)
    expect(toggle).to_have_text("Pause")
    page.keyboard.press("Alt+KeyK")
    expect(player).to_have_js_property("paused", True)
    expect(toggle).to_have_text("Lecture")
    assert editor.locator("[data-segment-text]").first.inner_text() == EDITOR_SEGMENTS[0]

    page.reload()
    expect(player).to_have_js_property("playbackRate", 1.5)
    expect(speed).to_have_value("1.5")


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def _shot(page: "Page", name: str) -> None:
    folder = os.environ.get("PARLURE_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=str(Path(folder) / f"recorder-{width}-{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_segments_show_while_recording_then_the_transcript_and_its_register(
    speech_worker: subprocess.Popen[bytes], user: User, page: "Page", viewport: tuple[int, int]
) -> None:
    _log_in(page, user)
    _start_recording(page)
    stop = page.locator("[data-record-stop]")
    # While the person still speaks, the segments decoded so far show, then their register.
    heard = page.locator("[data-live-heard] [data-live-segment]")
    heard.first.wait_for(state="visible", timeout=60_000)
    read = page.locator("[data-live-heard] .sentence-chip:not(.pending)")
    read.first.wait_for(state="visible", timeout=30_000)
    assert stop.is_visible(), "the segments must come while recording"
    expect(page.locator("[data-live-list]")).to_have_attribute("aria-live", "polite")
    assert heard.first.locator(".live-text").inner_text().strip()
    _shot(page, "recording")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]

    stop.click()
    page.wait_for_url(re.compile(r"/soumissions/[0-9a-f-]{36}/$"))
    page.locator("[data-transcript-editor]").wait_for(timeout=TRANSCRIPT_TIMEOUT_MS)
    badge = page.locator(".register-panel .register-badge")
    expect(badge).to_be_visible()
    assert page.locator("[data-segment-text]").count() >= 1
    _shot(page, "result")


def test_a_recording_can_be_discarded_while_it_is_made(user: User, page: "Page") -> None:
    _log_in(page, user)
    _start_recording(page)
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(entry => entry.name.includes('/recording/chunks/'))"
    )
    page.click("[data-record-discard]")
    expect(page.locator("[data-record-start]")).to_be_visible()
    expect(page.locator("[data-audio-message]")).to_contain_text("supprimé")
    page.wait_for_function("() => !document.querySelector('[data-record-stop]:not([hidden])')")
    # What had been sent is deleted (asked through the API: no ORM once the browser runs).
    page.wait_for_function(
        """() => fetch("/api/v1/submissions/", {headers: {Accept: "application/json"}})
          .then(response => response.json()).then(page => page.results.length === 0)""",
        polling=500,
    )


def test_a_recording_made_in_the_page_has_a_duration_and_can_be_scrubbed(
    user: User, page: "Page", viewport: tuple[int, int]
) -> None:
    _log_in(page, user)
    _record_and_send(page)
    # No worker here: the transcript will not come, but the stored file is served already.
    audio_url = page.url + "audio/"
    measured = page.evaluate(
        """url => new Promise((resolve, reject) => {
          const audio = document.createElement("audio");
          audio.preload = "auto";
          let first = NaN;
          const done = () => resolve({
            duration: first, at: audio.currentTime,
            seekable: audio.seekable.length ? audio.seekable.end(0) : 0,
          });
          window.setTimeout(done, 10000); // a file without a length never seeks: say so
          audio.addEventListener("loadedmetadata", () => {
            first = audio.duration;
            audio.addEventListener("seeked", done, {once: true});
            if (isFinite(first)) audio.currentTime = first / 2;
          }, {once: true});
          audio.addEventListener("error", () => reject(new Error("audio error")));
          audio.src = url;
        })""",
        audio_url,
    )
    assert RECORD_SECONDS - 2 < measured["duration"] < RECORD_SECONDS + 3, measured
    assert measured["seekable"] == pytest.approx(measured["duration"], abs=0.1), measured
    assert measured["at"] == pytest.approx(measured["duration"] / 2, abs=0.5), measured


@pytest.fixture
def speakers_submission(editor_submission: Submission) -> Submission:
    """The editor's transcript with two speakers taking turns (S1, S2, S1…)."""
    for segment in editor_submission.transcript.segments.all():
        segment.speaker = f"S{segment.index % 2 + 1}"
        segment.save(update_fields=["speaker"])
    return editor_submission


def test_a_speaker_renamed_in_the_editor_is_named_in_the_srt(
    user: User, speakers_submission: Submission, page: "Page"
) -> None:
    editor = _open_editor(page, user, speakers_submission)
    panel = editor.locator("#transcript-speakers")
    expect(panel.get_by_role("heading", name="Locuteurs")).to_be_visible()

    # Rename S1 from the keyboard: its labelled field, then Enter submits the form.
    name = panel.get_by_label("Nom de S1")
    name.fill("Marie")
    name.press("Enter")
    page.wait_for_url(re.compile(r"#transcript-speakers$"))
    expect(panel.get_by_label("Nom de S1")).to_have_value("Marie")

    # The second segment is S2's: give it to Marie with its select and its button.
    select = editor.get_by_label("Locuteur du segment 2")
    expect(select.locator("option:checked")).to_have_text("S2")
    select.select_option(label="Marie")
    editor.get_by_role("button", name="Changer le locuteur du segment 2").click()
    page.wait_for_url(re.compile(r"#segment-1$"))
    expect(editor.get_by_label("Locuteur du segment 2").locator("option:checked")).to_have_text(
        "Marie"
    )

    srt = page.request.get(f"/soumissions/{speakers_submission.public_id}/export.srt").text()
    blocks = srt.strip().split("\n\n")
    assert blocks[0].splitlines()[2].startswith("Marie: "), srt
    assert blocks[1].splitlines()[2].startswith("Marie: "), srt
    assert blocks[2].splitlines()[2].startswith("Marie: "), srt
    assert blocks[3].splitlines()[2].startswith("S2: "), srt


# --- Uncertain words first -----------------------------------------------------------------------

# (segment index, word index) → confidence: "commencer" (from 1.2 s), "budget" (from 3.0 s) and
# "habitants" (from 5.2 s) are the words to check; every other word is sure.
UNCERTAIN = {(1, 2): 0.41, (3, 3): 0.55, (6, 2): 0.38}
NNBSP = "\N{NARROW NO-BREAK SPACE}"


@pytest.fixture
def uncertain_submission(editor_submission: Submission) -> Submission:
    """The editor's transcript, its words calibrated: three of its forty words are uncertain."""
    for segment in editor_submission.transcript.segments.all():
        segment.words = [
            {
                **word,
                "confidence": UNCERTAIN.get((segment.index, n), 0.95),
                "uncertain": (segment.index, n) in UNCERTAIN,
            }
            for n, word in enumerate(segment.words)
        ]
        segment.save(update_fields=["words"])
    return editor_submission


def _seeks(page: "Page") -> list[float]:
    return [float(t) for t in page.evaluate("window.seeks")]


def _wait_in_view(page: "Page", locator: "Locator") -> None:
    """Until the (smooth) scroll has brought it into the window."""
    page.wait_for_function(
        "w => { const b = w.getBoundingClientRect();"
        " return b.top >= 0 && b.bottom <= window.innerHeight; }",
        arg=locator.element_handle(),
    )


def _both_themes(page: "Page", name: str) -> None:
    _screenshot(page, f"{name}-light")
    page.emulate_media(color_scheme="dark")
    _screenshot(page, f"{name}-dark")
    page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_uncertain_words_are_checked_first_from_the_keyboard(
    user: User, uncertain_submission: Submission, page: "Page", viewport: tuple[int, int]
) -> None:
    editor = _open_editor(page, user, uncertain_submission)
    player = page.locator("[data-player]")
    expect(player).to_have_js_property("readyState", 4, timeout=10_000)
    page.evaluate(
        """() => {
          window.seeks = [];
          const audio = document.querySelector("[data-player]");
          audio.addEventListener("seeking", () => window.seeks.push(audio.currentTime));
        }"""
    )
    lines = editor.locator("[data-segment-text]")
    share = editor.locator("[data-uncertain-share]")
    status = editor.locator("[data-uncertain-status]")

    # Marked by more than a colour: a class the CSS underlines and flags with "?", the
    # confidence in the tooltip, and a description for screen readers.
    marked = editor.locator(".word.is-uncertain")
    expect(marked).to_have_count(3)
    commencer = lines.nth(1).locator(".word").nth(2)
    expect(commencer).to_have_attribute("title", f"Mot incertain (confiance 41{NNBSP}%)")
    expect(commencer).to_have_attribute("aria-describedby", "uncertain-word-hint")
    expect(page.locator("#uncertain-word-hint")).to_have_text(
        "mot incertain\N{NO-BREAK SPACE}: le modèle de parole "
        "l\N{RIGHT SINGLE QUOTATION MARK}a peut-être mal entendu"
    )
    marker = commencer.evaluate("w => getComputedStyle(w, '::after').content")
    assert marker.startswith('"?"'), marker
    expect(share).to_have_text(f"3 mots à vérifier sur 40 (8{NNBSP}%)")
    shortcuts = editor.locator(".shortcuts")
    shortcuts.locator("summary").click()
    for keys in ("Alt + N", "Alt + Maj + N", "Alt + Entrée"):
        expect(shortcuts).to_contain_text(keys)
    _both_themes(page, "uncertain-open")

    # Alt+N: the first word to check is selected in its line, and played from 1 s before it.
    page.keyboard.press("Alt+KeyN")
    expect(lines.nth(1)).to_be_focused()
    expect(commencer).to_have_class(re.compile(r"\bis-uncertain-current\b"))
    assert page.evaluate("String(window.getSelection())") == "commencer"
    expect(status).to_have_text("Mot incertain 1 sur 3")
    expect(player).to_have_js_property("paused", False)
    assert _seeks(page)[-1] == pytest.approx(1.2 - 1, abs=0.01)
    _wait_in_view(page, commencer)
    _both_themes(page, "uncertain-first")

    # Alt+Enter: it is right. No longer marked, one fewer to check, and on to the next one.
    page.keyboard.press("Alt+Enter")
    expect(status).to_have_text("Accepté. Mot incertain 1 sur 2")
    expect(commencer).not_to_have_class(re.compile(r"\bis-uncertain\b"))
    expect(commencer).not_to_have_attribute("title", re.compile("."))
    expect(share).to_have_text(f"2 mots à vérifier sur 40 (5{NNBSP}%)")
    budget = lines.nth(3).locator(".word").nth(3)
    expect(lines.nth(3)).to_be_focused()
    expect(budget).to_have_class(re.compile(r"\bis-uncertain-current\b"))
    assert page.evaluate("String(window.getSelection())") == "budget"
    assert _seeks(page)[-1] == pytest.approx(3.0 - 1, abs=0.01)
    _wait_in_view(page, budget)

    # Correct it: typing replaces the selected word, Enter saves, and on to the next one.
    page.keyboard.type("projet")
    page.keyboard.press("Enter")
    habitants = lines.nth(6).locator(".word").nth(2)
    expect(lines.nth(6)).to_be_focused()
    expect(habitants).to_have_class(re.compile(r"\bis-uncertain-current\b"))
    expect(status).to_have_text("Mot incertain 1 sur 1")
    assert _seeks(page)[-1] == pytest.approx(5.2 - 1, abs=0.01)
    _wait_in_view(page, habitants)
    expect(lines.nth(3)).to_have_text("matin sur le projet")
    expect(lines.nth(3).locator(".word")).to_have_count(4)
    expect(lines.nth(3).locator(".word.is-uncertain")).to_have_count(0)
    expect(share).to_have_text(f"1 mot à vérifier sur 40 (2{NNBSP}%)")
    page.keyboard.press("Alt+KeyK")  # pause
    _both_themes(page, "uncertain-corrected")

    # The buttons do the same: past the last one, round to the first (the only one left).
    editor.get_by_role("button", name="Mot incertain suivant").click()
    expect(status).to_have_text("Mot incertain 1 sur 1")
    expect(editor.get_by_role("button", name="Le mot est juste")).to_be_enabled()

    # The server agrees.
    page.reload()
    expect(share).to_have_text(f"1 mot à vérifier sur 40 (2{NNBSP}%)")
    expect(marked).to_have_count(1)
    expect(lines.nth(6).locator(".word").nth(2)).to_have_class(re.compile(r"\bis-uncertain\b"))
    expect(lines.nth(3)).to_have_text("matin sur le projet")
