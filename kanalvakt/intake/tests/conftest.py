from __future__ import annotations

import pytest
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

INSTANCE = "https://social.example.se"
TOKEN = "mastodon-token-never-shown"  # noqa: S105


def make_account(world: OrganisationWorld, platform: str, handle: str, external_id: str) -> Account:
    """An account already known at its platform by `external_id`."""
    return entered_account(world, platform=platform, handle=handle, external_id=external_id)


@pytest.fixture
def owner(client: Client, world: OrganisationWorld) -> Client:
    """The test client, signed in as the accounts' owner."""
    client.force_login(world.account_owner)
    return client


@pytest.fixture
def mastodon_account(world: OrganisationWorld) -> Account:
    return make_account(world, "mastodon", "overkalix", "109000000000000001")


@pytest.fixture
def x_account(world: OrganisationWorld) -> Account:
    return make_account(world, "x", "overkalixkommun", "1500000000000000001")
