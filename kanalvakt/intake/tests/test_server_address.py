"""Issue 11, finding 2: a connection's stored secret never goes to another server.

The server address (Mastodon instance, Bluesky PDS) must be public https;
changing it clears the stored secret; only the account's admins may change
it; the change is audited. Every call to the server is checked again.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.base import AccountConfig, PayloadError
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.intake.models import AccountConnection
from kanalvakt.intake.services import connection_account_config, connection_set
from kanalvakt.intake.tests.conftest import INSTANCE, TOKEN
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_admin_add


@pytest.fixture
def admin_of_account(world: OrganisationWorld, mastodon_account: Account) -> Any:
    account_admin_add(actor=world.comms_lead, account=mastodon_account, user=world.account_owner)
    return world.account_owner


@pytest.mark.parametrize(
    "server",
    [
        "http://social.example.se",
        "https://127.0.0.1:8443",
        "https://169.254.169.254",
        "https://[::1]",
        "https://mastodon.internal",
        "https://10.1.2.3",
    ],
)
def test_a_plain_http_or_internal_server_is_refused(
    world: OrganisationWorld, mastodon_account: Account, server: str
) -> None:
    with pytest.raises(ValidationError):
        connection_set(
            actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=server
        )
    assert not AccountConnection.objects.exists()


def test_changing_the_server_clears_the_stored_secret_and_is_audited(
    world: OrganisationWorld, mastodon_account: Account, admin_of_account: Any
) -> None:
    connection_set(
        actor=admin_of_account, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    connection_set(
        actor=admin_of_account, account=mastodon_account, base_url="https://other.example.org"
    )
    assert connection_account_config(mastodon_account) is None
    stored = AccountConnection.objects.get(account=mastodon_account)
    assert stored.token_encrypted == "" and stored.session_encrypted == ""
    event = AuditEvent.objects.filter(event_type="connection.set").order_by("pk").last()
    assert event is not None
    assert event.data["server_changed"] is True
    assert event.data["secret_cleared"] is True
    assert event.data["changes"]["base_url"] == [INSTANCE, "https://other.example.org"]


def test_a_new_token_with_the_new_server_is_kept(
    world: OrganisationWorld, mastodon_account: Account, admin_of_account: Any
) -> None:
    connection_set(
        actor=admin_of_account, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    connection_set(
        actor=admin_of_account,
        account=mastodon_account,
        access_token="new-token",
        base_url="https://other.example.org",
    )
    config = connection_account_config(mastodon_account)
    assert config is not None and config.access_token == "new-token"


def test_only_the_accounts_admins_may_change_the_server(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    for person in (world.comms_lead, world.account_owner):
        with pytest.raises(PermissionDenied):
            connection_set(
                actor=person, account=mastodon_account, base_url="https://other.example.org"
            )
    config = connection_account_config(mastodon_account)
    assert config is not None and config.base_url == INSTANCE and config.access_token == TOKEN


def test_the_form_asks_for_the_token_again_when_the_server_changes(
    world: OrganisationWorld, mastodon_account: Account, admin_of_account: Any, as_user: Any
) -> None:
    connection_set(
        actor=admin_of_account, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    client = as_user(admin_of_account)
    response = client.post(url, {"base_url": "https://other.example.org", "poll_enabled": "on"})
    assert response.status_code == 400
    assert "Ange åtkomsttoken igen när servern byts" in response.content.decode()
    response = client.post(url, {"base_url": "http://127.0.0.1:9000", "access_token": "x"})
    assert response.status_code == 400
    assert "Bara https-adresser" in response.content.decode()
    config = connection_account_config(mastodon_account)
    assert config is not None and config.base_url == INSTANCE


@respx.mock
def test_connectors_refuse_an_internal_server_before_sending_the_token() -> None:
    mastodon = MastodonConnector()
    account = AccountConfig(external_id="1", access_token=TOKEN, base_url="https://10.0.0.8")
    with pytest.raises(PayloadError):
        mastodon.poll(account, None)
    bluesky = BlueskyConnector()
    with pytest.raises(PayloadError):
        bluesky.create_session(
            identifier="overkalix", app_password=TOKEN, service="https://pds.internal"
        )
    with pytest.raises(PayloadError):
        bluesky.create_session(
            identifier="overkalix", app_password=TOKEN, service="http://pds.example.org"
        )
    assert respx.calls.call_count == 0
    respx.get("https://social.example.se/api/v1/notifications").mock(
        return_value=httpx.Response(200, json=[])
    )
    public = AccountConfig(external_id="1", access_token=TOKEN, base_url=INSTANCE)
    assert mastodon.poll(public, None).items == []


@respx.mock
def test_a_polled_item_with_an_over_long_id_fails_the_poll_not_the_database(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    from kanalvakt.inbox.models import Item
    from kanalvakt.intake.services import connection_poll
    from kanalvakt.intake.tests.test_polling import notification

    connection = connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    respx.get(f"{INSTANCE}/api/v1/notifications").mock(
        return_value=httpx.Response(200, json=[notification("900010", "5" * 300, "Hej")])
    )
    outcome = connection_poll(connection_id=connection.pk)
    assert outcome.status == "failed"
    assert "at most 200" in outcome.error
    assert not Item.objects.exists()
