"""Connecting a Bluesky account with atproto OAuth, end to end against a local PDS.

Kanalvakt's pages run in Django's test client; the PDS and its authorisation
server run on loopback (atproto_server.py) and are strict where the spec is:
PAR only, PKCE S256, DPoP proofs with rotating nonces, the client's signed
assertion checked against the JWKS Kanalvakt serves, `iss` in the callback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as rsa_key
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.base import AccountConfig, ItemKind, ItemRef
from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.bluesky.oauth import SESSION_PREFIX, OAuthSession
from kanalvakt.connectors.http import TokenExpired
from kanalvakt.intake.checks import check_bluesky_client_key
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.oauth import connection_refresh_token, connections_refresh_tokens
from kanalvakt.intake.services import (
    connection_account_config,
    connection_poll,
    connection_set,
)
from kanalvakt.intake.tests.atproto_server import AtprotoServer, running
from kanalvakt.intake.tokens import token_decrypt
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

pytestmark = pytest.mark.django_db
HANDLE = "overkalix.bsky.social"
SITE = "http://testserver"


def _pem(key: PrivateKeyTypes) -> bytes:
    """A private key as unencrypted PKCS#8 PEM, the form OAUTH_BLUESKY_KEY_FILE holds."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _fetch(url: str) -> Any:
    """What the authorisation server reads from Kanalvakt: its client metadata and JWKS."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE, url
    response = resolve(parts.path).func(RequestFactory().get(parts.path))
    assert isinstance(response, HttpResponse) and response.status_code == 200, url
    return json.loads(response.content)


@pytest.fixture
def pds(settings: Any, tmp_path: Path) -> Iterator[AtprotoServer]:
    (tmp_path / "bluesky-client.pem").write_bytes(_pem(dpop.new_key()))
    server = AtprotoServer(fetch=_fetch, handle=HANDLE)
    with running(server):
        settings.SITE_URL = SITE
        settings.OAUTH_BLUESKY_KEY_FILE = str(tmp_path / "bluesky-client.pem")
        settings.BLUESKY_PLC_DIRECTORY = f"{server.base}/plc"
        settings.OUTBOUND_ALLOW_HOSTS = [f"127.0.0.1:{urlsplit(server.base).port}"]
        yield server


@pytest.fixture
def account(world: OrganisationWorld) -> Account:
    use_pack(world.organisation, "overkalix")
    return entered_account(world, platform="bluesky", handle=HANDLE, staffed=True)


def _page_url(account: Account) -> str:
    """The account's connection page."""
    return f"/o/{account.organisation.slug}/anslutningar/{account.pk}/"


def _login_url(account: Account) -> str:
    """Where "Anslut via Bluesky" posts."""
    return f"{_page_url(account)}logga-in/"


def _consent(client: Client, account: Account, server: AtprotoServer) -> str:
    """Click "Anslut via Bluesky" and approve at the PDS; the callback address."""
    start = client.post(_login_url(account), {"base_url": server.base})
    assert start.status_code == 302, start.content[:500]
    authorize = urlsplit(start["Location"])
    assert set(parse_qs(authorize.query)) == {"client_id", "request_uri"}  # PAR: nothing else
    consent = httpx.get(start["Location"], follow_redirects=False)
    assert consent.status_code == 302, consent.text
    back = urlsplit(consent.headers["Location"])
    return f"{back.path}?{back.query}"


def _connect(client: Client, account: Account, server: AtprotoServer) -> str:
    return client.get(_consent(client, account, server), follow=True).content.decode()


@pytest.fixture
def connected(owner: Client, account: Account, pds: AtprotoServer) -> AccountConnection:
    """The account, connected by its owner with atproto OAuth at the PDS."""
    _connect(owner, account, pds)
    return AccountConnection.objects.get(account=account)


