"""Two-factor sign-in (TOTP) for local accounts, required for roles the organisation chooses."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.twofactor import organisation_two_factor_roles_set

INBOX = "/o/overkalix/inkorg/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(bytes(device.bin_key), step=device.step, digits=device.digits):06d}"


def _signed_in(user: User) -> Client:
    client = Client()
    response = client.post("/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _device(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device


def test_without_a_requirement_or_an_app_nothing_changes(world: OrganisationWorld) -> None:
    client = _signed_in(world.case_officer)
    assert client.get(INBOX).status_code == 200


def test_a_required_role_must_set_up_an_app_before_anything_else(
    world: OrganisationWorld,
) -> None:
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.CASE_OFFICER]
    )
    client = _signed_in(world.case_officer)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/?next=")
    page = client.get(response["Location"]).content.decode()
    assert "Din roll kräver tvåstegsverifiering" in page
    assert re.search(r'src="data:image/svg\+xml', page)
    device = TOTPDevice.objects.get(user=world.case_officer, confirmed=False)
    wrong = client.post("/konto/tvastegsverifiering/", {"code": "000000", "next": INBOX})
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.content.decode()
    done = client.post("/konto/tvastegsverifiering/", {"code": _code(device), "next": INBOX})
    assert done.status_code == 302 and done["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    assert AuditEvent.objects.filter(event_type="user.two_factor_enabled").count() == 1
    # Other roles of the organisation are not asked.
    assert _signed_in(world.registrar).get(INBOX).status_code == 200


def test_a_person_with_an_app_is_asked_for_its_code_after_the_password(
    world: OrganisationWorld,
) -> None:
    device = _device(world.registrar)
    client = _signed_in(world.registrar)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/kod/")
    assert client.get("/o/overkalix/diarium/export.csv").status_code == 302
    wrong = client.post("/konto/tvastegsverifiering/kod/", {"code": "123456", "next": INBOX})
    assert wrong.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    ok = client.post("/konto/tvastegsverifiering/kod/", {"code": _code(device), "next": INBOX})
    assert ok.status_code == 302 and ok["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_wrong_codes_are_throttled_even_before_a_right_one(world: OrganisationWorld) -> None:
    device = _device(world.registrar)
    client = _signed_in(world.registrar)
    for _n in range(3):
        client.post("/konto/tvastegsverifiering/kod/", {"code": "000000"})
    response = client.post("/konto/tvastegsverifiering/kod/", {"code": _code(device)})
    assert response.status_code == 400
    assert "För många felaktiga koder" in response.content.decode()
    assert client.get(INBOX).status_code == 302


def test_the_next_address_never_leads_off_site(world: OrganisationWorld) -> None:
    device = _device(world.registrar)
    client = _signed_in(world.registrar)
    response = client.post(
        "/konto/tvastegsverifiering/kod/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_only_the_comms_lead_chooses_the_roles_and_it_is_audited(
    world: OrganisationWorld, other_world: OrganisationWorld
) -> None:
    with pytest.raises(PermissionDenied):
        organisation_two_factor_roles_set(
            actor=world.registrar, organisation=world.organisation, roles=[Role.REGISTRAR]
        )
    with pytest.raises(PermissionDenied):
        organisation_two_factor_roles_set(
            actor=other_world.comms_lead, organisation=world.organisation, roles=[]
        )
    registrar = Client()
    registrar.force_login(world.registrar)
    assert registrar.post("/o/overkalix/tvastegsverifiering/", {"roles": []}).status_code == 403
    client = Client()
    client.force_login(world.comms_lead)
    page = client.get("/o/overkalix/tvastegsverifiering/")
    assert page.status_code == 200
    response = client.post(
        "/o/overkalix/tvastegsverifiering/", {"roles": [Role.REGISTRAR, Role.COMMS_LEAD]}
    )
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.two_factor_roles == ["comms_lead", "registrar"]
    event = AuditEvent.objects.get(event_type="organisation.two_factor_roles_set")
    assert event.data["after"] == ["comms_lead", "registrar"]
    outsider = Client()
    outsider.force_login(other_world.comms_lead)
    assert outsider.get("/o/overkalix/tvastegsverifiering/").status_code == 404


def test_an_operator_resets_a_lost_phone_and_the_person_sets_up_again(
    world: OrganisationWorld,
) -> None:
    from io import StringIO

    from django.core.management import call_command

    _device(world.registrar)
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.REGISTRAR]
    )
    out = StringIO()
    call_command("two_factor_reset", world.registrar.username, stdout=out)
    assert ": 1 borttagna" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=world.registrar, confirmed=True).exists()
    response = _signed_in(world.registrar).get(INBOX)
    assert response["Location"].startswith("/konto/tvastegsverifiering/?next=")
    assert AuditEvent.objects.filter(event_type="user.two_factor_reset").count() == 1


def test_a_single_sign_on_session_is_not_asked_for_kanalvakts_code(
    world: OrganisationWorld, settings: object
) -> None:
    from kanalvakt.organisations.twofactor import SSO_BACKEND

    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND]  # type: ignore[attr-defined]
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.CASE_OFFICER]
    )
    client = Client()
    client.force_login(world.case_officer, backend=SSO_BACKEND)
    assert client.get(INBOX).status_code == 200
    local = Client()
    local.force_login(world.case_officer, backend="django.contrib.auth.backends.ModelBackend")
    assert local.get(INBOX).status_code == 302
