"""Connecting a Bluesky account with atproto OAuth (DPoP, PAR, PKCE), the app password's successor.

`bluesky_start` resolves the account's handle through the server the admin
entered, finds the PDS's authorisation server, pushes the authorisation
request and returns the consent page's address; `bluesky_finish` checks the
callback's `iss`, exchanges the code with the same DPoP key and stores the
session; `bluesky_session` hands a session to the connector and renews it
when it has lapsed or was refused; `bluesky_refresh` renews it in the
background. The DPoP key, the access token and the refresh token are stored
encrypted like every other token; Kanalvakt's own signing key is read from
the file `OAUTH_BLUESKY_KEY_FILE` and is never in the database.

The pending grant's secrets (PKCE verifier, DPoP key, issuer, DID) travel in
`OAuthGrant.verifier_encrypted` as encrypted JSON; no extra table is needed.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors import oauth as generic
from kanalvakt.connectors.base import ConnectorProblem
from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.bluesky import oauth as atproto
from kanalvakt.connectors.endpoints import api_base
from kanalvakt.connectors.http import ConnectorError, HttpClient, TokenExpired
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, AlertState, OAuthGrant
from kanalvakt.intake.services import connection_refresh_failed, connection_set, may_change_server
from kanalvakt.intake.tokens import TokenUnreadable, token_decrypt, token_encrypt
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account


@lru_cache(maxsize=4)
def _key(path: str, modified: float) -> atproto.ClientKey:
    return atproto.ClientKey.from_pem(Path(path).read_bytes())


def bluesky_client() -> atproto.Client | None:
    """Kanalvakt as an atproto OAuth client, or None when no key file is configured."""
    path = str(getattr(settings, "OAUTH_BLUESKY_KEY_FILE", "") or "")
    if not path or not Path(path).is_file():
        return None
    site = settings.SITE_URL.rstrip("/")
    return atproto.Client(
        client_id=site + reverse("intake:bluesky_client_metadata"),
        redirect_uri=site + reverse("intake:oauth_callback"),
        jwks_uri=site + reverse("intake:bluesky_jwks"),
        key=_key(path, Path(path).stat().st_mtime),
        client_uri=site,
    )


def _required_client() -> atproto.Client:
    client = bluesky_client()
    if client is None:
        raise ValidationError(
            _("Installationen har ingen nyckel för Bluesky-inloggning. Använd ett app-lösenord.")
        )
    return client


def _problem(error: Exception) -> ValidationError:
    return ValidationError(_("Bluesky godtog inte inloggningen: %(error)s") % {"error": error})


def _check_account(
    actor: User,
    account: Account,
    connection: AccountConnection | None,
    identity: atproto.Identity,
    handle: str,
) -> None:
    """Before the person is sent to Bluesky: the DID is the account's, and a new PDS
    for an existing connection is chosen by one of the account's admins."""
    known = account.external_id or (connection.external_id if connection else "")
    if known.startswith("did:") and known != identity.did:
        raise ValidationError(
            _("Handtaget %(handle)s hör till ett annat Bluesky-konto än det registrerade.")
            % {"handle": handle}
        )
    moves = connection is not None and connection.base_url.rstrip("/") != identity.pds
    if moves and not may_change_server(actor, account):
        raise ValidationError(_("Bara kontots administratörer får byta server."))


