"""Capturing a page in Debian's Chromium through Playwright (REC-3).

One browser visit gives: the PDF as printed, a full-page PNG, and a WARC of
every HTTP exchange the page made (each request is fetched by Playwright's
router, written to the WARC, then fulfilled to the page, so the WARC holds
exactly what the browser saw). Pages that show a login form or land on a
login address are captured as seen and flagged.

Every request the page makes (the page itself, each subrequest and each
redirect, which the browser follows as a new routed request) passes the
outbound guard (`kanalvakt.lib.netguard`) before it is fetched: requests to
loopback, private or reserved addresses are aborted and listed in
`Capture.refused`, never fetched and never written to the WARC. WebSockets
are closed. A capture stops fetching past `SNAPSHOT_MAX_BYTES` and
`SNAPSHOT_MAX_SECONDS`.

The router fetches each request itself (`kanalvakt.lib.pinned`): the name is
resolved once, every address checked, and the connection made to a checked
address with the original Host header and the host name's TLS certificate.
Neither Chromium nor Playwright's own HTTP client ever resolves a page's host
names, so a DNS answer that changes between check and connection (DNS
rebinding) reaches nothing.
"""

from __future__ import annotations

import io
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from kanalvakt.lib.netguard import OutboundRefused, check_public_url
from kanalvakt.lib.pinned import FetchFailed, PinnedResponse, TooLarge, TooSlow, pinned_request

CHROMIUM = os.environ.get("KANALVAKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # WebRTC could reach addresses the router never sees.
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    # Chromium itself reaches nothing: every request is fetched by the router (Playwright's
    # own client, after the guard) and fulfilled; anything that slips past the router (a
    # preconnect, a redirect Chromium follows itself) goes to a proxy that is not there.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
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
    refused: list[str] = field(default_factory=list)
    """Requests the outbound guard or a cap stopped, with the reason."""

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
    status: int, reason: str, headers: list[tuple[str, str]], body: bytes
) -> tuple[StatusAndHeaders, io.BytesIO]:
    kept = [
        (name, value)
        for name, value in headers
        if name.lower() not in ("content-encoding", "transfer-encoding", "content-length")
    ]
    kept.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(f"{status} {reason or 'OK'}", kept, protocol="HTTP/1.1"), io.BytesIO(
        body
    )


@dataclass
class _Budget:
    """What one capture may still fetch, and until when."""

    max_bytes: int
    deadline: float
    used: int = 0

    @classmethod
    def from_settings(cls) -> _Budget:
        return cls(
            max_bytes=int(getattr(settings, "SNAPSHOT_MAX_BYTES", 50 * 1024 * 1024)),
            deadline=time.monotonic() + int(getattr(settings, "SNAPSHOT_MAX_SECONDS", 120)),
        )

    def refusal(self) -> str:
        """Why nothing more may be fetched, or '' if it may."""
        if time.monotonic() > self.deadline:
            return "tidsgränsen för ögonblicksbilden har passerats"
        if self.used >= self.max_bytes:
            return "storleksgränsen för ögonblicksbilden har nåtts"
        return ""

    def fetch(
        self, url: str, method: str, headers: dict[str, str], body: bytes | None
    ) -> PinnedResponse:
        """One exchange at the address the guard checked, counted against the caps."""
        remaining = self.deadline - time.monotonic()
        response = pinned_request(
            method,
            url,
            headers=headers,
            body=body,
            timeout=max(0.1, remaining),
            max_bytes=self.max_bytes - self.used,
            deadline=self.deadline,
        )
        self.used += len(response.body)
        return response


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


MAX_REDIRECTS = 10


class _Refused(Exception):
    """A cap stops the capture from fetching more."""


def _fulfil_headers(response: PinnedResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in response.headers:
        key = name.lower()
        if key in headers:
            headers[key] += ("\n" if key == "set-cookie" else ", ") + value
        else:
            headers[key] = value
    return headers


def _capture(browser: Any, url: str, timeout_ms: int) -> Capture:
    from playwright.sync_api import Error as PlaywrightError

    try:
        check_public_url(url)
    except OutboundRefused as error:
        raise CaptureError(str(error)) from error

    result = Capture(url=url)
    budget = _Budget.from_settings()
    timeout_ms = min(timeout_ms, int(max(1.0, budget.deadline - time.monotonic()) * 1000))
    warc_buffer = io.BytesIO()
    writer = WARCWriter(warc_buffer, gzip=True)
    info = writer.create_warcinfo_record(
        "kanalvakt.warc.gz",
        {"software": "Kanalvakt (Playwright, Chromium)", "format": "WARC 1.1"},
    )
    writer.write_record(info)

    def write(url: str, request: Any, method: str, response: PinnedResponse) -> None:
        request_headers = StatusAndHeaders(
            f"{method} {urlsplit(url).path or '/'} HTTP/1.1",
            list(request.headers.items()),
            is_http_request=True,
        )
        post = request.post_data_buffer if url == request.url else None
        writer.write_record(
            writer.create_warc_record(
                url, "request", payload=io.BytesIO(post or b""), http_headers=request_headers
            )
        )
        http_headers, payload = _http_payload(
            response.status, response.reason, response.headers, response.body
        )
        writer.write_record(
            writer.create_warc_record(url, "response", payload=payload, http_headers=http_headers)
        )

    def route(route: Any) -> None:
        """Fetch one request at a checked address, following its redirects here: a redirect
        handed to Chromium would be followed by the browser itself, past this router."""
        request = route.request
        url, method = request.url, request.method
        body: bytes | None = request.post_data_buffer
        for _hop in range(MAX_REDIRECTS + 1):
            refusal = budget.refusal()
            try:
                if refusal:
                    raise _Refused(refusal)
                response = budget.fetch(url, method, dict(request.headers), body)
            except (_Refused, OutboundRefused) as error:
                result.refused.append(f"{url[:300]}: {error}")
                route.abort("blockedbyclient")
                return
            except TooLarge:
                result.refused.append(f"{url[:300]}: storleksgränsen har nåtts")
                route.abort("blockedbyclient")
                return
            except TooSlow:
                result.refused.append(f"{url[:300]}: tidsgränsen har passerats")
                route.abort("blockedbyclient")
                return
            except FetchFailed:
                route.abort()
                return
            except Exception:  # noqa: BLE001 - a request left unanswered would hang the page
                route.abort()
                raise
            write(url, request, method, response)
            location = response.header("location")
            if not (300 <= response.status < 400 and location):
                break
            url = urljoin(url, location)
            if response.status not in (307, 308):
                method, body = "GET", None
        else:
            result.refused.append(f"{request.url[:300]}: för många omdirigeringar")
            route.abort("blockedbyclient")
            return
        if request.is_navigation_request() and request.frame.parent_frame is None:
            result.final_url = url
        route.fulfill(status=response.status, headers=_fulfil_headers(response), body=response.body)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.route("**/*", route)
        page.route_web_socket("**/*", lambda socket: socket.close())
        page.goto(url, wait_until="load", timeout=timeout_ms)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        result.final_url = result.final_url or page.url
        result.title = page.title()[:500]
        result.login_signals = _login_signals(result.final_url, page)
        result.png = page.screenshot(full_page=True, type="png")
        page.emulate_media(media="screen")
        result.pdf = page.pdf(print_background=True, format="A4")
    except PlaywrightError as error:
        raise CaptureError(str(error).splitlines()[0]) from error
    finally:
        context.close()
    result.warc = warc_buffer.getvalue()
    return result
