from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item, PlatformCredentials
from kanalvakt.inbox.services import item_ingest, platform_credentials_set
from kanalvakt.organisations.services import organisation_select_policy
from kanalvakt.policies.services import policy_version_load
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_create
from kanalvakt.register.tests.factories import grant_mandate

FIXTURES = Path(__file__).resolve().parents[2] / "connectors" / "tests" / "fixtures"
APP_SECRET = "meta-app-secret-for-tests"


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def meta_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def facebook_credentials(world: OrganisationWorld) -> PlatformCredentials:
    return platform_credentials_set(
        actor=world.comms_lead,
        organisation=world.organisation,
        platform="facebook",
        app_secret=APP_SECRET,
        verify_token="verify-me",
    )


def facebook_account(world: OrganisationWorld, external_id: str, handle: str) -> Account:
    account = account_create(
        actor=world.comms_lead,
        organisation=world.organisation,
        unit=world.unit,
        platform="facebook",
        handle=handle,
        display_name=handle,
        url=f"https://www.facebook.com/{handle}",
        purpose="Information",
        audience="Invånare",
        responsible=world.account_owner,
        contact="info@example.se",
        status="active",
    )
    Account.objects.filter(pk=account.pk).update(external_id=external_id)
    account.refresh_from_db()
    _grant(world, account)
    return account


def _grant(world: OrganisationWorld, account: Account) -> None:
    """The account's people and the comms staff hold mandates (REG-3: packs require them)."""
    grant_mandate(
        account,
        world.account_owner,
        world.substitute,
        world.comms_lead,
        world.manager,
        granted_by=world.manager,
    )


@pytest.fixture
def page(world: OrganisationWorld) -> Account:
    """The Facebook page the Swedish/Finnish fixture was delivered for."""
    return facebook_account(world, "104857600123456", "overkalixkommun")


@pytest.fixture
def test_page(world: OrganisationWorld) -> Account:
    """The page of Meta's documented sample deliveries."""
    return facebook_account(world, "1234567890321", "testsida")


# The workflow: accounts under a policy pack, and receiving items as a webhook would.

_numbers = itertools.count(1)


def select_pack(world: OrganisationWorld, pack: str) -> None:
    version = policy_version_load(actor=None, path=Path(settings.POLICY_PACK_DIR) / f"{pack}.yaml")
    organisation_select_policy(actor=None, organisation=world.organisation, policy_version=version)
    world.organisation.refresh_from_db()


def make_account(world: OrganisationWorld, platform: str = "facebook", handle: str = "") -> Account:
    account = account_create(
        actor=world.comms_lead,
        organisation=world.organisation,
        unit=world.unit,
        platform=platform,
        handle=handle or f"{world.organisation.slug}-{platform}",
        display_name=str(world.organisation),
        url=f"https://example.org/{platform}/{world.organisation.slug}",
        purpose="Information",
        audience="Invånare",
        responsible=world.account_owner,
        substitute=world.substitute,
        contact="info@example.se",
        status="active",
    )
    _grant(world, account)
    return account


@pytest.fixture
def overkalix(world: OrganisationWorld) -> Account:
    """Överkalix under its own pack (48 hours), with a Facebook page."""
    select_pack(world, "overkalix")
    return make_account(world)


Receive = Callable[..., Item]


@pytest.fixture
def receive(django_capture_on_commit_callbacks: Callable[..., Any]) -> Receive:
    """`receive(account, text, **fields)`: stored, then processed on commit."""

    def _receive(account: Account, text: str, **fields: Any) -> Item:
        number = next(_numbers)
        external_id = fields.pop("external_id", f"{account.pk}_{number}")
        incoming = IncomingItem(
            platform=account.platform,
            external_id=external_id,
            kind=fields.pop("kind", ItemKind.COMMENT),
            created_at=fields.pop("created_at", timezone.now()),
            raw=json.dumps({"id": external_id, "message": text}).encode(),
            text=text,
            author_name=fields.pop("author_name", "Åsa Öberg"),
            **fields,
        )
        with django_capture_on_commit_callbacks(execute=True):
            item = item_ingest(account=account, incoming=incoming).item
        return Item.objects.get(pk=item.pk)

    return _receive
