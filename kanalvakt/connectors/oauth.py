"""OAuth 2.0 grant flows of the platforms: the endpoints and the calls, no Django models.

Each platform's authorisation server is described once (`GRANTS`): where the
person approves, where the code is exchanged, which scopes, whether PKCE (RFC
7636, S256) is used and how the client authenticates. The calls are the
standard authorisation-code and refresh-token grants (RFC 6749 §4.1, §6) plus
the platform-specific steps: Meta's long-lived token and page tokens, and
Mastodon's app registration per instance.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from kanalvakt.connectors.base import PayloadError
from kanalvakt.connectors.http import HttpClient

GRAPH = "https://graph.facebook.com/v21.0"


@dataclass(frozen=True)
class Grant:
    """One platform's authorisation server."""

    platform: str
    client: str
    """Which configured client (app) it uses: "meta", "x", "google", "linkedin", "mastodon"."""
    authorize_url: str
    exchange_url: str
    """The token endpoint: codes and refresh tokens are exchanged here."""
    scopes: tuple[str, ...]
    pkce: bool = True
    client_auth: Literal["body", "basic"] = "body"
    extra: Mapping[str, str] = field(default_factory=dict)
    per_instance: bool = False
    """Mastodon: the endpoints are on the account's own server, and the app is registered there."""


META_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_manage_posts",
    "pages_manage_metadata",
)

GRANTS: dict[str, Grant] = {
    "facebook": Grant(
        platform="facebook",
        client="meta",
        authorize_url="https://www.facebook.com/v21.0/dialog/oauth",
        exchange_url=f"{GRAPH}/oauth/access_token",
        scopes=META_SCOPES,
        pkce=False,
    ),
    "instagram": Grant(
        platform="instagram",
        client="meta",
        authorize_url="https://www.facebook.com/v21.0/dialog/oauth",
        exchange_url=f"{GRAPH}/oauth/access_token",
        scopes=(
            *META_SCOPES,
            "instagram_basic",
            "instagram_manage_comments",
            "instagram_content_publish",
        ),
        pkce=False,
    ),
    "x": Grant(
        platform="x",
        client="x",
        authorize_url="https://x.com/i/oauth2/authorize",
        exchange_url="https://api.x.com/2/oauth2/token",
        scopes=("tweet.read", "tweet.write", "users.read", "offline.access"),
        client_auth="basic",
    ),
    "youtube": Grant(
        platform="youtube",
        client="google",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        exchange_url="https://oauth2.googleapis.com/token",
        scopes=("https://www.googleapis.com/auth/youtube.force-ssl",),
        # A refresh token only comes with offline access, and again only on consent.
        extra={"access_type": "offline", "prompt": "consent"},
    ),
    "linkedin": Grant(
        platform="linkedin",
        client="linkedin",
        authorize_url="https://www.linkedin.com/oauth/v2/authorization",
        exchange_url="https://www.linkedin.com/oauth/v2/accessToken",
        scopes=("r_organization_social", "w_organization_social", "rw_organization_admin"),
        pkce=False,
    ),
    "mastodon": Grant(
        platform="mastodon",
        client="mastodon",
        authorize_url="/oauth/authorize",
        exchange_url="/oauth/token",
        scopes=("read", "write"),
        per_instance=True,
    ),
}


def rebase(url: str, base: str) -> str:
    """`url` with its scheme and host replaced by `base`'s (a local authorisation server)."""
    if not base:
        return url
    target = urlsplit(base)
    source = urlsplit(url)
    return urlunsplit(
        (target.scheme, target.netloc, target.path.rstrip("/") + source.path, source.query, "")
    )


def new_verifier() -> str:
    return secrets.token_urlsafe(48)


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_address(
    grant: Grant,
    *,
    authorize_url: str,
    client_id: str,
    redirect_uri: str,
    state: str,
    verifier: str,
) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": (" " if grant.platform != "facebook" else ",").join(grant.scopes),
        "state": state,
        **grant.extra,
    }
    if grant.pkce:
        params["code_challenge"] = challenge(verifier)
        params["code_challenge_method"] = "S256"
    return f"{authorize_url}?{urlencode(params)}"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