def bluesky_start(
    *, actor: User, account: Account, base_url: str = "", http: HttpClient | None = None
) -> str:
    """Push the authorisation request; the address to send the person to."""
    client = _required_client()
    connection = AccountConnection.objects.filter(account=account).first()
    server = base_url.strip() or (connection.base_url if connection else "") or api_base("bluesky")
    settings_ = (connection.connector_settings or {}) if connection else {}
    handle = str(settings_.get("identifier") or account.handle)
    key = dpop.new_key()
    verifier = generic.new_verifier()
    state = secrets.token_urlsafe(32)
    nonces: dict[str, str] = {}
    own = http is None
    http = http or HttpClient(platform="bluesky")
    try:
        identity = atproto.resolve_identity(
            http,
            server=server.rstrip("/"),
            handle=handle,
            plc_directory=str(getattr(settings, "BLUESKY_PLC_DIRECTORY", "") or ""),
        )
        _check_account(actor, account, connection, identity, handle)
        auth_server = atproto.authorization_server(http, pds=identity.pds)
        request_uri = atproto.push_authorization(
            http,
            auth_server,
            client,
            state=state,
            challenge=generic.challenge(verifier),
            login_hint=identity.handle,
            auth=dpop.DPoPAuth(key, nonces=nonces),
        )
    except (ConnectorError, ConnectorProblem) as error:
        raise _problem(error) from error
    finally:
        if own:
            http.close()
    pending = {
        "verifier": verifier,
        "dpop_jwk": dpop.private_jwk(key),
        "issuer": auth_server.issuer,
        "did": identity.did,
        "nonces": nonces,  # the authorisation server's latest DPoP nonce, for the exchange
    }
    with transaction.atomic():
        OAuthGrant.objects.create(
            state=state,
            account=account,
            actor=actor,
            verifier_encrypted=token_encrypt(json.dumps(pending)),
            redirect_uri=client.redirect_uri,
            base_url=identity.pds,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            organisation=account.organisation,
            event_type=IntakeEvent.OAUTH_STARTED,
            target=account,
            data={"platform": "bluesky", "did": identity.did, "issuer": auth_server.issuer},
        )
    return atproto.authorize_address(auth_server, client, request_uri)


def bluesky_finish(
    *, actor: User, grant: OAuthGrant, code: str, iss: str, http: HttpClient | None = None
) -> AccountConnection:
    """The callback: `iss` must be the issuer the request went to; then the code exchange."""
    client = _required_client()
    pending: dict[str, Any] = json.loads(token_decrypt(grant.verifier_encrypted))
    if iss.rstrip("/") != pending["issuer"]:
        raise ValidationError(
            _("Svaret kom från en annan inloggningstjänst än den kontot hör till. Inget sparades.")
        )
    key = dpop.key_from_jwk(pending["dpop_jwk"])
    now = timezone.now()
    own = http is None
    http = http or HttpClient(platform="bluesky")
    try:
        auth_server = atproto.server_metadata(http, issuer=pending["issuer"])
        tokens = atproto.exchange_code(
            http,
            auth_server,
            client,
            code=code,
            verifier=pending["verifier"],
            did=pending["did"],
            auth=dpop.DPoPAuth(key, nonces=dict(pending.get("nonces") or {})),
            now=now,
        )
    except (ConnectorError, ConnectorProblem) as error:
        raise _problem(error) from error
    finally:
        if own:
            http.close()
    session = _session(tokens, pending["dpop_jwk"], pending["issuer"])
    try:
        return _store(actor, grant.account, session, tokens.refresh_token, grant.base_url)
    except PermissionDenied as denied:  # the connection moved meanwhile; say so on the page
        raise ValidationError(str(denied)) from denied


def _session(tokens: atproto.TokenSet, jwk: dict[str, Any], issuer: str) -> atproto.OAuthSession:
    return atproto.OAuthSession(
        access_token=tokens.access_token,
        dpop_jwk=jwk,
        issuer=issuer,
        did=tokens.sub,
        expires_at=tokens.expires_at.timestamp() if tokens.expires_at else None,
    )


@transaction.atomic
def _store(
    actor: User,
    account: Account,
    session: atproto.OAuthSession,
    refresh_token: str,
    pds: str,
) -> AccountConnection:
    existing = AccountConnection.objects.filter(account=account).first()
    if existing and existing.external_id and existing.external_id != session.did:
        raise ValidationError(
            _("Anslutningen gäller ett annat Bluesky-konto (%(did)s).")
            % {"did": existing.external_id}
        )
    connection = connection_set(
        actor=actor,
        account=account,
        access_token=session.encode(),
        external_id=session.did,
        base_url=pds,
        # The access token lives minutes; it is renewed when needed, not alerted on.
        token_expires_at=None,
        poll_enabled=existing.poll_enabled if existing else True,
        poll_interval_minutes=existing.poll_interval_minutes if existing else None,
    )
    stored = token_encrypt(refresh_token) if refresh_token else ""
    AccountConnection.objects.filter(pk=connection.pk).update(refresh_token_encrypted=stored)
    connection.refresh_token_encrypted = stored
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=IntakeEvent.OAUTH_COMPLETED,
        target=connection,
        data={
            "platform": "bluesky",
            "method": "atproto-oauth",
            "did": session.did,
            "refreshable": bool(stored),
        },
    )
    return connection


