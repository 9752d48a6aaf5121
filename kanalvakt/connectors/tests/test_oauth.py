"""The platforms' OAuth 2.0 calls against their documented answers (respx, no network)."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from kanalvakt.connectors import oauth
from kanalvakt.connectors.base import PayloadError
from kanalvakt.connectors.http import HttpClient, RetryPolicy, TokenExpired

NOW = datetime(2025, 11, 17, 8, 0, tzinfo=UTC)
X = oauth.GRANTS["x"]
GOOGLE = oauth.GRANTS["youtube"]


def http() -> HttpClient:
    return HttpClient(platform="oauth", retry=RetryPolicy(attempts=1))


def test_the_consent_address_carries_state_and_a_s256_challenge() -> None:
    address = oauth.authorize_address(
        X,
        authorize_url=X.authorize_url,
        client_id="cid",
        redirect_uri="https://kanalvakt.example/anslutningar/oauth/callback/",
        state="s1",
        verifier="v" * 64,
    )
    query = parse_qs(urlsplit(address).query)
    assert query["state"] == ["s1"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [oauth.challenge("v" * 64)]
    assert "offline.access" in query["scope"][0].split(" ")


def test_a_local_server_replaces_only_scheme_and_host() -> None:
    assert (
        oauth.rebase("https://api.x.com/2/oauth2/token", "http://127.0.0.1:9000/standin/x")
        == "http://127.0.0.1:9000/standin/x/2/oauth2/token"
    )


@respx.mock
def test_x_code_exchange_uses_basic_auth_and_the_verifier() -> None:
    route = respx.post(X.exchange_url).mock(
        return_value=httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "access",
                "scope": "tweet.read tweet.write users.read offline.access",
                "refresh_token": "refresh",
            },
        )
    )
    tokens = oauth.exchange_code(
        http(),
        X,
        exchange_url=X.exchange_url,
        client_id="cid",
        client_secret="secret",
        code="c1",
        redirect_uri="https://k/cb",
        verifier="v" * 64,
        now=NOW,
    )
    assert (tokens.access_token, tokens.refresh_token) == ("access", "refresh")
    assert tokens.expires_at == NOW + timedelta(hours=2)
    request = route.calls.last.request
    assert request.headers["Authorization"].startswith("Basic ")
    form = parse_qs(request.content.decode())
    assert form["code_verifier"] == ["v" * 64]
    assert "client_secret" not in form


@respx.mock
def test_x_refresh_rotates_the_refresh_token() -> None:
    respx.post(X.exchange_url).mock(
        return_value=httpx.Response(
            200, json={"access_token": "new", "refresh_token": "new-r", "expires_in": 7200}
        )
    )
    tokens = oauth.refresh(
        http(),
        X,
        exchange_url=X.exchange_url,
        client_id="cid",
        client_secret="s",
        refresh_token="old-r",
        now=NOW,
    )
    assert (tokens.access_token, tokens.refresh_token) == ("new", "new-r")


@respx.mock
def test_google_keeps_the_refresh_token_and_a_dead_one_is_token_expired() -> None:
    respx.post(GOOGLE.exchange_url).mock(
        side_effect=[
            httpx.Response(200, json={"access_token": "a2", "expires_in": 3599}),
            httpx.Response(
                400,
                json={"error": "invalid_grant", "error_description": "Token has been revoked."},
            ),
        ]
    )
    kwargs = {
        "exchange_url": GOOGLE.exchange_url,
        "client_id": "cid",
        "client_secret": "s",
        "refresh_token": "r1",
        "now": NOW,
    }
    assert oauth.refresh(http(), GOOGLE, **kwargs).refresh_token == "r1"  # type: ignore[arg-type]
    with pytest.raises(TokenExpired):
        oauth.refresh(http(), GOOGLE, **kwargs)  # type: ignore[arg-type]


@respx.mock
def test_meta_gives_the_page_token_of_the_accounts_page() -> None:
    respx.get(f"{oauth.GRAPH}/oauth/access_token").mock(
        return_value=httpx.Response(
            200, json={"access_token": "long", "token_type": "bearer", "expires_in": 5183944}
        )
    )
    pages = respx.get(f"{oauth.GRAPH}/me/accounts").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {"id": "111", "name": "Biblioteket", "access_token": "page-111"},
                    {
                        "id": "222",
                        "name": "Kommunen",
                        "access_token": "page-222",
                        "instagram_business_account": {"id": "17841400000000222"},
                    },
                ]
            },
        )
    )
    common = {
        "graph": oauth.GRAPH,
        "client_id": "app",
        "client_secret": "s",
        "user_token": "short",
        "now": NOW,
    }
    facebook = oauth.meta_page_token(http(), page_id="222", instagram=False, **common)  # type: ignore[arg-type]
    assert facebook == ("page-222", "222")
    instagram = oauth.meta_page_token(http(), page_id="", instagram=True, **common)  # type: ignore[arg-type]
    assert instagram == ("page-222", "17841400000000222")
    assert pages.calls.last.request.headers["Authorization"] == "Bearer long"
    with pytest.raises(PayloadError):
        oauth.meta_page_token(http(), page_id="999", instagram=False, **common)  # type: ignore[arg-type]


@respx.mock
def test_mastodon_registers_kanalvakt_on_the_server() -> None:
    route = respx.post("https://mastodon.nu/api/v1/apps").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "563419",
                "name": "Kanalvakt",
                "website": "https://kanalvakt.example",
                "redirect_uri": "https://kanalvakt.example/cb",
                "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
                "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
            },
        )
    )
    client = oauth.mastodon_register(
        http(),
        apps_url="https://mastodon.nu/api/v1/apps",
        redirect_uri="https://kanalvakt.example/cb",
        website="https://kanalvakt.example",
    )
    assert client[0] == "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM"
    assert parse_qs(route.calls.last.request.content.decode())["scopes"] == ["read write"]
