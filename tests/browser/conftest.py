"""Playwright harness: Debian's Chromium against pytest-django's live server.

Use the `browser_page` fixture in a test marked `@pytest.mark.browser`:

    @pytest.mark.browser
    def test_something(browser_page: Page, live_server: LiveServer) -> None:
        browser_page.goto(live_server.url + "/logga-in/")

Each test gets a fresh browser and context (no cookies shared between tests)
and a database that is really committed (`transactional_db`), because the
live server answers from another thread. The page may only load from the live
server: any other request is aborted and fails the test, and so does a
Content-Security-Policy violation reported in the console. A failed test
leaves a screenshot in var/browser-failures/ and its URL in the report.

Playwright's own browser download does not work here; Debian's `chromium`
package does (`scripts/ensure-debian-packages.sh` installs it). Set
KANALVAKT_CHROMIUM to use another binary.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import ConsoleMessage, Page, Request, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("KANALVAKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
# Screenshots of failed browser tests; var/ is not committed.
FAILURE_DIR = Path(__file__).resolve().parents[2] / "var" / "browser-failures"


@dataclass
class BrowserSession:
    page: Page
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)


@pytest.fixture
def browser_session(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[BrowserSession]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` or "
            "scripts/ensure-debian-packages.sh, or set KANALVAKT_CHROMIUM."
        )
    # Playwright's sync API keeps an event loop running in this thread, and
    # Django refuses database calls from a thread with a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server = urlsplit(live_server.url)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                base_url=live_server.url,
                locale="sv-SE",
                timezone_id="Europe/Stockholm",
                service_workers="block",
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            session = BrowserSession(page=page)

            def only_live_server(route: Route, request: Request) -> None:
                url = urlsplit(request.url)
                if url.scheme in {"data", "blob"} or url.netloc == server.netloc:
                    route.continue_()
                else:
                    session.blocked_requests.append(request.url)
                    route.abort()

            def on_console(message: ConsoleMessage) -> None:
                if message.type == "error":
                    session.console_errors.append(message.text)

            context.route("**/*", only_live_server)
            page.on("console", on_console)
            yield session
            context.close()
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps this thread's database
            # connections in context-local storage; close them before the loop
            # stops, or they linger and PostgreSQL cannot drop the test database.
            connections.close_all()

    assert not session.blocked_requests, (
        f"The page tried to load from outside the live server: {session.blocked_requests}"
    )
    csp_violations = [text for text in session.console_errors if "Content Security Policy" in text]
    assert not csp_violations, f"Content-Security-Policy violations: {csp_violations}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """When a browser test fails, keep a screenshot and say where the page was."""
    report = yield
    session = getattr(item, "funcargs", {}).get("browser_session")
    if report.when == "call" and report.failed and isinstance(session, BrowserSession):
        lines = [f"url: {session.page.url}"]
        try:
            FAILURE_DIR.mkdir(parents=True, exist_ok=True)
            shot = FAILURE_DIR / (re.sub(r"[^\w.-]+", "_", item.nodeid) + ".png")
            session.page.screenshot(path=shot, full_page=True)
            lines.append(f"screenshot: {shot}")
        except Exception as exc:  # a failed screenshot must not hide the failure
            lines.append(f"no screenshot: {exc}")
        lines += [f"console error: {text}" for text in session.console_errors]
        report.sections.append(("browser", "\n".join(lines)))
    return report


@pytest.fixture
def browser_page(browser_session: BrowserSession) -> Page:
    return browser_session.page


@pytest.fixture
def browser_login(browser_page: Page, live_server: LiveServer) -> Callable[[str, str], None]:
    """Log in through the real login form; returns once the next page has loaded."""

    def login(username: str, password: str) -> None:
        browser_page.goto(live_server.url + "/logga-in/")
        browser_page.get_by_label("Användarnamn").fill(username)
        browser_page.get_by_label("Lösenord").fill(password)
        with browser_page.expect_navigation():
            browser_page.get_by_role("button", name="Logga in").click()

    return login


@pytest.fixture
def demo(live_server: LiveServer) -> None:
    """The demo organisations, people and traffic (`kanalvakt demo`), quietly."""
    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
