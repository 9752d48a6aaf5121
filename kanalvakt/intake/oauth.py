"""Connecting an account through the platform's own consent page (OAuth 2.0), not a pasted token.

`oauth_start` sends the person to the platform with a fresh `state` (and a PKCE
verifier where the platform takes one); `oauth_finish` takes the code back at
the callback, once, for the same person, within ten minutes, exchanges it and
stores the token (and refresh token) through `connection_set`.
`connections_refresh_tokens` renews tokens in the background before they lapse.
Bluesky's atproto OAuth (DPoP, PAR) is in `oauth_bluesky`; the app password stays
as the fallback.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors import oauth
from kanalvakt.connectors.base import ConnectorProblem
from kanalvakt.connectors.http import ConnectorError, HttpClient
from kanalvakt.connectors.servers import server_url
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, AlertState, OAuthClient, OAuthGrant
from kanalvakt.intake.oauth_bluesky import (
    bluesky_client,
    bluesky_finish,
    bluesky_refresh,
    bluesky_start,
)
from kanalvakt.intake.services import connection_refresh_failed, connection_set, may_connect
from kanalvakt.intake.tokens import TokenUnreadable, token_decrypt, token_encrypt
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)
GRANT_LIFETIME = datetime.timedelta(minutes=10)
REFRESH_AHEAD = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str


def grant_for(platform: str) -> oauth.Grant | None:
    return oauth.GRANTS.get(platform)


def offers_oauth(account: Account) -> bool:
    """The platform has a grant flow and this installation has an app for it."""
    if account.platform == "bluesky":
        return bluesky_client() is not None
    grant = grant_for(account.platform)
    if grant is None:
        return False
    return grant.per_instance or bool(settings.OAUTH_CLIENTS.get(grant.client, ("", ""))[0])


def _url(grant: oauth.Grant, url: str, base_url: str) -> str:
    if grant.per_instance:
        return server_url(base_url, url)
    return oauth.rebase(url, settings.OAUTH_BASE_URLS.get(grant.platform, ""))


def _graph() -> str:
    return oauth.rebase(oauth.GRAPH, settings.OAUTH_BASE_URLS.get("facebook", ""))


def _client(grant: oauth.Grant, base_url: str, redirect_uri: str, http: HttpClient) -> Client:
    if not grant.per_instance:
        client_id, client_secret = settings.OAUTH_CLIENTS.get(grant.client, ("", ""))
        if not client_id:
            raise ValidationError(
                _("Installationen har ingen app registrerad hos plattformen. Klistra in en token.")
            )
        return Client(client_id, client_secret)
    known = OAuthClient.objects.filter(platform=grant.platform, base_url=base_url).first()
    if known is not None:
        return Client(known.client_id, token_decrypt(known.client_secret_encrypted))
    client_id, client_secret = oauth.mastodon_register(
        http,
        apps_url=_url(grant, "/api/v1/apps", base_url),
        redirect_uri=redirect_uri,
        website=settings.SITE_URL,
    )
    OAuthClient.objects.get_or_create(
        platform=grant.platform,
        base_url=base_url,
        defaults={
            "client_id": client_id,
            "client_secret_encrypted": token_encrypt(client_secret),
            "created_at": timezone.now(),
        },
    )
    return Client(client_id, client_secret)


def _may(actor: User, account: Account) -> None:
    if not may_connect(actor, account):
        raise PermissionDenied(
            _("Bara kommunikationschefen eller kontots ansvariga får ansluta kontot.")
        )


def _require(actor: User, account: Account) -> oauth.Grant:
    _may(actor, account)
    grant = grant_for(account.platform)
    if grant is None:
        raise ValidationError(
            _("Plattformen ansluts inte via inloggning; använd en token eller ett app-lösenord.")
        )
    return grant


def _base_url(account: Account) -> str:
    connection = AccountConnection.objects.filter(account=account).first()
    return connection.base_url if connection is not None else ""


def oauth_start(
    *,
    actor: User,
    account: Account,
    redirect_uri: str,
    base_url: str = "",
    http: HttpClient | None = None,
) -> str:
    """The address of the platform's consent page for this account.

    `base_url` is the Mastodon server (default: the connection's); other platforms
    ignore it; for Bluesky it is the server the handle is resolved on.
    """
    if account.platform == "bluesky":
        _may(actor, account)
        return bluesky_start(actor=actor, account=account, base_url=base_url, http=http)
    grant = _require(actor, account)
    base_url = (base_url.strip() or _base_url(account)).rstrip("/") if grant.per_instance else ""
    if grant.per_instance:
        if not base_url:
            raise ValidationError(_("Ange kontots server, t.ex. https://mastodon.nu."))
        try:
            server_url(base_url, "")
        except ConnectorProblem as error:
            raise ValidationError(
                _("Servern kan inte användas: %(error)s") % {"error": error}
            ) from error
    client = http or HttpClient(platform=account.platform)
    try:
        app = _client(grant, base_url, redirect_uri, client)
    except ConnectorProblem as error:
        raise ValidationError(
            _("Servern svarade inte som väntat: %(error)s") % {"error": error}
        ) from error
    finally:
        if http is None:
            client.close()
    state = secrets.token_urlsafe(32)
    verifier = oauth.new_verifier()
    with transaction.atomic():
        OAuthGrant.objects.create(
            state=state,
            account=account,
            actor=actor,
            verifier_encrypted=token_encrypt(verifier),
            redirect_uri=redirect_uri,
            base_url=base_url,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            organisation=account.organisation,
            event_type=IntakeEvent.OAUTH_STARTED,
            target=account,
            data={"platform": account.platform},
        )
    return oauth.authorize_address(
        grant,
        authorize_url=_url(grant, grant.authorize_url, base_url),
        client_id=app.client_id,
        redirect_uri=redirect_uri,
        state=state,
        verifier=verifier,
    )


def _claim(actor: User, state: str) -> OAuthGrant:
    now = timezone.now()
    grant = OAuthGrant.objects.select_related("account__organisation").filter(state=state).first()
    fresh = grant is not None and grant.created_at > now - GRANT_LIFETIME
    if grant is None or grant.actor_id != actor.pk or not fresh:
        raise ValidationError(
            _("Inloggningen hos plattformen gick ut eller började inte här. Försök igen.")
        )
    if not OAuthGrant.objects.filter(pk=grant.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("Den här inloggningen hos plattformen är redan använd."))
    return grant


def oauth_finish(
    *,
    actor: User,
    state: str,
    code: str,
    error: str = "",
    iss: str = "",
    http: HttpClient | None = None,
) -> AccountConnection:
    """Exchange the code from the callback and store the account's token."""
    grant_row = _claim(actor, state)
    account = grant_row.account
    _may(actor, account)
    if error or not code:
        raise ValidationError(
            _("Plattformen gav ingen behörighet (%(error)s).") % {"error": error or "-"}
        )
    if account.platform == "bluesky":
        return bluesky_finish(actor=actor, grant=grant_row, code=code, iss=iss, http=http)
    grant = _require(actor, account)
    base_url = grant_row.base_url
    now = timezone.now()
    client = http or HttpClient(platform=account.platform)
    try:
        app = _client(grant, base_url, grant_row.redirect_uri, client)
        tokens = oauth.exchange_code(
            client,
            grant,
            exchange_url=_url(grant, grant.exchange_url, base_url),
            client_id=app.client_id,
            client_secret=app.client_secret,
            code=code,
            redirect_uri=grant_row.redirect_uri,
            verifier=token_decrypt(grant_row.verifier_encrypted),
            now=now,
        )
        external_id = account.external_id
        if grant.client == "meta":
            token, external_id = oauth.meta_page_token(
                client,
                graph=_graph(),
                client_id=app.client_id,
                client_secret=app.client_secret,
                user_token=tokens.access_token,
                page_id=account.external_id,
                instagram=account.platform == "instagram",
                now=now,
            )
            tokens = oauth.Tokens(access_token=token)
    except ConnectorProblem as problem:
        raise ValidationError(
            _("Plattformen godtog inte inloggningen: %(error)s") % {"error": problem}
        ) from problem
    finally:
        if http is None:
            client.close()
    return _store(actor, account, tokens, external_id, base_url)


@transaction.atomic
def _store(
    actor: User, account: Account, tokens: oauth.Tokens, external_id: str, base_url: str
) -> AccountConnection:
    existing = AccountConnection.objects.filter(account=account).first()
    connection = connection_set(
        actor=actor,
        account=account,
        access_token=tokens.access_token,
        external_id=(existing.external_id if existing else "") or external_id,
        base_url=base_url,
        token_expires_at=tokens.expires_at,
        poll_enabled=existing.poll_enabled if existing else True,
        poll_interval_minutes=existing.poll_interval_minutes if existing else None,
    )
    stored = token_encrypt(tokens.refresh_token) if tokens.refresh_token else ""
    AccountConnection.objects.filter(pk=connection.pk).update(refresh_token_encrypted=stored)
    connection.refresh_token_encrypted = stored
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=IntakeEvent.OAUTH_COMPLETED,
        target=connection,
        data={"platform": account.platform, "refreshable": bool(stored)},
    )
    return connection