def _tokens(payload: Any, *, now: datetime.datetime) -> Tokens:
    if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
        raise PayloadError("the token endpoint answered without an access_token")
    expires_in = payload.get("expires_in")
    expires_at = (
        now + datetime.timedelta(seconds=int(expires_in))
        if isinstance(expires_in, int | float) and expires_in > 0
        else None
    )
    refresh = payload.get("refresh_token")
    return Tokens(
        access_token=payload["access_token"],
        refresh_token=refresh if isinstance(refresh, str) else "",
        expires_at=expires_at,
        raw=payload,
    )


def _token_call(
    http: HttpClient,
    grant: Grant,
    *,
    exchange_url: str,
    client_id: str,
    client_secret: str,
    form: dict[str, str],
    now: datetime.datetime,
) -> Tokens:
    headers = {"Accept": "application/json"}
    if grant.client_auth == "basic":
        pair = f"{client_id}:{client_secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        form = {**form, "client_id": client_id}
    else:
        form = {**form, "client_id": client_id, "client_secret": client_secret}
    response = http.request("POST", exchange_url, data=form, headers=headers, idempotent=False)
    return _tokens(response.json(), now=now)


def exchange_code(
    http: HttpClient,
    grant: Grant,
    *,
    exchange_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    verifier: str,
    now: datetime.datetime,
) -> Tokens:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if grant.pkce:
        form["code_verifier"] = verifier
    return _token_call(
        http,
        grant,
        exchange_url=exchange_url,
        client_id=client_id,
        client_secret=client_secret,
        form=form,
        now=now,
    )


def refresh(
    http: HttpClient,
    grant: Grant,
    *,
    exchange_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    now: datetime.datetime,
) -> Tokens:
    tokens = _token_call(
        http,
        grant,
        exchange_url=exchange_url,
        client_id=client_id,
        client_secret=client_secret,
        form={"grant_type": "refresh_token", "refresh_token": refresh_token},
        now=now,
    )
    if not tokens.refresh_token:
        # Google and LinkedIn keep the refresh token; X and Mastodon rotate it.
        tokens = Tokens(tokens.access_token, refresh_token, tokens.expires_at, tokens.raw)
    return tokens


def meta_page_token(
    http: HttpClient,
    *,
    graph: str,
    client_id: str,
    client_secret: str,
    user_token: str,
    page_id: str,
    instagram: bool,
    now: datetime.datetime,
) -> tuple[str, str]:
    """Long-lived user token → the page's own token (which does not expire).

    Returns (page token, the account's platform id): the page id, or for
    Instagram the page's linked Instagram business account id. `page_id` picks
    the page when the person administers several (empty: the only one).
    """
    long_lived = http.json(
        "GET",
        f"{graph}/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "fb_exchange_token": user_token,
        },
    )
    user = _tokens(long_lived, now=now).access_token
    fields = "id,name,access_token" + (",instagram_business_account" if instagram else "")
    pages = http.json("GET", f"{graph}/me/accounts", token=user, params={"fields": fields})
    data = pages.get("data") if isinstance(pages, dict) else None
    if not isinstance(data, list) or not data:
        raise PayloadError("the person administers no Facebook page")
    for page in data:
        linked = page.get("instagram_business_account") or {}
        own_id = str(linked.get("id", "")) if instagram else str(page.get("id", ""))
        if page_id and page_id not in {own_id, str(page.get("id", ""))}:
            continue
        if instagram and not own_id:
            continue
        return str(page["access_token"]), own_id
    raise PayloadError(
        "the account's page is not among the pages the person administers"
        if page_id
        else "none of the person's pages has an Instagram business account"
    )


def mastodon_register(
    http: HttpClient, *, apps_url: str, redirect_uri: str, website: str
) -> tuple[str, str]:
    """Register Kanalvakt on a Mastodon server: (client_id, client_secret)."""
    answer = http.json(
        "POST",
        apps_url,
        data={
            "client_name": "Kanalvakt",
            "redirect_uris": redirect_uri,
            "scopes": " ".join(GRANTS["mastodon"].scopes),
            "website": website,
        },
        idempotent=False,
    )
    if not isinstance(answer, dict) or not answer.get("client_id"):
        raise PayloadError("the Mastodon server registered no app")
    return str(answer["client_id"]), str(answer.get("client_secret", ""))
