"""Polling a connected Mastodon account end to end, with the platform mocked (respx)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import httpx
import pytest
import respx
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import OrganisationWorld
from kanalvakt.inbox.models import Delivery, DeliverySource, Item, ItemVersion
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services import connection_poll, connection_set, connections_enqueue_due
from kanalvakt.intake.tests.conftest import INSTANCE, TOKEN
from kanalvakt.register.models import Account

NOTIFICATIONS = f"{INSTANCE}/api/v1/notifications"
STATUS = f"{INSTANCE}/api/v1/statuses/"


def notification(nid: str, status_id: str, text: str, *, kind: str = "mention") -> dict[str, Any]:
    writer = {
        "id": "110000000000000002",
        "username": "matti",
        "acct": "matti@mastodon.online",
        "display_name": "Matti Häkkinen",
    }
    return {
        "id": nid,
        "type": kind,
        "created_at": "2026-11-20T10:00:00.000Z",
        "account": writer,
        "status": {
            "id": status_id,
            "created_at": "2026-11-20T10:00:00.000Z",
            "in_reply_to_id": "115566000000000000",
            "in_reply_to_account_id": "109000000000000001",
            "visibility": "public",
            "language": "sv",
            "url": f"https://mastodon.online/@matti/{status_id}",
            "edited_at": "2026-11-20T10:30:00.000Z" if kind == "update" else None,
            "content": f"<p>{text}</p>",
            "account": writer,
            "media_attachments": [],
            "mentions": [{"id": "109000000000000001", "username": "overkalix"}],
        },
    }


@pytest.fixture
def connection(world: OrganisationWorld, mastodon_account: Account) -> AccountConnection:
    return connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )


def poll(connection: AccountConnection) -> str:
    return connection_poll(connection_id=connection.pk).status


@respx.mock
def test_repeated_polls_store_each_comment_once_and_advance_the_cursor(
    connection: AccountConnection,
) -> None:
    route = respx.get(NOTIFICATIONS).mock(
        return_value=httpx.Response(200, json=[notification("900010", "5001", "När töms soporna?")])
    )
    respx.get(f"{STATUS}5001").mock(return_value=httpx.Response(200, json={"id": "5001"}))

    assert poll(connection) == "polled"
    assert poll(connection) == "polled"
    assert poll(connection) == "polled"

    item = Item.objects.get()
    assert item.text == "När töms soporna?"
    assert item.delivery is not None and item.delivery.source == DeliverySource.POLL
    connection.refresh_from_db()
    assert connection.poll_cursor == "900010"
    assert connection.last_polled_at is not None
    assert connection.next_poll_at is not None and connection.next_poll_at > timezone.now()
    first, second = route.calls[0].request, route.calls[1].request
    assert "since_id" not in first.url.params
    assert second.url.params["since_id"] == "900010"
    assert second.headers["Authorization"] == f"Bearer {TOKEN}"


@respx.mock
def test_an_edit_and_a_deletion_become_versions(connection: AccountConnection) -> None:
    notifications = respx.get(NOTIFICATIONS)
    status = respx.get(f"{STATUS}5001")
    notifications.mock(
        return_value=httpx.Response(200, json=[notification("900010", "5001", "Bussen kom inte")])
    )
    poll(connection)

    notifications.mock(
        return_value=httpx.Response(
            200, json=[notification("900011", "5001", "Bussen kom inte i dag", kind="update")]
        )
    )
    status.mock(return_value=httpx.Response(200, json={"id": "5001"}))
    poll(connection)
    edit = ItemVersion.objects.get()
    assert edit.text == "Bussen kom inte i dag" and not edit.deleted

    notifications.mock(return_value=httpx.Response(200, json=[]))
    status.mock(return_value=httpx.Response(404, json={"error": "Record not found"}))
    poll(connection)
    poll(connection)
    deletion = ItemVersion.objects.filter(deleted=True).get()
    assert deletion.text == "Bussen kom inte i dag"
    assert Item.objects.count() == 1  # never deleted locally
    connection.refresh_from_db()
    assert connection.poll_cursor == "900011"


@respx.mock
def test_rate_limit_backs_off_and_the_next_poll_goes_on(connection: AccountConnection) -> None:
    route = respx.get(NOTIFICATIONS)
    route.mock(return_value=httpx.Response(429, json={"error": "Too many requests"}))
    before = timezone.now()

    assert poll(connection) == "rate_limited"

    connection.refresh_from_db()
    assert Item.objects.count() == 0
    assert connection.poll_cursor == ""
    assert connection.alert == AlertState.NONE
    assert connection.next_poll_at is not None
    assert connection.next_poll_at >= before + datetime.timedelta(minutes=14)
    assert "begränsar" in connection.last_error
    # Not due yet: the scheduler leaves it alone.
    assert connections_enqueue_due() == 0

    route.mock(return_value=httpx.Response(200, json=[notification("900010", "5001", "Hej!")]))
    assert poll(connection) == "polled"
    connection.refresh_from_db()
    assert Item.objects.count() == 1
    assert connection.last_error == ""


@respx.mock
def test_rate_limit_with_retry_after_waits_that_long(connection: AccountConnection) -> None:
    respx.get(NOTIFICATIONS).mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    before = timezone.now()
    poll(connection)
    connection.refresh_from_db()
    assert connection.next_poll_at is not None
    assert connection.next_poll_at >= before + datetime.timedelta(minutes=59)


@respx.mock
def test_expired_token_raises_the_alert_and_mails_the_owner_once(
    world: OrganisationWorld,
    connection: AccountConnection,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    respx.get(NOTIFICATIONS).mock(
        return_value=httpx.Response(401, json={"error": "The access token is invalid"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert poll(connection) == "token_expired"
        assert poll(connection) == "skipped"  # stopped until a new token is saved
    connection.refresh_from_db()
    assert connection.alert == AlertState.EXPIRED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.account_owner.email]
    assert "/o/overkalix/anslutningar/" in message.body
    assert TOKEN not in message.body
    assert connections_enqueue_due() == 0

    # A new token clears the alert and makes the account due at once.
    connection_set(
        actor=world.account_owner,
        account=connection.account,
        access_token="a-fresh-token",
        base_url=INSTANCE,
    )
    connection.refresh_from_db()
    assert connection.alert == AlertState.NONE
    assert connection.next_poll_at is not None and connection.next_poll_at <= timezone.now()


@respx.mock
def test_scheduler_claims_a_due_account_once(
    connection: AccountConnection,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    respx.get(NOTIFICATIONS).mock(
        return_value=httpx.Response(200, json=[notification("900010", "5001", "Hej!")])
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert connections_enqueue_due() == 1
        assert connections_enqueue_due() == 0  # a second scheduler finds it claimed
    assert len(callbacks) == 1
    callbacks[0]()  # the poll task (immediate backend in tests)
    assert Item.objects.count() == 1
    assert Delivery.objects.filter(source=DeliverySource.POLL).count() == 1
    connection.refresh_from_db()
    assert connection.claimed_until is None
    assert connections_enqueue_due() == 0  # polled just now: next one after the interval


PDS = "https://pds.example.se"


def session(jwt: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "did": "did:plc:overkalix",
            "handle": "overkalix.bsky.social",
            "accessJwt": jwt,
            "refreshJwt": "refresh-" + jwt,
        },
    )


@respx.mock
def test_bluesky_logs_in_with_the_app_password_and_renews_the_session(
    world: OrganisationWorld,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from kanalvakt.intake.tests.conftest import make_account

    account = make_account(world, "bluesky", "overkalix.bsky.social", "did:plc:overkalix")
    connection = connection_set(
        actor=world.comms_lead, account=account, access_token="app-password", base_url=PDS
    )
    login = respx.post(f"{PDS}/xrpc/com.atproto.server.createSession")
    login.mock(side_effect=[session("jwt-1"), session("jwt-2")])
    listing = respx.get(f"{PDS}/xrpc/app.bsky.notification.listNotifications")
    listing.mock(return_value=httpx.Response(200, json={"notifications": []}))

    assert poll(connection) == "polled"
    assert poll(connection) == "polled"
    assert login.call_count == 1  # the session is kept between polls
    assert json.loads(login.calls[0].request.content)["password"] == "app-password"
    assert listing.calls[-1].request.headers["Authorization"] == "Bearer jwt-1"

    listing.mock(
        side_effect=[
            httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
            httpx.Response(200, json={"notifications": []}),
        ]
    )
    assert poll(connection) == "polled"
    assert login.call_count == 2
    assert listing.calls[-1].request.headers["Authorization"] == "Bearer jwt-2"
    connection.refresh_from_db()
    assert connection.alert == AlertState.NONE

    # The app password is revoked: the owner is told, once.
    login.mock(return_value=httpx.Response(401, json={"error": "AuthenticationRequired"}))
    listing.mock(return_value=httpx.Response(400, json={"error": "ExpiredToken"}))
    with django_capture_on_commit_callbacks(execute=True):
        assert poll(connection) == "token_expired"
    connection.refresh_from_db()
    assert connection.alert == AlertState.EXPIRED
    assert len(mail.outbox) == 1
