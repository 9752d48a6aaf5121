from __future__ import annotations

import pytest

from conftest import OrganisationWorld
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_create

INSTANCE = "https://social.example.se"
TOKEN = "mastodon-token-never-shown"  # noqa: S105


def make_account(world: OrganisationWorld, platform: str, handle: str, external_id: str) -> Account:
    account = account_create(
        actor=world.comms_lead,
        organisation=world.organisation,
        unit=world.unit,
        platform=platform,
        handle=handle,
        display_name=f"{world.organisation.name} {handle}",
        url=f"https://example.se/{platform}/{handle}",
        purpose="Information till invånarna",
        audience="Invånare",
        responsible=world.account_owner,
        contact="info@example.se",
        status="active",
    )
    Account.objects.filter(pk=account.pk).update(external_id=external_id)
    account.refresh_from_db()
    return account


@pytest.fixture
def mastodon_account(world: OrganisationWorld) -> Account:
    return make_account(world, "mastodon", "overkalix", "109000000000000001")


@pytest.fixture
def x_account(world: OrganisationWorld) -> Account:
    return make_account(world, "x", "overkalixkommun", "1500000000000000001")
