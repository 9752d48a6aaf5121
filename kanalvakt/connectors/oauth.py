"""Renewing access tokens: OAuth 2.0 refresh (X, Google/YouTube) and Meta's exchange
of a short-lived user token for a 60-day one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kanalvakt.connectors.base import PayloadError, as_str
from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.meta import GRAPH_URL
from kanalvakt.connectors.parsing import obj

X_OAUTH_URL = "https://api.x.com/2/oauth2/token"
GOOGLE_OAUTH_URL = "https://oauth2.googleapis.com/token"
META_OAUTH_URL = f"{GRAPH_URL}/oauth/access_token"


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    """Empty when the platform did not send a new one: keep the old one."""
    expires_at: datetime | None


def refresh_access_token(
    http: HttpClient,
    *,
    token_url: str,
    refresh_token: str,
    client_id: str,
    client_secret: str = "",
    now: datetime | None = None,
) -> TokenGrant:
    """The OAuth 2.0 `refresh_token` grant. A dead refresh token raises `TokenExpired`.

    X rotates refresh tokens: store the new one from the grant at once.
    """
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
    if client_secret:
        form["client_secret"] = client_secret
    result = http.json("POST", token_url, data=form, idempotent=False)
    return _grant(result, now)


def meta_long_lived_token(
    http: HttpClient,
    *,
    short_lived_token: str,
    app_id: str,
    app_secret: str,
    now: datetime | None = None,
) -> TokenGrant:
    """Exchange a short-lived Facebook user token for a long-lived one (60 days).

    Page tokens fetched with the long-lived token (`GET /me/accounts`) do not
    expire on their own, but lapse when it is invalidated.
    """
    result = http.json(
        "POST",
        META_OAUTH_URL,
        data={
            "grant_type": "fb_exchange_token",
            "client_id": app_id,
            "client_secret": app_secret,
            "fb_exchange_token": short_lived_token,
        },
        idempotent=True,
    )
    return _grant(result, now)


def _grant(result: object, now: datetime | None) -> TokenGrant:
    body = obj(result)
    access = as_str(body.get("access_token"))
    if not access:
        raise PayloadError("token response without access_token")
    expires_in = body.get("expires_in")
    moment = now or datetime.now(UTC)
    return TokenGrant(
        access_token=access,
        refresh_token=as_str(body.get("refresh_token")),
        expires_at=moment + timedelta(seconds=expires_in) if isinstance(expires_in, int) else None,
    )
