from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from kanalvakt.connectors.http import HttpClient, RetryPolicy, TokenExpired
from kanalvakt.connectors.oauth import (
    GOOGLE_OAUTH_URL,
    META_OAUTH_URL,
    X_OAUTH_URL,
    meta_long_lived_token,
    refresh_access_token,
)

NOW = datetime(2025, 11, 17, 8, 0, tzinfo=UTC)


def http() -> HttpClient:
    return HttpClient(platform="oauth", retry=RetryPolicy(attempts=1))


@respx.mock
def test_x_refresh_rotates_the_refresh_token() -> None:
    route = respx.post(X_OAUTH_URL).mock(
        return_value=httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "new-access",
                "scope": "tweet.read tweet.write users.read offline.access",
                "refresh_token": "new-refresh",
            },
        )
    )
    grant = refresh_access_token(
        http(), token_url=X_OAUTH_URL, refresh_token="old-refresh", client_id="cid", now=NOW
    )
    assert grant.access_token == "new-access"
    assert grant.refresh_token == "new-refresh"
    assert grant.expires_at == NOW + timedelta(hours=2)
    sent = route.calls.last.request.content.decode()
    assert "grant_type=refresh_token" in sent and "refresh_token=old-refresh" in sent


@respx.mock
def test_dead_google_refresh_token_is_token_expired() -> None:
    respx.post(GOOGLE_OAUTH_URL).mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            },
        )
    )
    with pytest.raises(TokenExpired):
        refresh_access_token(
            http(),
            token_url=GOOGLE_OAUTH_URL,
            refresh_token="old",
            client_id="cid",
            client_secret="secret",
        )


@respx.mock
def test_meta_exchange_gives_a_sixty_day_token() -> None:
    respx.post(META_OAUTH_URL).mock(
        return_value=httpx.Response(
            200, json={"access_token": "long", "token_type": "bearer", "expires_in": 5183944}
        )
    )
    grant = meta_long_lived_token(
        http(), short_lived_token="short", app_id="1", app_secret="s", now=NOW
    )
    assert grant.access_token == "long"
    assert grant.refresh_token == ""
    assert (grant.expires_at - NOW).days == 59  # type: ignore[operator]