def test_the_owner_connects_with_atproto_oauth(
    owner: Client, pds: AtprotoServer, account: Account
) -> None:
    page = _connect(owner, account, pds)

    assert "Kontot är anslutet via plattformens inloggning." in page
    connection = AccountConnection.objects.get(account=account)
    assert connection.external_id == pds.did
    assert connection.base_url == pds.base
    stored = token_decrypt(connection.token_encrypted)
    assert stored.startswith(SESSION_PREFIX)
    session = OAuthSession.decode(stored)
    assert session is not None and session.access_token in pds.access
    assert pds.access[session.access_token].jkt == dpop.thumbprint(session.dpop_jwk)
    assert token_decrypt(connection.refresh_token_encrypted) in pds.refresh_tokens
    # The first PAR had no nonce: the server asked for one and the request was signed again.
    assert pds.log[:3] == ["as:use_dpop_nonce", "par", "token"]
    events = AuditEvent.objects.filter(target_id=str(connection.pk)).values_list(
        "event_type", flat=True
    )
    assert "connection.oauth_completed" in events
    assert AuditEvent.objects.filter(event_type="connection.oauth_started").exists()
    # No secret reaches the audit log.
    for data in AuditEvent.objects.values_list("data", flat=True):
        assert session.access_token not in json.dumps(data)


def test_kanalvakt_serves_its_client_metadata_and_public_key(
    client: Client, pds: AtprotoServer
) -> None:
    metadata = client.get("/anslutningar/oauth/bluesky/client-metadata.json").json()
    assert metadata["client_id"] == f"{SITE}/anslutningar/oauth/bluesky/client-metadata.json"
    assert metadata["application_type"] == "web"
    assert metadata["dpop_bound_access_tokens"] is True
    assert metadata["scope"] == "atproto transition:generic"
    assert metadata["token_endpoint_auth_method"] == "private_key_jwt"
    assert metadata["redirect_uris"] == [f"{SITE}/anslutningar/oauth/callback/"]
    jwks = client.get("/anslutningar/oauth/bluesky/jwks.json").json()
    (key,) = jwks["keys"]
    assert key["kty"] == "EC" and key["crv"] == "P-256" and key["kid"]
    assert "d" not in key  # never the private half


def test_without_a_client_key_bluesky_offers_only_the_app_password(
    owner: Client, account: Account, settings: Any
) -> None:
    settings.OAUTH_BLUESKY_KEY_FILE = ""
    page = owner.get(_page_url(account))
    assert "Anslut via Bluesky" not in page.content.decode()
    assert 'name="access_token"' in page.content.decode()
    assert owner.get("/anslutningar/oauth/bluesky/client-metadata.json").status_code == 404


def test_an_answer_from_another_issuer_connects_nothing(
    owner: Client, pds: AtprotoServer, account: Account
) -> None:
    pds.answer_iss = "https://auth.example.net"

    page = _connect(owner, account, pds)

    assert "annan inloggningstjänst" in page
    assert not AccountConnection.objects.exists()
    assert "token" not in pds.log  # the code was never spent


def test_a_replayed_callback_is_refused(
    owner: Client, pds: AtprotoServer, account: Account
) -> None:
    callback = _consent(owner, account, pds)

    assert "anslutet" in owner.get(callback, follow=True).content.decode()
    assert "redan använd" in owner.get(callback, follow=True).content.decode()
    assert pds.log.count("token") == 1


def test_a_sign_in_as_another_account_is_refused(
    owner: Client, pds: AtprotoServer, account: Account
) -> None:
    pds.signs_in_as = "did:plc:someoneelse0000000000000"

    page = _connect(owner, account, pds)

    assert "Bluesky godtog inte inloggningen" in page
    assert not AccountConnection.objects.exists()


def test_someone_who_may_not_connect_the_account_is_refused(
    client: Client, world: OrganisationWorld, pds: AtprotoServer, account: Account
) -> None:
    client.force_login(world.registrar)
    answer = client.post(_login_url(account), {"base_url": pds.base})
    assert answer.status_code == 403
    assert "par" not in pds.log


def test_polls_answer_the_pds_nonce_challenge_and_follow_its_rotation(
    pds: AtprotoServer, connected: AccountConnection
) -> None:
    assert connection_poll(connection_id=connected.pk).status == "polled"
    pds.rotate_nonces()
    connector = BlueskyConnector()
    assert connection_poll(connection_id=connected.pk, connector=connector).status == "polled"
    assert connection_poll(connection_id=connected.pk, connector=connector).status == "polled"

    calls = [entry for entry in pds.log if entry.startswith(("pds:", "xrpc:"))]
    listed = "xrpc:app.bsky.notification.listNotifications"
    # Challenged once per nonce; the remembered nonce is used for the next call.
    assert calls == ["pds:use_dpop_nonce", listed, "pds:use_dpop_nonce", listed, listed]