# Renewal ---------------------------------------------------------------------------


def _renew(connection: AccountConnection, *, http: HttpClient | None = None) -> str:
    """Renew the session with its refresh token (rotated); the new encoded session.

    The row is locked while the refresh token is spent, so a poll and the
    background job never spend the same one-use refresh token twice.
    """
    now = timezone.now()
    with transaction.atomic():
        row = AccountConnection.objects.select_for_update().get(pk=connection.pk)
        current = atproto.OAuthSession.decode(token_decrypt(row.token_encrypted))
        if current is None or not row.refresh_token_encrypted:
            raise TokenExpired("no atproto OAuth session to renew", platform="bluesky")
        if row.token_encrypted != connection.token_encrypted and not current.expired(
            now=now.timestamp()
        ):
            return current.encode()  # renewed meanwhile by someone else
        own = http is None
        client = http or HttpClient(platform="bluesky")
        try:
            auth_server = atproto.server_metadata(client, issuer=current.issuer)
            tokens = atproto.refresh(
                client,
                auth_server,
                _required_client(),
                refresh_token=token_decrypt(row.refresh_token_encrypted),
                did=current.did,
                auth=dpop.DPoPAuth(current.key, nonces={}),
                now=now,
            )
        finally:
            if own:
                client.close()
        session = _session(tokens, current.dpop_jwk, current.issuer)
        encoded = token_encrypt(session.encode())
        AccountConnection.objects.filter(pk=row.pk).update(
            token_encrypted=encoded,
            refresh_token_encrypted=token_encrypt(tokens.refresh_token)
            if tokens.refresh_token
            else row.refresh_token_encrypted,
            session_encrypted="",
            updated_at=now,
        )
        connection.token_encrypted = encoded
        audit_record(
            actor=None,
            organisation=row.organisation,
            event_type=IntakeEvent.TOKEN_REFRESHED,
            target=row,
            data={
                "platform": "bluesky",
                "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
            },
        )
    return session.encode()


def bluesky_session(connection: AccountConnection, stored: str, *, fresh: bool) -> str:
    """The session to hand the connector: as stored, or renewed when it has lapsed or
    the PDS refused it (`fresh`). Raises TokenExpired when it cannot be renewed."""
    session = atproto.OAuthSession.decode(stored)
    if session is None:
        return stored
    if not fresh and not session.expired(now=timezone.now().timestamp()):
        return stored
    try:
        return _renew(connection)
    except (ConnectorProblem, TokenUnreadable, ValidationError) as error:
        raise TokenExpired(
            f"the session could not be renewed: {error}", platform="bluesky"
        ) from error


def bluesky_refresh(connection: AccountConnection, *, http: HttpClient | None = None) -> bool:
    """Background renewal. False (and an alert) when the authorisation server refuses."""
    now = timezone.now()
    try:
        stored = token_decrypt(connection.token_encrypted)
    except TokenUnreadable:
        return False
    if not stored.startswith(atproto.SESSION_PREFIX):
        # An app password was saved since: the old OAuth refresh token is of no use.
        AccountConnection.objects.filter(pk=connection.pk).update(refresh_token_encrypted="")
        return False
    try:
        _renew(connection, http=http)
    except (ConnectorError, ConnectorProblem, TokenUnreadable, ValidationError) as problem:
        connection_refresh_failed(connection, problem, now=now)
        return False
    if connection.alert == AlertState.EXPIRED:
        AccountConnection.objects.filter(pk=connection.pk).update(
            alert=AlertState.NONE, alert_message="", alert_since=None
        )
    return True
