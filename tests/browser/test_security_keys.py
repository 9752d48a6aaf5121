"""Security keys in real Chromium: Chromium's virtual authenticator (over CDP) stands in for
a hardware key. A person whose role requires two-factor registers a key on the two-factor
page, signs out, and signs in again with the password and the key."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kanalvakt.organisations.models import (
    Organisation,
    OrganisationKind,
    Role,
    SecurityKey,
    User,
)
from kanalvakt.organisations.services import membership_grant, organisation_create
from kanalvakt.organisations.twofactor import organisation_two_factor_roles_set
from tests.browser.test_every_page import _violations

PASSWORD = "ett-långt-lösenord-för-test"


def _organisation_requiring_two_factor() -> Organisation:
    organisation = organisation_create(
        actor=None,
        name="Provkommun",
        slug="provkommun",
        kind=OrganisationKind.MUNICIPALITY,
        country="SE",
    )
    lead = User.objects.create_user(username="chef", password=PASSWORD)
    membership_grant(actor=None, organisation=organisation, user=lead, role=Role.COMMS_LEAD)
    anna = User.objects.create_user(username="anna", password=PASSWORD, first_name="Anna")
    membership_grant(actor=None, organisation=organisation, user=anna, role=Role.REGISTRAR)
    organisation_two_factor_roles_set(actor=lead, organisation=organisation, roles=[Role.REGISTRAR])
    return organisation


@pytest.fixture
def relying_party(settings: Any, live_server: LiveServer) -> None:
    # http://localhost is a secure context for Chromium, so WebAuthn works on the live server.
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [live_server.url]


# Browsers without WebAuthn's JSON helpers (older Safari and Firefox) take the script's
# own base64url path; removing Chromium's helpers runs that path here.
WITHOUT_JSON_HELPERS = """
delete PublicKeyCredential.parseCreationOptionsFromJSON;
delete PublicKeyCredential.parseRequestOptionsFromJSON;
delete PublicKeyCredential.prototype.toJSON;
"""


@pytest.mark.browser
@pytest.mark.usefixtures("relying_party")
@pytest.mark.parametrize("json_helpers", [True, False], ids=["json-helpers", "own-encoding"])
def test_register_a_key_sign_out_and_sign_in_with_password_and_key(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    json_helpers: bool,
) -> None:
    organisation = _organisation_requiring_two_factor()
    if not json_helpers:
        browser_page.add_init_script(WITHOUT_JSON_HELPERS)
    cdp = browser_page.context.new_cdp_session(browser_page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    dashboard = f"{live_server.url}/o/{organisation.slug}/oversikt/"

    # The role requires two-factor: after the password, the two-factor page.
    browser_login("anna", PASSWORD)
    expect(browser_page).to_have_url(re.compile(r"/konto/tvastegsverifiering/\?next="))
    expect(browser_page.get_by_text("Din roll kräver tvåstegsverifiering")).to_be_visible()
    helpers = browser_page.evaluate("typeof PublicKeyCredential.prototype.toJSON")
    assert helpers == ("function" if json_helpers else "undefined")
    expect(browser_page.get_by_text("Din webbläsare kan inte använda")).to_be_hidden()
    axe = Axe()
    assert _violations(browser_page, axe) == []
    browser_page.get_by_label("Nyckelns namn").fill("Datorns nyckel")
    browser_page.get_by_role("button", name="Lägg till säkerhetsnyckel").click()
    browser_page.wait_for_url(dashboard)
    expect(
        browser_page.get_by_text("Säkerhetsnyckeln ”Datorns nyckel” är tillagd.")
    ).to_be_visible()
    key = SecurityKey.objects.get(user__username="anna")
    assert key.name == "Datorns nyckel"

    # Sign out, and in again: password, then the key instead of a code.
    browser_page.locator("details.user-menu summary").click()
    browser_page.get_by_role("button", name="Logga ut").click()
    browser_page.wait_for_load_state()
    browser_login("anna", PASSWORD)
    expect(browser_page).to_have_url(re.compile(r"/konto/tvastegsverifiering/kod/\?next="))
    expect(browser_page.get_by_role("heading", name="Säkerhetsnyckel")).to_be_visible()
    assert _violations(browser_page, axe) == []
    browser_page.get_by_role("button", name="Logga in med säkerhetsnyckel").click()
    browser_page.wait_for_url(dashboard)
    expect(browser_page.get_by_role("heading", level=1)).to_be_visible()

    # The key is listed on the two-factor page, with when it was last used.
    browser_page.goto(live_server.url + "/konto/tvastegsverifiering/")
    expect(browser_page.get_by_role("rowheader", name="Datorns nyckel")).to_be_visible()
    expect(browser_page.get_by_role("button", name="Ta bort Datorns nyckel")).to_be_visible()
    assert _violations(browser_page, axe) == []

    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert key.sign_count == credentials["credentials"][0]["signCount"]


@pytest.mark.browser
@pytest.mark.usefixtures("relying_party")
def test_without_webauthn_the_page_explains_itself(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
) -> None:
    _organisation_requiring_two_factor()
    browser_page.add_init_script("delete window.PublicKeyCredential;")
    browser_login("anna", PASSWORD)
    expect(browser_page.get_by_text("Din webbläsare kan inte använda")).to_be_visible()
    expect(browser_page.get_by_role("button", name="Lägg till säkerhetsnyckel")).to_be_hidden()
    # The authenticator app still works as the way in.
    expect(browser_page.get_by_role("button", name="Slå på")).to_be_visible()
