from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item, PlatformCredentials
from kanalvakt.inbox.services import item_ingest, platform_credentials_set
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

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


@pytest.fixture
def page(world: OrganisationWorld) -> Account:
    """The Facebook page the Swedish/Finnish fixture was delivered for."""
    return entered_account(
        world, handle="overkalixkommun", external_id="104857600123456", staffed=True
    )


@pytest.fixture
def test_page(world: OrganisationWorld) -> Account:
    """The page of Meta's documented sample deliveries."""
    return entered_account(world, handle="testsida", external_id="1234567890321", staffed=True)


# The workflow: accounts under a policy pack, and receiving items as a webhook would.

_numbers = itertools.count(1)


@pytest.fixture
def overkalix(world: OrganisationWorld) -> Account:
    """Överkalix under its own pack (48 hours), with a Facebook page."""
    use_pack(world.organisation, "overkalix")
    return entered_account(world, staffed=True)


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
