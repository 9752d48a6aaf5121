from __future__ import annotations

import pytest
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.organisations.models import Absence, ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db


def test_comms_lead_appoints_a_publisher(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.comms_lead)
    client.post("/o/overkalix/personer/", {"user": world.case_officer.pk, "role": Role.PUBLISHER})
    assert Membership.objects.filter(user=world.case_officer, role=Role.PUBLISHER).exists()


def test_others_cannot_appoint(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.publisher)
    response = client.post(
        "/o/overkalix/personer/",
        {"user": world.publisher.pk, "role": Role.COMMS_LEAD},
        follow=True,
    )
    assert "Kräver rollen" in response.content.decode()
    assert not Membership.objects.filter(user=world.publisher, role=Role.COMMS_LEAD).exists()


def test_absence_through_the_page(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.account_owner)
    client.post(
        "/o/overkalix/franvaro/",
        {"user": world.account_owner.pk, "starts_on": "2026-12-20", "ends_on": "2027-01-06"},
    )
    assert Absence.objects.filter(user=world.account_owner).exists()
    response = client.post(
        "/o/overkalix/franvaro/",
        {"user": world.account_owner.pk, "starts_on": "2027-01-06", "ends_on": "2026-12-20"},
    )
    assert Absence.objects.count() == 1
    assert response.status_code == 200


def test_api_key_is_shown_once_and_can_be_revoked(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.registrar)
    body = client.post("/o/overkalix/api-nycklar/", {"name": "W3D3"}).content.decode()
    token = ApiToken.objects.get()
    assert "kv_" in body
    assert token.key_sha256 not in body
    assert "kv_" not in client.get("/o/overkalix/api-nycklar/").content.decode()
    client.post(f"/o/overkalix/api-nycklar/{token.pk}/aterkalla/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_organisation_gets_404(
    client: Client, world: OrganisationWorld, outsider: User
) -> None:
    membership = Membership.objects.filter(organisation=world.organisation).first()
    assert membership is not None
    client.force_login(outsider)
    for url in ("/o/overkalix/personer/", "/o/overkalix/franvaro/", "/o/overkalix/api-nycklar/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert client.post(f"/o/overkalix/personer/{membership.pk}/aterkalla/").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_is_for_superusers_only(client: Client, world: OrganisationWorld) -> None:
    staff = world.comms_lead
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/register/account/add/").status_code == 403
