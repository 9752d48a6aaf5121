"""Connecting an account to its platform: who may, the server address and the stored
token.

The access token is never logged, audited or shown: only whether it changed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services.alerts import (
    connection_check_expiry,
)
from kanalvakt.intake.tokens import token_encrypt
from kanalvakt.lib.netguard import OutboundRefused, check_public_url
from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.register.models import Account

# Connecting an account -----------------------------------------------------------


def may_connect(user: User, account: Account) -> bool:
    """The comms lead, or the account's responsible person."""
    return account.responsible_id == user.pk or has_role(
        user, account.organisation, Role.COMMS_LEAD
    )


def may_change_server(user: User, account: Account) -> bool:
    """Only the account's admins (REG-4) may point a connection at another server."""
    return account.admins.filter(user=user).exists()


def _server(base_url: str) -> str:
    """The server address, normalised, checked by the outbound guard: public https only."""
    server = base_url.strip().rstrip("/")
    if server:
        try:
            check_public_url(server)
        except OutboundRefused as error:
            raise ValidationError({"base_url": str(error)}) from error
    return server


@transaction.atomic
def connection_set(
    *,
    actor: User,
    account: Account,
    access_token: str = "",
    external_id: str = "",
    base_url: str = "",
    token_expires_at: datetime.datetime | None = None,
    poll_enabled: bool = True,
    poll_interval_minutes: int | None = None,
    connector_settings: dict[str, str] | None = None,
) -> AccountConnection:
    """Connect an account or change its connection. An empty `access_token` keeps the stored one.

    A new token clears the account's alert and makes it due for polling at once.
    """
    if not may_connect(actor, account):
        raise PermissionDenied(
            _("Bara kommunikationschefen eller kontots ansvariga får ansluta kontot.")
        )
    now = timezone.now()
    server = _server(base_url)
    connection = AccountConnection.objects.select_for_update().filter(account=account).first()
    created = connection is None
    if connection is None:
        connection = AccountConnection(
            organisation=account.organisation, account=account, created_at=now
        )
    before = _public_fields(connection)
    server_changed = not created and server != connection.base_url.rstrip("/")
    if server_changed and not may_change_server(actor, account):
        raise PermissionDenied(_("Bara kontots administratörer får byta server."))
    secret_cleared = server_changed and bool(connection.token_encrypted)
    if server_changed:
        # The stored secret was given for the old server: it never goes to the new one.
        connection.token_encrypted = ""
        connection.session_encrypted = ""
    connection.external_id = external_id.strip()
    connection.base_url = server
    connection.token_expires_at = token_expires_at
    connection.poll_enabled = poll_enabled
    connection.poll_interval_minutes = poll_interval_minutes
    if connector_settings is not None:
        connection.connector_settings = dict(connector_settings)
    token_changed = bool(access_token.strip())
    if token_changed:
        connection.token_encrypted = token_encrypt(access_token.strip())
        connection.session_encrypted = ""
        connection.failures = 0
        connection.last_error = ""
        connection.last_error_at = None
        connection.next_poll_at = now
        connection.claimed_until = None
    elif not connection.token_encrypted and not secret_cleared:
        raise ValidationError({"access_token": _("Ange en åtkomsttoken för att ansluta kontot.")})
    if connection.next_poll_at is None:
        connection.next_poll_at = now
    connection.connected_by = actor
    connection.updated_at = now
    old_alert = connection.alert
    if token_changed or connection.alert == AlertState.EXPIRING:
        connection.alert = AlertState.NONE
        connection.alert_message = ""
        connection.alert_since = None
        connection.alert_notified_at = None
    connection.full_clean()
    connection.save()
    after = _public_fields(connection)
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=IntakeEvent.CONNECTION_SET,
        target=connection,
        data={
            "created": created,
            "token_changed": token_changed,
            "server_changed": server_changed,
            "secret_cleared": secret_cleared and not token_changed,
            "changes": {k: [before[k], after[k]] for k in after if before.get(k) != after[k]},
        },
    )
    if old_alert != AlertState.NONE and connection.alert == AlertState.NONE:
        audit_record(
            actor=actor,
            organisation=account.organisation,
            event_type=IntakeEvent.CONNECTION_ALERT_CLEARED,
            target=connection,
            data={"was": old_alert},
        )
    connection_check_expiry(connection, now=now)
    return connection


@transaction.atomic
def connection_poll_soon(*, actor: User, account: Account) -> AccountConnection:
    """Make a connected account due now: the scheduler polls it within a minute."""
    if not may_connect(actor, account):
        raise PermissionDenied(
            _("Bara kommunikationschefen eller kontots ansvariga får hämta för kontot.")
        )
    connection = AccountConnection.objects.select_for_update().filter(account=account).first()
    if connection is None or not connection.token_encrypted:
        raise ValidationError(_("Kontot är inte anslutet."))
    if connection.alert == AlertState.EXPIRED:
        raise ValidationError(_("Spara en ny åtkomsttoken först."))
    now = timezone.now()
    connection.next_poll_at = now
    connection.updated_at = now
    connection.save(update_fields=["next_poll_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=IntakeEvent.CONNECTION_POLL_REQUESTED,
        target=connection,
        data={},
    )
    return connection


def _public_fields(connection: AccountConnection) -> dict[str, Any]:
    """What may go into the audit log: never the token."""
    return {
        "external_id": connection.external_id,
        "base_url": connection.base_url,
        "token_expires_at": connection.token_expires_at.isoformat()
        if connection.token_expires_at
        else None,
        "poll_enabled": connection.poll_enabled,
        "poll_interval_minutes": connection.poll_interval_minutes,
        "settings": dict(connection.connector_settings or {}),
    }