def test_a_reply_is_a_dpop_bound_call_and_the_token_alone_is_useless(
    pds: AtprotoServer, connected: AccountConnection
) -> None:
    config = connection_account_config(connected.account)
    assert config is not None
    ref = ItemRef(
        external_id=f"at://did:plc:writer/app.bsky.feed.post/3labc{'x' * 8}",
        kind=ItemKind.REPLY,
        platform_data={"cid": "bafyreib2rxk3rh6kzwq"},
    )
    connector = BlueskyConnector()

    uri = connector.reply(config, ref, "Tack, vi svarar i morgon.")

    assert uri.startswith(f"at://{pds.did}/app.bsky.feed.post/")
    assert pds.records[-1]["record"]["text"] == "Tack, vi svarar i morgon."
    session = OAuthSession.decode(config.access_token)
    assert session is not None
    stolen = AccountConfig(
        external_id=config.external_id, access_token=session.access_token, base_url=pds.base
    )
    with pytest.raises(TokenExpired):
        connector.reply(stolen, ref, "Utan nyckeln")  # a bearer token without its DPoP key
    assert len(pds.records) == 1


def test_sessions_are_renewed_in_the_background_and_a_revoked_one_raises_an_alert(
    pds: AtprotoServer, connected: AccountConnection
) -> None:
    old_token = token_decrypt(connected.token_encrypted)
    old_refresh = token_decrypt(connected.refresh_token_encrypted)

    assert connections_refresh_tokens() == 1

    connection = AccountConnection.objects.get(pk=connected.pk)
    assert token_decrypt(connection.token_encrypted) != old_token
    assert token_decrypt(connection.refresh_token_encrypted) != old_refresh  # rotated
    assert "refresh" in pds.log
    assert AuditEvent.objects.filter(event_type="connection.token_refreshed").exists()
    pds.refresh_tokens.clear()  # revoked at the authorisation server

    assert connection_refresh_token(connection=connection) is False

    connection.refresh_from_db()
    assert connection.alert == AlertState.EXPIRED
    assert "Anslut kontot igen" in connection.alert_message


def test_a_refused_session_is_renewed_when_the_poll_needs_it(
    pds: AtprotoServer, connected: AccountConnection
) -> None:
    pds.expire_access_tokens()

    outcome = connection_poll(connection_id=connected.pk)

    assert outcome.status == "polled", outcome
    assert pds.log.count("refresh") == 1
    connected.refresh_from_db()
    assert connected.alert == AlertState.NONE


def test_moving_a_connection_to_another_pds_is_for_the_accounts_admins(
    owner: Client, world: OrganisationWorld, pds: AtprotoServer, account: Account
) -> None:
    connection_set(
        actor=world.comms_lead,
        account=account,
        access_token="abcd-efgh-ijkl-mnop",  # an app password  # noqa: S106
        base_url="https://bsky.social",
    )

    page = owner.post(_login_url(account), {"base_url": pds.base}, follow=True)

    assert "Bara kontots administratörer får byta server." in page.content.decode()
    assert "par" not in pds.log
    connection = AccountConnection.objects.get(account=account)
    assert token_decrypt(connection.token_encrypted) == "abcd-efgh-ijkl-mnop"


def test_the_start_up_check_names_an_unusable_client_key_and_a_plain_http_site(
    settings: Any, tmp_path: Path, pds: AtprotoServer
) -> None:
    assert [m.id for m in check_bluesky_client_key()] == ["intake.W001"]  # SITE_URL http
    settings.SITE_URL = "https://kanalvakt.overkalix.se"
    assert check_bluesky_client_key() == []
    settings.OAUTH_BLUESKY_KEY_FILE = str(tmp_path / "missing.pem")
    assert [m.id for m in check_bluesky_client_key()] == ["intake.E002"]
    rsa = tmp_path / "rsa.pem"
    rsa.write_bytes(_pem(rsa_key.generate_private_key(public_exponent=65537, key_size=2048)))
    settings.OAUTH_BLUESKY_KEY_FILE = str(rsa)
    assert [m.id for m in check_bluesky_client_key()] == ["intake.E002"]


def test_the_connection_page_offers_bluesky_sign_in_and_keeps_the_app_password(
    owner: Client, pds: AtprotoServer, account: Account
) -> None:
    page = owner.get(_page_url(account)).content.decode()
    assert "Anslut via Bluesky" in page
    assert 'placeholder="https://bsky.social"' in page
    assert 'name="access_token"' in page
