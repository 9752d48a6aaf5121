"""Issue 11, finding 1: snapshots never fetch internal addresses (SSRF).

The page, every subrequest and every redirect pass the outbound guard; what
it refuses is never fetched and never lands in the downloadable WARC.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import OrganisationWorld
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback
from kanalvakt.lib.tests.testca import pages
from kanalvakt.records.capture import Capture
from kanalvakt.records.models import SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import make_account, warc_text

SECRET = "HEMLIG-INTERN-UPPGIFT"


@pytest.fixture
def intranet(loopback: Loopback) -> tuple[str, list[str]]:
    """A loopback server standing in for an intranet host: not in OUTBOUND_ALLOW_HOSTS."""
    hits: list[str] = []
    server = loopback(pages({"/secret": (200, SECRET)}, hits))
    return f"127.0.0.1:{server.port}", hits


@pytest.fixture
def hostile_site(loopback: Loopback, allow: Allow, intranet: tuple[str, list[str]]) -> str:
    """An allowed site whose page pulls in the intranet host directly and by redirect."""
    inner, _hits = intranet
    table = {
        "/page": (
            200,
            "<!doctype html><html><head><title>Sida</title></head><body><h1>Sida</h1>"
            f'<img src="http://{inner}/secret"><iframe src="/hop"></iframe>'
            f'<link rel=stylesheet href="http://{inner}/secret?css"></body></html>',
        ),
        "/hop": (302, f"http://{inner}/secret?redirected"),
        "/big": (200, "<!doctype html><title>Stor</title><p>" + "x" * 40_000 + "</p>"),
    }
    return f"http://{allow('127.0.0.1', loopback(pages(table)))}"


def _never(url: str) -> Capture:
    raise AssertionError(f"the browser was asked to open {url}")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "https://127.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://intranet.internal/",
        "https://[::1]/",
        "http://www.facebook.com/overkalix",
        "https://facebook.evil.example/overkalix",
    ],
)
def test_an_account_address_that_is_internal_plain_http_or_off_platform_is_not_opened(
    overkalix: OrganisationWorld, url: str
) -> None:
    account = make_account(overkalix, url="https://www.facebook.com/overkalix")
    account.url = url
    with pytest.raises(ValidationError):
        snapshot_capture(
            actor=overkalix.registrar,
            account=account,
            reason=SnapshotReason.BEFORE_MAJOR_CHANGE,
            capturer=_never,
        )
    assert not account.snapshots.exists()


def test_an_official_platform_address_is_opened(overkalix: OrganisationWorld) -> None:
    from kanalvakt.records.tests.test_snapshots import fake_capture

    account = make_account(overkalix, url="https://www.facebook.com/overkalix")
    snapshot = snapshot_capture(
        actor=overkalix.registrar,
        account=account,
        reason=SnapshotReason.BEFORE_MAJOR_CHANGE,
        capturer=fake_capture,
    )
    assert snapshot.url == "https://www.facebook.com/overkalix"


@pytest.mark.browser
def test_subrequests_and_redirects_to_internal_hosts_are_never_fetched(
    overkalix: OrganisationWorld, hostile_site: str, intranet: tuple[str, list[str]]
) -> None:
    _inner, hits = intranet
    account = make_account(overkalix, url=f"{hostile_site}/page")
    snapshot = snapshot_capture(
        actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
    )
    assert hits == []
    warc = warc_text(snapshot)
    assert "<h1>Sida</h1>" in warc
    assert SECRET not in warc
    event = snapshot.account.organisation.audit_events.get(event_type="record.snapshot_captured")
    refused = "\n".join(event.data["refused"])
    assert "/secret?redirected" in refused
    assert "/secret?css" in refused


@pytest.mark.browser
def test_a_capture_stops_fetching_at_its_size_cap(
    overkalix: OrganisationWorld, hostile_site: str, settings: Any
) -> None:
    settings.SNAPSHOT_MAX_BYTES = 10_000
    account = make_account(overkalix, url=f"{hostile_site}/big")
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        snapshot_capture(
            actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
        )


@pytest.mark.browser
def test_a_page_that_redirects_to_an_internal_host_is_refused_before_it_is_fetched(
    overkalix: OrganisationWorld, hostile_site: str, intranet: tuple[str, list[str]]
) -> None:
    _inner, hits = intranet
    account = make_account(overkalix, url=f"{hostile_site}/hop")
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        snapshot_capture(
            actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
        )
    assert hits == []


def test_the_snapshot_button_says_why_an_internal_address_is_not_opened(
    overkalix: OrganisationWorld, client: Any
) -> None:
    account = make_account(overkalix, url="https://www.facebook.com/overkalix")
    type(account).objects.filter(pk=account.pk).update(url="http://169.254.169.254/latest/")
    client.force_login(overkalix.account_owner)
    response = client.post(f"/o/overkalix/konton/{account.pk}/ogonblicksbild/", follow=True)
    page = response.content.decode()
    assert "Ögonblicksbilden kan inte tas" in page
    assert "tas inom kort" not in page


@pytest.mark.browser
def test_chromium_itself_reaches_nothing_the_router_did_not_fetch(
    loopback: Loopback, intranet: tuple[str, list[str]]
) -> None:
    """Defence in depth: even a redirect handed to Chromium unchecked goes nowhere."""
    from playwright.sync_api import sync_playwright

    from kanalvakt.records.capture import CHROMIUM, CHROMIUM_ARGS

    inner, hits = intranet
    server = loopback(pages({"/hop": (302, f"http://{inner}/secret")}))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(
            "**/*",
            lambda route: route.fulfill(response=route.fetch(max_redirects=0)),
        )
        with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED"):
            page.goto(f"http://127.0.0.1:{server.port}/hop", timeout=10_000)
        browser.close()
    assert hits == []
