"""Security keys and passkeys (WebAuthn) as the second step of a local sign-in.

The key is a software authenticator (soft_authenticator.py) with a real P-256 key, so
every registration and sign-in below goes through py_webauthn's verification.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisations.models import Role, SecurityKey, User
from kanalvakt.organisations.tests.soft_authenticator import SoftAuthenticator
from kanalvakt.organisations.twofactor import organisation_two_factor_roles_set
from kanalvakt.organisations.twofactor_keys import (
    expected_origins,
    relying_party_check,
    relying_party_id,
    security_key_remove,
)

INBOX = "/o/overkalix/inkorg/"
SETUP = "/konto/tvastegsverifiering/"
VERIFY = "/konto/tvastegsverifiering/kod/"
ADD = "/konto/tvastegsverifiering/nycklar/"
KEY_SIGN_IN = "/konto/tvastegsverifiering/nyckel/"
ORIGIN = "https://kanalvakt.example.se"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = ORIGIN + "/"
    settings.WEBAUTHN_RP_ID = ""
    settings.WEBAUTHN_ORIGINS = []


def _options(page: str, name: str) -> dict[str, Any]:
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no {name} in the page"
    options: dict[str, Any] = json.loads(found.group(1))
    return options


def _signed_in(user: User) -> Client:
    client = Client()
    response = client.post("/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _register(client: Client, key: SoftAuthenticator, name: str = "Gul nyckel", **kw: Any) -> Any:
    options = _options(client.get(SETUP).content.decode(), "webauthn-registration-options")
    credential = key.create(options, kw.pop("origin", ORIGIN), kw.pop("rp_id", None))
    return client.post(ADD, {"name": name, "credential": credential, **kw})


def _with_key(user: User) -> SoftAuthenticator:
    """A person who has registered a key (through the page, while signed in)."""
    key = SoftAuthenticator()
    client = Client()
    client.force_login(user)
    assert _register(client, key).status_code == 302
    return key


def _sign_in_with_key(client: Client, key: SoftAuthenticator, **kw: Any) -> Any:
    page = client.get(VERIFY).content.decode()
    options = _options(page, "webauthn-authentication-options")
    credential = key.get(options, kw.pop("origin", ORIGIN), kw.pop("rp_id", None))
    return client.post(KEY_SIGN_IN, {"credential": credential, "next": INBOX})


def test_relying_party_comes_from_the_site_address_unless_configured(
    settings: Any,
) -> None:
    assert relying_party_id() == "kanalvakt.example.se"
    assert expected_origins() == [ORIGIN]
    settings.WEBAUTHN_RP_ID = "example.se"
    settings.WEBAUTHN_ORIGINS = ["https://a.example.se", "https://b.example.se"]
    assert relying_party_id() == "example.se"
    assert expected_origins() == ["https://a.example.se", "https://b.example.se"]


def test_the_check_names_a_relying_party_that_no_browser_would_accept(settings: Any) -> None:
    assert relying_party_check() == []
    settings.WEBAUTHN_RP_ID = "example.se"
    settings.WEBAUTHN_ORIGINS = ["https://kanalvakt.example.se", "http://localhost:8000"]
    assert [m.id for m in relying_party_check()] == ["organisations.E102"]
    settings.WEBAUTHN_ORIGINS = ["http://kanalvakt.example.se", "kanalvakt.example.se"]
    assert [m.id for m in relying_party_check()] == [
        "organisations.W103",
        "organisations.E101",
    ]


def test_a_required_role_may_register_a_key_instead_of_an_app(world: OrganisationWorld) -> None:
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.CASE_OFFICER]
    )
    client = _signed_in(world.case_officer)
    assert client.get(INBOX)["Location"].startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "Din roll kräver tvåstegsverifiering" in page
    # Without WebAuthn in the browser the page explains itself; the form waits hidden.
    assert "Din webbläsare kan inte använda säkerhetsnycklar här" in page
    assert re.search(r'<form[^>]*action="/konto/tvastegsverifiering/nycklar/"[^>]*hidden', page)
    options = _options(page, "webauthn-registration-options")
    assert options["rp"]["id"] == "kanalvakt.example.se"
    assert options["attestation"] == "none"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"

    response = _register(client, SoftAuthenticator(), next=INBOX)
    assert response.status_code == 302 and response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    key = SecurityKey.objects.get(user=world.case_officer)
    assert key.name == "Gul nyckel" and key.transports == ["usb"]
    event = AuditEvent.objects.get(event_type="user.security_key_registered")
    assert event.data["name"] == "Gul nyckel"
    assert not TOTPDevice.objects.filter(user=world.case_officer, confirmed=True).exists()


def test_sign_in_with_password_and_key_satisfies_the_rule(world: OrganisationWorld) -> None:
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.REGISTRAR]
    )
    key = _with_key(world.registrar)
    client = _signed_in(world.registrar)
    response = client.get(INBOX)
    assert response["Location"].startswith(VERIFY)
    page = client.get(VERIFY).content.decode()
    assert "Logga in med säkerhetsnyckel" in page
    assert "Kod från appen" not in page  # no app: only the key is offered
    done = _sign_in_with_key(client, key)
    assert done.status_code == 302 and done["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    stored = SecurityKey.objects.get(user=world.registrar)
    assert stored.sign_count == 1 and stored.last_used_at is not None


def test_a_person_with_app_and_key_may_use_either(world: OrganisationWorld) -> None:
    key = _with_key(world.registrar)
    TOTPDevice.objects.create(user=world.registrar, name="app", confirmed=True)
    client = _signed_in(world.registrar)
    page = client.get(VERIFY).content.decode()
    assert "Logga in med säkerhetsnyckel" in page and "Kod från appen" in page
    assert _sign_in_with_key(client, key).status_code == 302
    assert client.get(INBOX).status_code == 200


def test_a_challenge_is_used_once(world: OrganisationWorld) -> None:
    key = _with_key(world.registrar)
    client = _signed_in(world.registrar)
    options = _options(client.get(VERIFY).content.decode(), "webauthn-authentication-options")
    credential = key.get(options, ORIGIN)
    assert client.post(KEY_SIGN_IN, {"credential": credential}).status_code == 302
    # The same answer again, in another session that was shown no challenge: refused.
    other = _signed_in(world.registrar)
    replay = other.post(KEY_SIGN_IN, {"credential": credential})
    assert replay.status_code == 400
    assert "Sidan hann gå ut" in replay.content.decode()
    assert other.get(INBOX).status_code == 302


def test_a_copied_key_whose_counter_does_not_grow_is_refused(world: OrganisationWorld) -> None:
    key = _with_key(world.registrar)
    assert _sign_in_with_key(_signed_in(world.registrar), key).status_code == 302
    copy = SoftAuthenticator(
        credential_id=key.credential_id, private_key=key.private_key, sign_count=key.sign_count
    )
    client = _signed_in(world.registrar)
    page = client.get(VERIFY).content.decode()
    credential = copy.get(_options(page, "webauthn-authentication-options"), ORIGIN, advance=False)
    response = client.post(KEY_SIGN_IN, {"credential": credential})
    assert response.status_code == 400
    assert "nyckeln kan vara kopierad" in response.content.decode()
    assert client.get(INBOX).status_code == 302
    event = AuditEvent.objects.get(event_type="user.security_key_counter_refused")
    assert event.data["stored_count"] == 1


@pytest.mark.parametrize(
    ("origin", "rp_id"),
    [("https://kanalvakt.example.se.evil.example", None), (ORIGIN, "evil.example")],
)
def test_an_answer_for_another_site_is_refused(
    world: OrganisationWorld, origin: str, rp_id: str | None
) -> None:
    key = _with_key(world.registrar)
    client = _signed_in(world.registrar)
    response = _sign_in_with_key(client, key, origin=origin, rp_id=rp_id)
    assert response.status_code == 400
    assert "Nyckeln kunde inte verifieras" in response.content.decode()
    assert client.get(INBOX).status_code == 302
    # Nor can a key be registered from another site.
    fresh = Client()
    fresh.force_login(world.case_officer)
    refused = _register(fresh, SoftAuthenticator(), origin=origin, rp_id=rp_id)
    assert refused.status_code == 400
    assert not SecurityKey.objects.filter(user=world.case_officer).exists()


@pytest.mark.parametrize("count", [5, 0])
def test_a_forged_signature_is_refused(world: OrganisationWorld, count: int) -> None:
    key = _with_key(world.registrar)
    assert _sign_in_with_key(_signed_in(world.registrar), key).status_code == 302
    impostor = SoftAuthenticator(credential_id=key.credential_id, sign_count=count)
    client = _signed_in(world.registrar)
    page = client.get(VERIFY).content.decode()
    credential = impostor.get(
        _options(page, "webauthn-authentication-options"), ORIGIN, advance=False
    )
    response = client.post(KEY_SIGN_IN, {"credential": credential})
    assert response.status_code == 400
    assert "Nyckeln kunde inte verifieras" in response.content.decode()
    assert client.get(INBOX).status_code == 302
    # Not taken for a copied key: the key never signed it.
    assert not AuditEvent.objects.filter(event_type="user.security_key_counter_refused").exists()


def test_another_persons_key_does_not_sign_you_in(world: OrganisationWorld) -> None:
    _with_key(world.registrar)
    theirs = _with_key(world.case_officer)
    client = _signed_in(world.registrar)
    page = client.get(VERIFY).content.decode()
    options = _options(page, "webauthn-authentication-options")
    options["allowCredentials"] = []  # a browser could offer any key it holds
    response = client.post(KEY_SIGN_IN, {"credential": theirs.get(options, ORIGIN)})
    assert response.status_code == 400
    assert "inte registrerad för ditt konto" in response.content.decode()


def test_the_password_alone_cannot_add_or_remove_a_key(world: OrganisationWorld) -> None:
    _with_key(world.registrar)
    client = _signed_in(world.registrar)
    assert client.get(SETUP)["Location"] == VERIFY
    added = client.post(ADD, {"name": "Angriparens", "credential": "{}"})
    assert added.status_code == 302 and added["Location"] == VERIFY
    key = SecurityKey.objects.get(user=world.registrar)
    removed = client.post(f"/konto/tvastegsverifiering/nycklar/{key.pk}/ta-bort/")
    assert removed["Location"] == VERIFY
    assert SecurityKey.objects.filter(user=world.registrar).count() == 1


def test_keys_are_listed_added_and_removed_by_their_owner(world: OrganisationWorld) -> None:
    first = _with_key(world.registrar)
    client = _signed_in(world.registrar)
    assert _sign_in_with_key(client, first).status_code == 302
    # A session verified with the first key may add a second and remove either.
    assert _register(client, SoftAuthenticator(), name="Reserv").status_code == 302
    page = client.get(SETUP).content.decode()
    assert "Gul nyckel" in page and "Reserv" in page
    assert "Ta bort Reserv" in page
    reserve = SecurityKey.objects.get(user=world.registrar, name="Reserv")
    outsider = Client()
    outsider.force_login(world.case_officer)
    _register(outsider, SoftAuthenticator())
    assert (
        outsider.post(f"/konto/tvastegsverifiering/nycklar/{reserve.pk}/ta-bort/").status_code
        == 404
    )
    response = client.post(f"/konto/tvastegsverifiering/nycklar/{reserve.pk}/ta-bort/")
    assert response.status_code == 302
    assert list(
        SecurityKey.objects.filter(user=world.registrar).values_list("name", flat=True)
    ) == ["Gul nyckel"]
    assert AuditEvent.objects.get(event_type="user.security_key_removed").data["name"] == "Reserv"


def test_the_same_key_is_not_registered_twice(world: OrganisationWorld) -> None:
    key = _with_key(world.registrar)
    client = _signed_in(world.registrar)
    assert _sign_in_with_key(client, key).status_code == 302
    options = _options(client.get(SETUP).content.decode(), "webauthn-registration-options")
    assert [c["id"] for c in options["excludeCredentials"]] == [
        SecurityKey.objects.get(user=world.registrar).credential_id
    ]
    response = client.post(ADD, {"name": "Igen", "credential": key.create(options, ORIGIN)})
    assert response.status_code == 400
    assert "redan registrerad" in response.content.decode()


def test_the_last_key_of_a_required_role_stays(world: OrganisationWorld) -> None:
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.REGISTRAR]
    )
    _with_key(world.registrar)
    key = SecurityKey.objects.get(user=world.registrar)
    with pytest.raises(ValidationError):
        security_key_remove(actor=world.registrar, key=key)
    TOTPDevice.objects.create(user=world.registrar, name="app", confirmed=True)
    security_key_remove(actor=world.registrar, key=key)
    assert not SecurityKey.objects.filter(user=world.registrar).exists()


@pytest.mark.parametrize(
    "credential",
    ["", "not json", "[]", "[" * 100_000, '{"id": 1}', json.dumps({"id": "x", "rawId": "x"})],
)
def test_a_hostile_credential_is_a_clear_refusal(world: OrganisationWorld, credential: str) -> None:
    _with_key(world.registrar)
    client = _signed_in(world.registrar)
    client.get(VERIFY)
    assert client.post(KEY_SIGN_IN, {"credential": credential}).status_code == 400
    fresh = Client()
    fresh.force_login(world.case_officer)
    fresh.get(SETUP)
    assert fresh.post(ADD, {"name": "x", "credential": credential}).status_code == 400


def test_a_key_without_a_name_is_not_kept(world: OrganisationWorld) -> None:
    client = Client()
    client.force_login(world.registrar)
    response = _register(client, SoftAuthenticator(), name="   ")
    assert response.status_code == 400
    assert "Ge nyckeln ett namn" in response.content.decode()
    assert not SecurityKey.objects.exists()


def test_a_key_without_user_verification_is_accepted(world: OrganisationWorld) -> None:
    key = SoftAuthenticator(user_verifying=False)
    client = Client()
    client.force_login(world.registrar)
    assert _register(client, key).status_code == 302
    assert _sign_in_with_key(_signed_in(world.registrar), key).status_code == 302


def test_the_operator_reset_removes_keys_too(world: OrganisationWorld) -> None:
    _with_key(world.registrar)
    out = StringIO()
    call_command("two_factor_reset", world.registrar.username, stdout=out)
    assert ": 1 borttagna" in out.getvalue()
    assert not SecurityKey.objects.filter(user=world.registrar).exists()
    assert AuditEvent.objects.get(event_type="user.two_factor_reset").data["security_keys"] == 1
    assert _signed_in(world.registrar).get(INBOX).status_code == 200


def test_the_organisation_page_counts_a_key_as_two_factor(world: OrganisationWorld) -> None:
    _with_key(world.registrar)
    client = Client()
    client.force_login(world.comms_lead)
    page = client.get("/o/overkalix/tvastegsverifiering/").content.decode()
    row = re.search(rf"<tr><th scope=\"row\">{world.registrar}</th>.*?</tr>", page, re.S)
    assert row and "på" in row.group(0)
