"""End-to-end harness: headless Chromium (Playwright) against pytest-django's `live_server`.

Fixtures and helpers for every browser test (officer steps now; reviewer flows and PDFs later):

* `browser` (session): Debian's /usr/bin/chromium driven by Playwright. When the executable
  is missing the e2e tests are skipped with the reason; CI installs it (`bin/system-deps`).
* `page`: a fresh browser context per test (1366×768, zh-CN, Asia/Shanghai), closed after it.
* `world`: the reference department (imported report, 97.59 / 98.49 / 优) and an empty draft
  of 江门市示范局, with their officers and a reviewer (`tests.factories.build_world`), in a
  `transactional_db`: the live server answers from another thread, so the data must be
  committed for it to see it.
* `login(page, live_server, username)` signs in through the real login form (`login_as` puts
  a session cookie in place instead, for tests about something else);
  `shot(page, name)` saves a full-page PNG under the test's `tmp_path / "screenshots"`.

Playwright's sync API keeps an asyncio loop marked as running in the main thread from
`sync_playwright().start()` until `stop()`, i.e. for the rest of the session once `browser` is
created. Django then refuses ORM calls from the test thread (SynchronousOnlyOperation) although
nothing here is asynchronous, hence DJANGO_ALLOW_ASYNC_UNSAFE below.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Before any fixture runs: the ORM is used from the main thread while Playwright's loop is up.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright  # noqa: E402

from evaluations.models import Campaign  # noqa: E402
from tests.factories import PASSWORD, World, build_world, make_campaign  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
PHONE_VIEWPORT = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # default for actions and expect(); a page here renders in well under 1 s


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e `e2e`, so `-m "not e2e"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


# -- browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"end-to-end tests need Chromium at {CHROMIUM} (bin/system-deps installs it)")
    playwright = sync_playwright().start()
    try:
        yield playwright
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=CHROMIUM_ARGS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield browser
    finally:
        browser.close()


def new_page(browser: Browser, viewport: dict[str, int] | None = None) -> Page:
    """A page in a fresh context (own cookies); close it with `page.context.close()`."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    try:
        yield page
    finally:
        page.context.close()


# -- data ------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: object) -> None:
    """MD5 instead of PBKDF2 (~1 s per hash here): users are created and log in per test.

    The login form and the session machinery are the real ones; only the hash is cheaper.
    `settings` is pytest-django's, restored after the test; the live server shares it.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def campaign(transactional_db: None) -> Campaign:
    return make_campaign()


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


# -- helpers ---------------------------------------------------------------------------------

def login(page: Page, live_server: object, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the home page (我的自评)."""
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("h1")).to_have_text("我的自评")


def login_as(page: Page, live_server: object, user: object) -> None:
    """Skip the login form: a session made by Django's test client, as a cookie of the page.

    For tests about something else than logging in (reviewer flows, PDFs).
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value,
                               "url": str(live_server.url)}])  # type: ignore[attr-defined]


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "shot"


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory


@pytest.fixture
def shot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """`shot(page, "03-expenditure")` → the full-page PNG it saved in this test's directory."""

    def take(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{safe_name(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
