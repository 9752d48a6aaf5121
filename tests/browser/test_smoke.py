"""The harness works end to end: a real browser logs in against the live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kanalvakt.organisations.models import OrganisationKind, Role, User
from kanalvakt.organisations.services import membership_grant, organisation_create

PASSWORD = "ett-långt-lösenord-för-test"


def _assert_strict_csp(headers: dict[str, str]) -> None:
    csp = headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp, csp
    assert "unsafe-inline" not in csp, csp
    assert "unsafe-eval" not in csp, csp


@pytest.mark.browser
def test_user_logs_in_and_lands_on_their_organisations_dashboard(
    browser_page: Page, live_server: LiveServer
) -> None:
    organisation = organisation_create(
        actor=None,
        name="Provkommun",
        slug="provkommun",
        kind=OrganisationKind.MUNICIPALITY,
        country="SE",
    )
    user = User.objects.create_user(username="anna", password=PASSWORD, first_name="Anna")
    membership_grant(actor=None, organisation=organisation, user=user, role=Role.COMMS_LEAD)

    response = browser_page.goto(live_server.url + "/logga-in/")
    assert response is not None
    assert response.status == 200
    _assert_strict_csp(response.headers)
    expect(browser_page.get_by_role("heading", name="Logga in")).to_be_visible()

    browser_page.get_by_label("Användarnamn").fill("anna")
    browser_page.get_by_label("Lösenord").fill(PASSWORD)
    landing = f"{live_server.url}/o/{organisation.slug}/oversikt/"
    with browser_page.expect_response(landing) as landed:
        browser_page.get_by_role("button", name="Logga in").click()
    browser_page.wait_for_url(landing)

    assert landed.value.status == 200
    _assert_strict_csp(landed.value.headers)
    expect(browser_page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.browser
def test_wrong_password_stays_on_login_page(browser_page: Page, live_server: LiveServer) -> None:
    User.objects.create_user(username="bertil", password=PASSWORD)

    browser_page.goto(live_server.url + "/logga-in/")
    browser_page.get_by_label("Användarnamn").fill("bertil")
    browser_page.get_by_label("Lösenord").fill("fel-lösenord")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Logga in").click()

    expect(browser_page.get_by_role("alert")).to_be_visible()
    assert browser_page.url.startswith(live_server.url + "/logga-in/")
