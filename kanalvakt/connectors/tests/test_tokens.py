"""Knowing before a token lapses (Meta: 60 days), and noticing when it has."""

import base64
import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.facebook.client import FacebookConnector
from kanalvakt.connectors.http import HttpClient, RetryPolicy, TokenExpired
from kanalvakt.connectors.instagram.client import InstagramConnector
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.connectors.meta import GRAPH_URL
from kanalvakt.connectors.youtube.client import YouTubeConnector


def http(platform: str) -> HttpClient:
    return HttpClient(platform=platform, retry=RetryPolicy(attempts=1))


ACCOUNT = AccountConfig(external_id="104857600123456", access_token="page-token")


@respx.mock
@pytest.mark.parametrize("cls", [FacebookConnector, InstagramConnector])
def test_meta_token_expiry_is_the_earliest_of_its_times(cls: type[FacebookConnector]) -> None:
    route = respx.get(f"{GRAPH_URL}/debug_token").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": {
                    "app_id": "1",
                    "type": "PAGE",
                    "is_valid": True,
                    "expires_at": 0,
                    "data_access_expires_at": 1771146000,
                    "scopes": ["pages_manage_engagement"],
                }
            },
        )
    )
    connector = cls(http(cls.platform))
    assert connector.token_expires_at(ACCOUNT) == datetime.fromtimestamp(1771146000, tz=UTC)
    assert route.calls.last.request.url.params["input_token"] == "page-token"


@respx.mock
def test_meta_token_that_is_no_longer_valid() -> None:
    respx.get(f"{GRAPH_URL}/debug_token").mock(
        return_value=httpx.Response(200, json={"data": {"is_valid": False, "expires_at": 1}})
    )
    with pytest.raises(TokenExpired):
        FacebookConnector(http("facebook")).token_expires_at(ACCOUNT)


def fake_jwt(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'ES256K'})}.{part(claims)}.signature"


@respx.mock
def test_bluesky_session_and_its_expiry() -> None:
    access = fake_jwt({"sub": "did:plc:degerfors", "exp": 1763377200})
    create = respx.post("https://bsky.social/xrpc/com.atproto.server.createSession").mock(
        return_value=httpx.Response(
            200,
            json={
                "did": "did:plc:degerfors",
                "handle": "degerfors.se",
                "accessJwt": access,
                "refreshJwt": "refresh",
            },
        )
    )
    connector = BlueskyConnector(http("bluesky"))
    session = connector.create_session(identifier="degerfors.se", app_password="abcd-efgh")
    assert session.did == "did:plc:degerfors" and session.refresh_jwt == "refresh"
    assert json.loads(create.calls.last.request.content)["password"] == "abcd-efgh"
    account = AccountConfig(external_id=session.did, access_token=session.access_jwt)
    assert connector.token_expires_at(account) == datetime(2025, 11, 17, 11, 0, tzinfo=UTC)

    refresh = respx.post("https://bsky.social/xrpc/com.atproto.server.refreshSession").mock(
        return_value=httpx.Response(400, json={"error": "ExpiredToken", "message": "expired"})
    )
    with pytest.raises(TokenExpired):
        connector.refresh_session(refresh_jwt="refresh")
    assert refresh.calls.last.request.headers["Authorization"] == "Bearer refresh"


@respx.mock
def test_mastodon_tokens_do_not_expire_but_can_be_revoked() -> None:
    account = AccountConfig(external_id="1", access_token="t", base_url="https://mastodon.social")
    route = respx.get("https://mastodon.social/api/v1/apps/verify_credentials")
    route.mock(return_value=httpx.Response(200, json={"name": "Kanalvakt"}))
    connector = MastodonConnector(http("mastodon"))
    assert connector.token_expires_at(account) is None
    route.mock(return_value=httpx.Response(401, json={"error": "The access token was revoked"}))
    with pytest.raises(TokenExpired):
        connector.token_expires_at(account)


def test_platforms_that_cannot_tell_say_so() -> None:
    with pytest.raises(ActionNotSupported):
        YouTubeConnector().token_expires_at(ACCOUNT)


@respx.mock
def test_tokens_in_request_urls_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    respx.get(f"{GRAPH_URL}/debug_token").mock(
        return_value=httpx.Response(200, json={"data": {"is_valid": True, "expires_at": 0}})
    )
    with caplog.at_level("INFO", logger="httpx"):
        FacebookConnector(http("facebook")).token_expires_at(ACCOUNT)
    assert "debug_token" in caplog.text
    assert "page-token" not in caplog.text
    assert "input_token=[redacted]" in caplog.text