def connection_refresh_token(
    *, connection: AccountConnection, http: HttpClient | None = None
) -> bool:
    """Renew the access token with the refresh token. False (and an alert) when refused."""
    if connection.account.platform == "bluesky" and connection.refresh_token_encrypted:
        return bluesky_refresh(connection, http=http)
    grant = grant_for(connection.account.platform)
    if grant is None or not connection.refresh_token_encrypted:
        return False
    now = timezone.now()
    client = http or HttpClient(platform=connection.account.platform)
    try:
        app = _client(grant, connection.base_url, "", client)
        tokens = oauth.refresh(
            client,
            grant,
            exchange_url=_url(grant, grant.exchange_url, connection.base_url),
            client_id=app.client_id,
            client_secret=app.client_secret,
            refresh_token=token_decrypt(connection.refresh_token_encrypted),
            now=now,
        )
    except (ConnectorError, ConnectorProblem, TokenUnreadable, ValidationError) as problem:
        connection_refresh_failed(connection, problem, now=now)
        return False
    finally:
        if http is None:
            client.close()
    with transaction.atomic():
        AccountConnection.objects.filter(pk=connection.pk).update(
            token_encrypted=token_encrypt(tokens.access_token),
            refresh_token_encrypted=token_encrypt(tokens.refresh_token),
            token_expires_at=tokens.expires_at,
            alert=AlertState.NONE,
            alert_message="",
            alert_since=None,
            updated_at=now,
        )
        audit_record(
            actor=None,
            organisation=connection.organisation,
            event_type=IntakeEvent.TOKEN_REFRESHED,
            target=connection,
            data={"expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None},
        )
    return True


def connections_refresh_tokens(*, now: datetime.datetime | None = None) -> int:
    """Renew every refreshable token that lapses within a day (or has lapsed).

    Bluesky's OAuth sessions (access tokens of minutes, no stored expiry) are renewed
    at every run: that keeps the rotating refresh token in use.
    """
    now = now or timezone.now()
    due = (
        AccountConnection.objects.exclude(refresh_token_encrypted="")
        .filter(
            Q(token_expires_at__lte=now + REFRESH_AHEAD)
            | Q(account__platform="bluesky", token_expires_at__isnull=True)
        )
        .select_related("account", "organisation")
    )
    return sum(connection_refresh_token(connection=connection) for connection in due)
