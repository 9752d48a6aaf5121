"""A connector's configuration for an account: its connection's server and token, a
Bluesky session or OAuth grant opened when needed.
"""

from __future__ import annotations

import logging

from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    PayloadError,
)
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.bluesky.oauth import SESSION_PREFIX as ATPROTO_OAUTH_PREFIX
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.registry import connector_for
from kanalvakt.intake.models import AccountConnection
from kanalvakt.intake.tokens import TokenUnreadable, token_decrypt, token_encrypt
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)


def connection_account_config(account: Account) -> AccountConfig | None:
    """How to reach `account` on its platform, or None when it is not connected
    (no connection, no token, a token that cannot be decrypted, or for Bluesky an
    app password the server no longer accepts)."""
    connection = AccountConnection.objects.filter(account=account).first()
    if connection is None or not connection.token_encrypted:
        return None
    try:
        return connection_config(connection, account)
    except (ConnectorError, PayloadError) as exc:
        logger.warning("connection %s: no session: %s", connection.pk, type(exc).__name__)
        return None


def connection_config(
    connection: AccountConnection,
    account: Account,
    *,
    connector: Connector | None = None,
    fresh_session: bool = False,
) -> AccountConfig | None:
    """The config for the connector. For Bluesky this may log in (`TokenExpired` when
    the app password is refused)."""
    try:
        token = token_decrypt(connection.token_encrypted)
    except TokenUnreadable:
        logger.warning("access token of connection %s cannot be decrypted", connection.pk)
        return None
    if account.platform in SESSION_PLATFORMS:
        token = _session_token(
            connection, account, app_password=token, connector=connector, fresh=fresh_session
        )
    return AccountConfig(
        external_id=connection.external_id or account.external_id,
        access_token=token,
        handle=account.handle,
        base_url=connection.base_url,
        settings={str(k): str(v) for k, v in (connection.connector_settings or {}).items()},
    )


SESSION_PLATFORMS = frozenset({"bluesky"})


def _session_token(
    connection: AccountConnection,
    account: Account,
    *,
    app_password: str,
    connector: Connector | None,
    fresh: bool,
) -> str:
    """Bluesky: the cached session's access JWT, or a new session made with the app password."""
    if app_password.startswith(ATPROTO_OAUTH_PREFIX):
        # Connected with atproto OAuth: a DPoP-bound session, renewed with its refresh token.
        from kanalvakt.intake.oauth_bluesky import bluesky_session

        return bluesky_session(connection, app_password, fresh=fresh)
    if connection.session_encrypted and not fresh:
        try:
            return token_decrypt(connection.session_encrypted)
        except TokenUnreadable:
            pass
    own = connector is None
    client = connector if connector is not None else connector_for(account.platform)
    try:
        if not isinstance(client, BlueskyConnector):
            raise ActionNotSupported(account.platform, "sessions")
        session = client.create_session(
            identifier=(connection.connector_settings or {}).get("identifier") or account.handle,
            app_password=app_password,
            service=connection.base_url,
        )
    finally:
        if own:
            client.close()
    stored = token_encrypt(session.access_jwt)
    AccountConnection.objects.filter(pk=connection.pk).update(session_encrypted=stored)
    connection.session_encrypted = stored
    return session.access_jwt
