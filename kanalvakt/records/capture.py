"""Capturing a page in Debian's Chromium through Playwright (REC-3).

One browser visit gives: the PDF as printed, a full-page PNG, and a WARC of
every HTTP exchange the page made (each request is fetched by Playwright's
router, written to the WARC, then fulfilled to the page, so the WARC holds
exactly what the browser saw). Pages that show a login form or land on a
login address are captured as seen and flagged.
"""

from __future__ import annotations

import io
import os
import queue
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

CHROMIUM = os.environ.get("KANALVAKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_LOGIN_PATH = re.compile(
    r"(log-?in|sign-?in|logga-in|kirjaudu|/auth|/checkpoint|accounts/login)", re.IGNORECASE
)
_LOGIN_TEXT = re.compile(
    r"\b(logga in|log in|sign in|kirjaudu sisään|you must log in|du måste logga in)\b",
    re.IGNORECASE,
)


class CaptureError(RuntimeError):
    pass


@dataclass
class Capture:
    url: str
    final_url: str = ""
    title: str = ""
    pdf: bytes = b""
    png: bytes = b""
    warc: bytes = b""
    login_signals: list[str] = field(default_factory=list)

    @property
    def login_wall(self) -> bool:
        return bool(self.login_signals)


def _login_signals(final_url: str, page: Any) -> list[str]:
    signals = []
    if _LOGIN_PATH.search(urlsplit(final_url).path + "?" + urlsplit(final_url).query):
        signals.append(f"omdirigerad till inloggningsadress: {final_url}")
    if page.locator("input[type=password]").count() > 0:
        signals.append("sidan visar ett lösenordsfält")
    body = page.locator("body").inner_text(timeout=5000) if page.locator("body").count() else ""
    if _LOGIN_TEXT.search(body[:5000]) and page.locator("form").count() > 0:
        signals.append("sidan ber besökaren logga in")
    return signals


def _http_payload(
    status: int, reason: str, headers: dict[str, str], body: bytes
) -> tuple[StatusAndHeaders, io.BytesIO]:
    kept = [
        (name, value)
        for name, value in headers.items()
        if name.lower() not in ("content-encoding", "transfer-encoding", "content-length")
    ]
    kept.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(f"{status} {reason or 'OK'}", kept, protocol="HTTP/1.1"), io.BytesIO(
        body
    )


def capture_page(url: str, *, timeout_ms: int = 30000) -> Capture:
    """Visit `url` in a fresh headless Chromium and return PDF, PNG and WARC."""
    with capture_session(timeout_ms=timeout_ms) as capture:
        return capture(url)


@contextmanager
def capture_session(*, timeout_ms: int = 30000) -> Iterator[Callable[[str], Capture]]:
    """One Chromium for many captures (the half-year job, the demo); each in its own context.

    Playwright's sync API runs an event loop in its thread, where Django refuses
    database work; so the browser lives in a thread of its own and captures are
    handed to it, while the caller's thread keeps the database.
    """
    requests: queue.Queue[tuple[str, Future[Capture]] | None] = queue.Queue()
    started: Future[None] = Future()

    def run() -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                started.set_result(None)
                try:
                    while (job := requests.get()) is not None:
                        url, result = job
                        try:
                            result.set_result(_capture(browser, url, timeout_ms))
                        except BaseException as error:  # noqa: BLE001 - handed to the caller
                            result.set_exception(error)
                finally:
                    browser.close()
        except PlaywrightError as error:
            if not started.done():
                started.set_exception(CaptureError(str(error).splitlines()[0]))
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            if not started.done():
                started.set_exception(error)

    thread = threading.Thread(target=run, name="kanalvakt-chromium", daemon=True)
    thread.start()
    started.result()

    def capture(url: str) -> Capture:
        result: Future[Capture] = Future()
        requests.put((url, result))
        return result.result()

    try:
        yield capture
    finally:
        requests.put(None)
        thread.join(timeout=60)


def _capture(browser: Any, url: str, timeout_ms: int) -> Capture:
    from playwright.sync_api import Error as PlaywrightError

    result = Capture(url=url)
    warc_buffer = io.BytesIO()
    writer = WARCWriter(warc_buffer, gzip=True)
    info = writer.create_warcinfo_record(
        "kanalvakt.warc.gz",
        {"software": "Kanalvakt (Playwright, Chromium)", "format": "WARC 1.1"},
    )
    writer.write_record(info)

    def route(route: Any) -> None:
        request = route.request
        try:
            response = route.fetch(timeout=timeout_ms, max_redirects=0)
            body = response.body()
        except PlaywrightError:
            route.abort()
            return
        request_headers = StatusAndHeaders(
            f"{request.method} {urlsplit(request.url).path or '/'} HTTP/1.1",
            list(request.headers.items()),
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                request.url,
                "request",
                payload=io.BytesIO(request.post_data_buffer or b""),
                http_headers=request_headers,
            )
        )
        http_headers, payload = _http_payload(
            response.status, response.status_text, response.headers, body
        )
        writer.write_record(
            writer.create_warc_record(
                request.url, "response", payload=payload, http_headers=http_headers
            )
        )
        route.fulfill(response=response, body=body)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.route("**/*", route)
        page.goto(url, wait_until="load", timeout=timeout_ms)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        result.final_url = page.url
        result.title = page.title()[:500]
        result.login_signals = _login_signals(page.url, page)
        result.png = page.screenshot(full_page=True, type="png")
        page.emulate_media(media="screen")
        result.pdf = page.pdf(print_background=True, format="A4")
    except PlaywrightError as error:
        raise CaptureError(str(error).splitlines()[0]) from error
    finally:
        context.close()
    result.warc = warc_buffer.getvalue()
    return result
