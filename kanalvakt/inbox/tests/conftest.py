from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from conftest import OrganisationWorld
from kanalvakt.inbox.models import PlatformCredentials
from kanalvakt.inbox.services import platform_credentials_set
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_create

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
    return account


@pytest.fixture
def page(world: OrganisationWorld) -> Account:
    """The Facebook page the Swedish/Finnish fixture was delivered for."""
    return facebook_account(world, "104857600123456", "overkalixkommun")


@pytest.fixture
def test_page(world: OrganisationWorld) -> Account:
    """The page of Meta's documented sample deliveries."""
    return facebook_account(world, "1234567890321", "testsida")
