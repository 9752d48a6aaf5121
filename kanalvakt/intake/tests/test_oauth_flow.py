"""Connecting accounts through the platforms' consent pages, end to end.

Kanalvakt's pages run in Django's test client; the platforms' side is a local
authorisation server on loopback (authserver.py) that answers as each platform
documents. The person clicks "Anslut via …", approves at the platform, comes
back through the callback, and the account is connected; refresh keeps it so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.intake.models import AccountConnection, AlertState, OAuthClient
from kanalvakt.intake.oauth import connection_refresh_token, connections_refresh_tokens
from kanalvakt.intake.tests.authserver import AuthServer, running
from kanalvakt.intake.tokens import token_decrypt
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

pytestmark = pytest.mark.django_db
CLIENTS = {
    "meta": ("meta-app", "meta-secret"),
    "x": ("x-app", "x-secret"),
    "google": ("google-app", "google-secret"),
    "linkedin": ("linkedin-app", "linkedin-secret"),
}


@pytest.fixture
def platform_server(settings: Any) -> Iterator[AuthServer]:
    server = AuthServer(clients=dict(CLIENTS.values()))
    server.pages = [
        {"id": "111", "name": "Biblioteket", "access_token": "page-token-111"},
        {
            "id": "222",
            "name": "Överkalix kommun",
            "access_token": "page-token-222",
            "instagram_business_account": {"id": "17841400000000222"},
        },
    ]
    with running(server):
        port = urlsplit(server.base).port
        settings.OAUTH_CLIENTS = CLIENTS
        settings.OAUTH_BASE_URLS = {
            name: server.base for name in ("facebook", "instagram", "x", "youtube", "linkedin")
        }
        settings.OUTBOUND_ALLOW_HOSTS = [f"127.0.0.1:{port}"]
        yield server


AccountOn = Callable[..., Account]


@pytest.fixture
def account_on(world: OrganisationWorld) -> AccountOn:
    """`account_on(platform, **fields)`: an account of Överkalix, under its own pack."""
    use_pack(world.organisation, "overkalix")

    def make(platform: str, **fields: Any) -> Account:
        return entered_account(world, platform=platform, staffed=True, **fields)

    return make


def _login_url(account: Account) -> str:
    """Where "Anslut via …" posts."""
    return f"/o/{account.organisation.slug}/anslutningar/{account.pk}/logga-in/"


def _connect(client: Client, account: Account, **form: str) -> Any:
    """Click "Anslut via …", approve at the platform, follow it back to Kanalvakt."""
    start = client.post(_login_url(account), form)
    assert start.status_code == 302, start.content[:500]
    consent = httpx.get(start["Location"], follow_redirects=False)
    assert consent.status_code == 302, consent.text
    back = urlsplit(consent.headers["Location"])
    return client.get(f"{back.path}?{back.query}", follow=True)


@pytest.mark.parametrize(
    ("platform", "refreshable", "lifetime"),
    [("x", True, 7200), ("youtube", True, 3599), ("linkedin", True, 5184000)],
)
def test_the_owner_connects_through_the_platform_and_the_token_is_stored(
    owner: Client,
    account_on: AccountOn,
    platform_server: AuthServer,
    platform: str,
    refreshable: bool,
    lifetime: int,
) -> None:
    account = account_on(platform)

    page = _connect(owner, account)

    assert "Kontot är anslutet via plattformens inloggning." in page.content.decode()
    connection = AccountConnection.objects.get(account=account)
    assert token_decrypt(connection.token_encrypted) == platform_server.issued[-1]
    assert bool(connection.refresh_token_encrypted) is refreshable
    assert connection.token_expires_at is not None
    remaining = (connection.token_expires_at - timezone.now()).total_seconds()
    assert lifetime - 60 < remaining <= lifetime
    assert AuditEvent.objects.filter(event_type="connection.oauth_completed").exists()


@pytest.mark.parametrize(
    ("platform", "page_id", "token", "external_id"),
    [
        ("facebook", "222", "page-token-222", "222"),
        ("instagram", "", "page-token-222", "17841400000000222"),
    ],
)
def test_meta_accounts_get_their_pages_own_token(
    client: Client,
    world: OrganisationWorld,
    account_on: AccountOn,
    platform_server: AuthServer,
    platform: str,
    page_id: str,
    token: str,
    external_id: str,
) -> None:
    account = account_on(platform, external_id=page_id)
    client.force_login(world.comms_lead)

    _connect(client, account)

    connection = AccountConnection.objects.get(account=account)
    assert token_decrypt(connection.token_encrypted) == token
    assert connection.external_id == external_id
    assert connection.token_expires_at is None  # page tokens do not lapse on their own


def test_mastodon_registers_kanalvakt_on_the_server_once(
    owner: Client, account_on: AccountOn, platform_server: AuthServer
) -> None:
    account = account_on("mastodon")

    _connect(owner, account, base_url=platform_server.base)
    _connect(owner, account, base_url=platform_server.base)

    assert OAuthClient.objects.filter(base_url=platform_server.base).count() == 1
    connection = AccountConnection.objects.get(account=account)
    assert connection.base_url == platform_server.base
    assert token_decrypt(connection.token_encrypted) == platform_server.issued[-1]


def test_a_callback_that_did_not_start_here_connects_nothing(
    owner: Client, platform_server: AuthServer
) -> None:
    page = owner.get("/anslutningar/oauth/callback/?code=stolen&state=guessed", follow=True)
    assert "gick ut eller började inte här" in page.content.decode()
    assert not AccountConnection.objects.exists()


def test_a_code_is_taken_once_and_only_by_the_person_who_asked(
    client: Client, world: OrganisationWorld, account_on: AccountOn, platform_server: AuthServer
) -> None:
    account = account_on("x")
    client.force_login(world.account_owner)
    start = client.post(_login_url(account))
    back = urlsplit(httpx.get(start["Location"]).headers["Location"])
    callback = f"{back.path}?{back.query}"

    client.force_login(world.comms_lead)
    assert "började inte här" in client.get(callback, follow=True).content.decode()
    client.force_login(world.account_owner)
    assert "anslutet" in client.get(callback, follow=True).content.decode()
    assert "redan använd" in client.get(callback, follow=True).content.decode()


def test_someone_who_may_not_connect_the_account_is_refused(
    client: Client, world: OrganisationWorld, account_on: AccountOn, platform_server: AuthServer
) -> None:
    account = account_on("x")
    client.force_login(world.registrar)
    answer = client.post(_login_url(account))
    assert answer.status_code == 403
    assert not AccountConnection.objects.exists()


def test_tokens_are_renewed_in_the_background_and_a_revoked_one_raises_an_alert(
    owner: Client, account_on: AccountOn, platform_server: AuthServer
) -> None:
    account = account_on("x")
    _connect(owner, account)
    first = AccountConnection.objects.get(account=account)
    old_refresh = token_decrypt(first.refresh_token_encrypted)

    renewed = connections_refresh_tokens(now=timezone.now() + datetime.timedelta(hours=3))

    assert renewed == 1
    connection = AccountConnection.objects.get(account=account)
    assert token_decrypt(connection.token_encrypted) == platform_server.issued[-1]
    assert token_decrypt(connection.refresh_token_encrypted) != old_refresh  # X rotates it
    platform_server.refresh_tokens.clear()  # revoked at the platform

    assert connection_refresh_token(connection=connection) is False

    connection.refresh_from_db()
    assert connection.alert == AlertState.EXPIRED
    assert "Anslut kontot igen" in connection.alert_message
