"""The demo's "Anslut via Bluesky" runs atproto OAuth end to end against the stand-in.

Kanalvakt's pages run in Django's test client; the stand-in answers over HTTP
on a live server, playing the account's PDS, its authorisation server and the
PLC directory: PAR, PKCE, DPoP with nonces, the client's signed assertion.
No internet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from conftest import OrganisationWorld
from kanalvakt.connectors.base import ItemKind, ItemRef
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.bluesky.oauth import SESSION_PREFIX, OAuthSession
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.demo.identities import standin_bluesky_did
from kanalvakt.demo.standin.addresses import standin_api_base_urls
from kanalvakt.demo.standin.clientkey import demo_bluesky_client_key
from kanalvakt.demo.standin.models import StandinEvent, StandinObject
from kanalvakt.intake.models import AccountConnection
from kanalvakt.intake.oauth_bluesky import bluesky_refresh
from kanalvakt.intake.services import connection_account_config
from kanalvakt.intake.tokens import token_decrypt
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("kanalvakt.demo.tests.standin_urls"),
]
HANDLE = "overkalix.bsky.social"


@pytest.fixture
def standin(live_server: LiveServer, settings: Any, tmp_path: Path) -> str:
    """Settings as `make demo` sets them, with the stand-in on a live server."""
    key = tmp_path / "demo-bluesky-client.pem"
    assert demo_bluesky_client_key(str(key))
    assert not demo_bluesky_client_key(str(key))  # an existing key is kept
    settings.SITE_URL = live_server.url
    settings.PLATFORM_API_BASE_URLS = standin_api_base_urls(live_server.url)
    settings.OUTBOUND_ALLOW_HOSTS = [live_server.url.split("//", 1)[1]]
    settings.OAUTH_BLUESKY_KEY_FILE = str(key)
    settings.BLUESKY_PLC_DIRECTORY = f"{live_server.url}/standin/bluesky/plc"
    return live_server.url


@pytest.fixture
def account(world: OrganisationWorld) -> Account:
    use_pack(world.organisation, "overkalix")
    return entered_account(world, platform="bluesky", handle=HANDLE, staffed=True)


def _consent(client: Client, account: Account, answer: str) -> str:
    """Click "Anslut via Bluesky", then answer on the stand-in's consent page."""
    start = client.post(f"/o/{account.organisation.slug}/anslutningar/{account.pk}/logga-in/")
    assert start.status_code == 302, start.content[:500]
    authorize = urlsplit(start["Location"])
    assert set(parse_qs(authorize.query)) == {"client_id", "request_uri"}  # PAR: nothing else
    page = client.get(f"{authorize.path}?{authorize.query}")
    text = page.content.decode()
    assert "Lokal ersättningsplattform – inte en riktig tjänst" in text
    assert f"@{HANDLE}" in text
    fields = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    back = client.post(authorize.path, {**fields, "answer": answer})
    assert back.status_code == 302
    callback = urlsplit(back["Location"])
    return client.get(f"{callback.path}?{callback.query}", follow=True).content.decode()


def test_connect_with_bluesky_against_the_standin(
    standin: str, client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.account_owner)

    page = _consent(client, account, "allow")

    assert "Kontot är anslutet via plattformens inloggning." in page
    connection = AccountConnection.objects.get(account=account)
    assert connection.external_id == standin_bluesky_did(HANDLE)
    assert connection.base_url == f"{standin}/standin/bluesky"
    stored = token_decrypt(connection.token_encrypted)
    assert stored.startswith(SESSION_PREFIX)
    assert StandinEvent.objects.filter(platform="bluesky", action="connect").exists()

    # The connector replies with the DPoP-bound session; the stand-in checks every proof.
    http = HttpClient(platform="bluesky", retry=RetryPolicy(attempts=1))
    bluesky = BlueskyConnector(http)
    config = connection_account_config(account)
    assert config is not None
    parent = f"at://{connection.external_id}/app.bsky.feed.post/3kparent"
    ref = ItemRef(external_id=parent, kind=ItemKind.POST, platform_data={"cid": "bafyparent"})
    reply_uri = bluesky.reply(config, ref, "Tack för frågan!")
    assert StandinObject.objects.get(platform="bluesky", external_id=reply_uri).text == (
        "Tack för frågan!"
    )

    # The session is renewed with the refresh token, which rotates.
    old_refresh = token_decrypt(connection.refresh_token_encrypted)
    assert bluesky_refresh(connection)
    connection.refresh_from_db()
    assert token_decrypt(connection.refresh_token_encrypted) != old_refresh
    first = OAuthSession.decode(stored)
    renewed = OAuthSession.decode(token_decrypt(connection.token_encrypted))
    assert first is not None and renewed is not None
    assert renewed.access_token != first.access_token


def test_the_standin_refuses_a_token_without_its_dpop_proof(
    standin: str, client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.account_owner)
    _consent(client, account, "allow")
    connection = AccountConnection.objects.get(account=account)
    session = OAuthSession.decode(token_decrypt(connection.token_encrypted))
    assert session is not None
    refused = httpx.get(
        f"{standin}/standin/bluesky/xrpc/app.bsky.notification.listNotifications",
        headers={"Authorization": f"DPoP {session.access_token}"},
    )
    assert refused.status_code == 401
    assert "DPoP" in refused.headers["WWW-Authenticate"]


def test_denying_at_the_consent_page_connects_nothing(
    standin: str, client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.account_owner)
    _consent(client, account, "deny")
    assert not AccountConnection.objects.filter(account=account).exists()
