"""Roles from groups, and the page where the comms lead maps groups to roles."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.organisations.models import Membership, Role
from kanalvakt.organisations.services import membership_grant
from kanalvakt.sso.models import GroupRoleMapping
from kanalvakt.sso.services import identity_sign_in, mapping_add

pytestmark = pytest.mark.django_db
CLAIMS = {"sub": "a1b2", "preferred_username": "eva.berg", "email": "eva.berg@example.se"}


def _roles(username: str) -> set[str]:
    return set(Membership.objects.filter(user__username=username).values_list("role", flat=True))


def test_a_role_from_a_group_goes_when_the_group_goes_but_a_hand_granted_role_stays(
    world: OrganisationWorld,
) -> None:
    mapping_add(
        actor=world.comms_lead, organisation=world.organisation, group="g-pub", role=Role.PUBLISHER
    )
    user = identity_sign_in(issuer="https://idp", claims=CLAIMS, groups={"g-pub"})
    membership_grant(
        actor=world.comms_lead, organisation=world.organisation, user=user, role=Role.REGISTRAR
    )
    assert _roles("eva.berg") == {Role.PUBLISHER, Role.REGISTRAR}

    again = identity_sign_in(issuer="https://idp", claims=CLAIMS, groups=set())

    assert again == user
    assert _roles("eva.berg") == {Role.REGISTRAR}


def test_the_same_subject_from_another_issuer_is_another_person(world: OrganisationWorld) -> None:
    first = identity_sign_in(issuer="https://idp-a", claims=CLAIMS, groups=set())
    second = identity_sign_in(issuer="https://idp-b", claims=CLAIMS, groups=set())
    assert first != second
    assert second.username == "eva.berg-2"


def test_comms_lead_maps_a_group_on_the_page_and_others_cannot(
    client: Client, world: OrganisationWorld
) -> None:
    client.force_login(world.comms_lead)
    page = client.post(
        "/o/overkalix/inloggning/", {"group": "kanalvakt-chefer", "role": Role.MANAGER}
    )
    assert page.status_code == 302
    assert GroupRoleMapping.objects.filter(group="kanalvakt-chefer", role=Role.MANAGER).exists()
    listed = client.get("/o/overkalix/inloggning/").content.decode()
    assert "kanalvakt-chefer" in listed

    client.force_login(world.registrar)
    refused = client.post("/o/overkalix/inloggning/", {"group": "x", "role": Role.COMMS_LEAD})
    assert refused.status_code == 404
    assert not GroupRoleMapping.objects.filter(group="x").exists()


def test_another_organisation_cannot_see_the_mappings(
    client: Client, world: OrganisationWorld, outsider: object
) -> None:
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get("/o/overkalix/inloggning/").status_code == 404
