"""Browser tests: the desk in real headless Chromium (Debian's `chromium` package, driven by
Playwright's sync API; `.ci/run` installs it with apt, since browser downloads are impossible).

Playwright's sync API runs an event loop and Django refuses ORM calls inside one, hence
DJANGO_ALLOW_ASYNC_UNSAFE here, and only here. `live_server` serves the desk from this process
(committed data: transactional database); tests that need the model point the desk at the
session's real Rasa server (tests/conftest.py `servers`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.settings import REPO_ROOT
from tests.desk.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SCREENSHOTS = REPO_ROOT / "docs" / "img"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser(request: pytest.FixtureRequest) -> Iterator:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed: sudo apt-get install chromium (.ci/run does it)")
    if any("running_servers" in item.fixturenames for item in request.session.items):
        # Start the session's Rasa server first: it waits with asyncio.run(), which refuses to run
        # once Playwright's sync API holds an event loop in this thread.
        request.getfixturevalue("running_servers")
    version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"\nbrowser tests: {version} (Playwright is built against its own revision; this one may be newer)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@contextmanager
def browser_page(chromium_browser, live_server, username: str | None = None) -> Iterator:
    """A page in a browser context of its own (its own cookies: a second person), logged in as
    `username` through the real login form if one is given."""
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username is not None:
            log_in(page, username)
        yield page
    finally:
        context.close()


@pytest.fixture
def page(chromium_browser, live_server):
    with browser_page(chromium_browser, live_server) as page:
        yield page


@pytest.fixture
def staff_as_migrated(cast) -> None:
    """The staff group answers cases, as migration cases/0002 made it: a transactional test's flush
    empties the tables, and the groups the cast makes again come back without their permissions."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(codename="handle_case", content_type__app_label="cases")
    Group.objects.get(name="staff").permissions.add(permission)


def log_in(page, username: str) -> None:
    """Through the real login form, as one of the cast (tests/desk/conftest.py)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("section.login button[type=submit]")
    page.wait_for_url("**/lookup/")


def csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations the browser reports on this page from now on (kept up to date)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


@pytest.fixture
def staff_page(page, staff_as_migrated):
    """A page logged in as `staff` through the real login form."""
    log_in(page, "staff")
    return page


def screenshot(page, name: str, full_page: bool = True) -> None:
    """A picture for docs/desk.md, taken as the test passes through the page (`full_page=False`: what
    the window shows, for a page too long to picture whole)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
