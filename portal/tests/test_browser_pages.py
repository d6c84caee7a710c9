"""The portal's main pages in a real browser: the menu on a phone, and an accessibility audit.

The audit runs axe-core (vendored in tests/vendor/axe-core, test-only) on each main page, in
French, light and dark, at a desktop and a phone width (and in English at the phone width), and
fails on any serious or critical violation. Needs Debian's Chromium at /usr/bin/chromium and the
`playwright` Python package (as annotation/tests/test_browser.py); skipped without them. Set
PARLURE_SCREENSHOTS to a folder to keep a screenshot of each audited page there.
Run it alone with: .venv/bin/python -m pytest -m browser portal/tests/test_browser_pages.py
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.factories import PASSWORD
from corpora.models import ImportBatch
from corpora.services.corpora import corpus_create, corpus_submissions_add
from learning.models import ModelVersion
from review.tests.conftest import make_reviewer
from review.tests.factories import audio_submission, text_submission, uncertain_item

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.10.3

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (Debian package `chromium`)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the `playwright` package is missing")

# serialized_rollback: the flush after the test must not take the roles (data migration) away.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE, DESKTOP = 390, 1280


@dataclass
class Site:
    """What the pages show: a reviewer (so staff) with a text, a transcript and a corpus."""

    person: User
    text: str  # two sentences at both ends of the scale: a mixed text
    hesitant: str  # one sentence the model hesitated on
    audio: str
    corpus: str
    batch: str  # an import into the corpus, with a rejected line


@pytest.fixture
def site(user: User) -> Site:
    # Made before the browser starts: the ORM refuses to run inside Playwright's event loop.
    person = make_reviewer()
    text = text_submission(person)
    audio = audio_submission(person, ["Bonjour à tous.", "On se voit demain, hein ?"])
    corpus = corpus_create(owner=person, name="Entretiens", description="Un corpus pour essayer.")
    corpus_submissions_add(corpus=corpus, submissions=[text], acting_user=person)
    hesitant = text_submission(
        person,
        label="neutre",
        top_label="familier",
        uncertain=True,
        scores={"soutenu": 0.2, "neutre": 0.35, "familier": 0.45},
        sentences=[],
    )
    batch = ImportBatch.objects.create(
        corpus=corpus,
        created_by=person,
        file_name="entretiens.txt",
        format=ImportBatch.Format.TXT,
        items_read=3,
        items_accepted=2,
        items_rejected=1,
        problems=[{"line": 2, "member": "", "code": "empty", "message": "Ligne vide."}],
    )
    uncertain_item(user)  # something to review, from someone else
    ModelVersion.objects.create(
        version="1",
        name="lora-20261124-025547",
        is_champion=True,
        gate_decision="shipped",
        metrics={"frozen": {"macro_f1": 0.8393, "f1": {"soutenu": 0.9}, "ece": 0.0279}},
    )
    return Site(
        person=person,
        text=str(text.public_id),
        hesitant=str(hesitant.public_id),
        audio=str(audio.public_id),
        corpus=str(corpus.public_id),
        batch=str(batch.public_id),
    )


@pytest.fixture
def browser(site: Site) -> Iterator["Browser"]:
    # After ``site``: its rows are written before Playwright's event loop starts.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def _page(
    browser: "Browser",
    live_server: LiveServer,
    width: int,
    color_scheme: str = "light",
    language: str = "fr",
) -> "Page":
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": width, "height": 900},
        color_scheme=color_scheme,  # type: ignore[arg-type]
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def _log_in(page: "Page", user: User) -> None:
    page.goto("/compte/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def _no_sideways_scroll(page: "Page", width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide on a {width} px screen"


def test_the_menu_folds_behind_a_button_on_a_phone(
    site: Site, browser: "Browser", live_server: LiveServer
) -> None:
    page = _page(browser, live_server, PHONE)
    _log_in(page, site.person)
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Menu principal")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 80  # the folded header leaves the screen to the page

    button.focus()
    page.keyboard.press("Enter")  # a real button: the keyboard opens it
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(links).to_be_visible()
    expect(page.get_by_label("Langue")).to_be_visible()
    if folder := os.environ.get("PARLURE_SCREENSHOTS"):
        page.screenshot(path=str(Path(folder) / f"pages-menu-{PHONE}.png"))
    page.keyboard.press("Escape")  # closes it and gives the focus back
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(links).to_be_hidden()
    expect(button).to_be_focused()

    button.click()
    links.get_by_role("link", name="Mes soumissions").click()
    page.wait_for_url(re.compile(r"/soumissions/$"))
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    assert page.errors == []  # type: ignore[attr-defined]

    for path in (
        "/",
        "/soumissions/nouvelle/",
        "/soumissions/",
        f"/soumissions/{site.text}/",
        f"/soumissions/{site.audio}/",
        f"/corpus/{site.corpus}/",
        "/relecture/",
        "/modeles/",
        "/suivi/",
    ):
        page.goto(path)
        _no_sideways_scroll(page, PHONE)


def test_on_a_desktop_the_menu_is_always_shown(
    site: Site, browser: "Browser", live_server: LiveServer
) -> None:
    page = _page(browser, live_server, DESKTOP)
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()


def test_the_team_pages_are_grouped_so_the_header_keeps_to_one_line(
    site: Site, browser: "Browser", live_server: LiveServer
) -> None:
    page = _page(browser, live_server, DESKTOP)
    _log_in(page, site.person)  # a reviewer with staff rights: every link of the menu
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 80  # one line, not two
    team = page.locator(".nav-group summary")
    monitoring = page.get_by_role("link", name="Supervision")
    expect(monitoring).to_be_hidden()

    team.focus()
    page.keyboard.press("Enter")
    expect(monitoring).to_be_visible()
    page.keyboard.press("Escape")  # closes it and leaves the focus on its summary
    expect(monitoring).to_be_hidden()
    expect(team).to_be_focused()

    team.click()
    page.locator(".site-footer").click()  # a click elsewhere closes it too
    expect(monitoring).to_be_hidden()
    team.click()
    monitoring.click()
    page.wait_for_url(re.compile(r"/suivi/$"))
    assert page.errors == []  # type: ignore[attr-defined]


ANONYMOUS_PAGES = {"home": "/", "login": "/compte/login/", "signup": "/compte/inscription/"}


def _member_pages(site: Site) -> dict[str, str]:
    return {
        "new": "/soumissions/nouvelle/",
        "list": "/soumissions/",
        "profile": "/compte/profil/",
        "text": f"/soumissions/{site.text}/",
        "hesitant": f"/soumissions/{site.hesitant}/",
        "transcript": f"/soumissions/{site.audio}/",
        "corpora": "/corpus/",
        "corpus": f"/corpus/{site.corpus}/",
        "import": f"/corpus/{site.corpus}/imports/{site.batch}/",
        "review": "/relecture/",
        "models": "/modeles/",
        "suivi": "/suivi/",
    }


def _audit(page: "Page") -> list[str]:
    """axe-core's serious and critical violations on the page, one line per rule."""
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    assert results["testEngine"] == {"name": "axe-core", "version": "4.10.3"}
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# Every theme at both widths in French; English (the same templates, other words) at one.
@pytest.mark.parametrize(
    ("width", "color_scheme", "language"),
    [
        (DESKTOP, "light", "fr"),
        (DESKTOP, "dark", "fr"),
        (PHONE, "light", "fr"),
        (PHONE, "dark", "fr"),
        (PHONE, "light", "en"),
    ],
)
def test_no_serious_accessibility_violation(
    site: Site,
    browser: "Browser",
    live_server: LiveServer,
    width: int,
    color_scheme: str,
    language: str,
) -> None:
    page = _page(browser, live_server, width, color_scheme, language)
    # Through the browser's own channel: the pages' Content-Security-Policy (kept on) forbids a
    # script tag that the test would add.
    page.context.add_init_script(path=AXE)
    folder = os.environ.get("PARLURE_SCREENSHOTS")
    violations: list[str] = []

    def audit(name: str, path: str) -> None:
        page.goto(path)
        expect(page.locator("main h1").first).to_be_visible()
        if folder:
            shot = Path(folder) / f"pages-{language}-{color_scheme}-{width}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
        violations.extend(_audit(page))

    for name, path in ANONYMOUS_PAGES.items():
        audit(name, path)
    _log_in(page, site.person)
    for name, path in _member_pages(site).items():
        audit(name, path)
    assert violations == []
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_audit_finds_a_violation(
    site: Site, browser: "Browser", live_server: LiveServer
) -> None:
    """The audit is not blind: a field without a label, put in the page, is reported."""
    page = _page(browser, live_server, DESKTOP)
    page.context.add_init_script(path=AXE)
    page.goto("/compte/login/")
    page.evaluate("document.querySelector('main').appendChild(document.createElement('input'))")
    violations = _audit(page)
    assert len(violations) == 1
    assert "/compte/login/: label (critical): #main > input" in violations[0]
