"""Issue 2 end to end: a comms lead logs in, opens an account, and the public
register and its JSON are reachable without logging in."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer


@pytest.mark.browser
def test_comms_lead_sees_account_warnings_and_public_register(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("karin.lind", "kanalvakt-demo")
    # Login lands on the dashboard; the accounts are one click away.
    browser_page.get_by_role("link", name="Konton", exact=True).click()
    expect(browser_page.get_by_role("link", name="Konton", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Överkalix kommun")
    expect(browser_page.get_by_text("Policy för sociala medier")).to_be_visible()

    browser_page.get_by_role("link", name="Facebook overkalixbibliotek").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Facebook overkalixbibliotek")
    warnings = browser_page.locator("#warnings-heading + ul")
    expect(warnings).to_contain_text("policyn kräver minst 2")
    expect(warnings).to_contain_text("Webbansvarig saknas")
    expect(warnings).to_contain_text("Passiva konton ska stängas")

    # The public page, in a fresh context without the login cookie.
    browser = browser_page.context.browser
    assert browser is not None
    public = browser.new_context(base_url=live_server.url, locale="sv-SE")
    try:
        anonymous = public.new_page()
        response = anonymous.goto("/register/overkalix/")
        assert response is not None and response.status == 200
        expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Överkalix kommun")
        expect(anonymous.get_by_role("cell", name="overkalixbibliotek", exact=True)).to_be_visible()
        expect(anonymous.get_by_role("link", name="Logga ut")).to_have_count(0)

        anonymous.get_by_role("link", name="JSON", exact=True).click()
        body = json.loads(anonymous.locator("body").inner_text())
        handles = {row["handle"] for row in body["accounts"]}
        assert "overkalixbibliotek" in handles
        assert "overkalix_ung" not in handles  # still only requested
    finally:
        public.close()
