"""The registrar's and the records officer's jobs end to end in Chromium, on a laptop and a phone.

A records request is taken in, the matching comment chosen, the personal identity
number in it masked by the suggested redaction, and the request released as PDF
and CSV without the number. A snapshot of an account's page is taken on demand
(the page is served by the live server, which the outbound guard is told to
allow as the demo's stand-in is) and shown with its files.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.services import item_ingest
from kanalvakt.records.models import Snapshot
from kanalvakt.register.models import Account

WIDTHS = [pytest.param(1366, id="1366px"), pytest.param(390, id="390px")]
NUMBER = "19121212-1212"


def _account() -> Account:
    return Account.objects.get(
        organisation__slug="overkalix", handle="overkalixkommun", platform="facebook"
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_registrar_releases_a_request_with_the_identity_number_masked(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
    width: int,
) -> None:
    browser_page.set_viewport_size({"width": width, "height": 900})
    text = f"Simhallen i Överkalix är smutsig, ring mig på mitt personnummer {NUMBER}"
    incoming = IncomingItem(
        platform="facebook",
        external_id="records-job-1",
        kind=ItemKind.COMMENT,
        created_at=timezone.now() - datetime.timedelta(hours=2),
        raw=json.dumps({"id": "records-job-1", "message": text}).encode(),
        text=text,
        author_name="Åsa Öberg",
    )
    item_ingest(account=_account(), incoming=incoming)

    browser_login("lena.aberg", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/begaran/")
    browser_page.get_by_label("Sökande").fill("Lokaltidningen")
    browser_page.get_by_label("Vad begärs").fill("Alla kommentarer om simhallen i november.")
    browser_page.locator("main form[method=post] button[type=submit]").first.click()

    browser_page.get_by_label("Sökord").fill("simhallen")
    browser_page.locator("main form[method=get] button[type=submit]").first.click()
    browser_page.get_by_label("Simhallen i Överkalix är smutsig", exact=False).check()
    browser_page.get_by_role("button", name="Spara urvalet").click()
    browser_page.get_by_role(
        "button", name="Lägg till föreslagna maskeringar (personuppgifter)"
    ).click()
    expect(browser_page.locator("del.redacted").filter(has_text=NUMBER)).to_have_count(1)

    browser_page.get_by_role("button", name="Lämna ut (PDF och CSV)").click()
    pdf_link = browser_page.get_by_role("link", name="PDF", exact=True).first
    expect(pdf_link).to_be_visible()
    csv = browser_page.request.get(
        pdf_link.get_attribute("href").replace("/pdf", "/csv")  # type: ignore[union-attr]
    )
    assert csv.ok
    released = csv.text()
    assert "Simhallen" in released and NUMBER not in released


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_records_officer_takes_a_snapshot_on_demand_and_sees_it(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
    settings: Any,
    width: int,
) -> None:
    browser_page.set_viewport_size({"width": width, "height": 900})
    settings.OUTBOUND_ALLOW_HOSTS = [live_server.url.split("//", 1)[1]]
    account = _account()
    Account.objects.filter(pk=account.pk).update(url=f"{live_server.url}/register/overkalix/")
    before = Snapshot.objects.filter(account=account).count()

    browser_login("lena.aberg", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/ogonblicksbilder/")
    row = (
        browser_page.get_by_role("listitem")
        .filter(has_text="overkalixkommun")
        .filter(has_text="Facebook")
    )
    row.get_by_role("button", name="Ögonblicksbild inför större förändring").click()

    expect(browser_page.get_by_text("Ögonblicksbilden tas inom kort")).to_be_visible()
    assert Snapshot.objects.filter(account=account).count() == before + 1
    taken = browser_page.get_by_role("row").filter(has_text="inför större förändring").first
    expect(taken.get_by_role("link", name="PDF/A")).to_be_visible()
