"""Connecting an account: who may, the token kept secret, the config the inbox uses."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
import respx
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services import (
    connection_account_config,
    connection_set,
    connections_check_tokens,
)
from kanalvakt.intake.tests.conftest import INSTANCE, TOKEN
from kanalvakt.register.models import Account


def test_comms_lead_connects_and_inbox_gets_the_config(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    assert connection_account_config(mastodon_account) is None
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    config = connection_account_config(mastodon_account)
    assert config is not None
    assert config.access_token == TOKEN
    assert config.base_url == INSTANCE
    assert config.external_id == "109000000000000001"


def test_token_is_encrypted_at_rest_and_never_audited(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    connection_set(
        actor=world.account_owner, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    stored = AccountConnection.objects.get(account=mastodon_account)
    assert TOKEN not in stored.token_encrypted
    event = AuditEvent.objects.filter(event_type="connection.set").get()
    assert TOKEN not in str(event.data)
    assert event.data["token_changed"] is True


def test_empty_token_keeps_the_stored_one(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    connection_set(actor=world.comms_lead, account=mastodon_account, base_url=INSTANCE + "/")
    config = connection_account_config(mastodon_account)
    assert config is not None and config.access_token == TOKEN


def test_others_may_not_connect(world: OrganisationWorld, mastodon_account: Account) -> None:
    with pytest.raises(PermissionDenied):
        connection_set(actor=world.publisher, account=mastodon_account, access_token=TOKEN)
    assert not AccountConnection.objects.exists()


def test_expiry_within_a_week_alerts_the_responsible_once(
    world: OrganisationWorld,
    mastodon_account: Account,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    soon = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        connection_set(
            actor=world.comms_lead,
            account=mastodon_account,
            access_token=TOKEN,
            base_url=INSTANCE,
            token_expires_at=soon,
        )
    connection = AccountConnection.objects.get(account=mastodon_account)
    assert connection.alert == AlertState.EXPIRING
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.account_owner.email]
    assert TOKEN not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        connections_check_tokens(ask_platform=False)
        connections_check_tokens(ask_platform=False)
    assert len(mail.outbox) == 1  # once per alert
    with django_capture_on_commit_callbacks(execute=True):
        connections_check_tokens(ask_platform=False, now=soon + datetime.timedelta(hours=1))
    connection.refresh_from_db()
    assert connection.alert == AlertState.EXPIRED
    assert len(mail.outbox) == 2


def test_inbox_reaches_the_account_through_intake(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    from kanalvakt.inbox.connection import account_config_for

    assert account_config_for(mastodon_account) is None
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    config = account_config_for(mastodon_account)
    assert config is not None and config.access_token == TOKEN


def test_token_unreadable_after_a_key_change_counts_as_not_connected(
    world: OrganisationWorld, mastodon_account: Account, settings: Any
) -> None:
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    settings.INTAKE_TOKEN_KEYS = [Fernet.generate_key().decode()]
    assert connection_account_config(mastodon_account) is None


def test_rotated_keys_still_read_old_tokens(
    world: OrganisationWorld, mastodon_account: Account, settings: Any
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.INTAKE_TOKEN_KEYS = [old]
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    settings.INTAKE_TOKEN_KEYS = [new, old]
    config = connection_account_config(mastodon_account)
    assert config is not None and config.access_token == TOKEN


@respx.mock
def test_daily_check_asks_the_platform_and_alerts_on_a_revoked_token(
    world: OrganisationWorld,
    mastodon_account: Account,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    respx.get(f"{INSTANCE}/api/v1/apps/verify_credentials").mock(
        return_value=httpx.Response(401, json={"error": "The access token was revoked"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = connections_check_tokens()
    assert result.alerts == 1
    connection = AccountConnection.objects.get(account=mastodon_account)
    assert connection.alert == AlertState.EXPIRED
    assert len(mail.outbox) == 1
    assert "Mastodon overkalix" in mail.outbox[0].subject


def test_a_bad_token_key_fails_the_start_up_check(settings: Any) -> None:
    from kanalvakt.intake.checks import check_token_keys

    settings.INTAKE_TOKEN_KEYS = ["not-a-key"]
    assert [error.id for error in check_token_keys()] == ["intake.E001"]
    settings.INTAKE_TOKEN_KEYS = [Fernet.generate_key().decode()]
    assert check_token_keys() == []
