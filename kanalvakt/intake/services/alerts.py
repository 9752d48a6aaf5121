"""Alerts on broken or lapsing tokens: raised once (a conditional UPDATE, so two workers
mail the responsible once), cleared when the connection works again, and the hourly
token check with its refresh.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import (
    ActionNotSupported,
    PayloadError,
)
from kanalvakt.connectors.http import ConnectorError, TokenExpired
from kanalvakt.connectors.registry import UnknownPlatform, connector_for
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services.configs import (
    SESSION_PLATFORMS,
    connection_config,
)
from kanalvakt.intake.services.timing import (
    expiry_warning,
)

logger = logging.getLogger(__name__)


# Alerts --------------------------------------------------------------------------


def connection_alert_raise(
    connection: AccountConnection, state: AlertState, message: str, *, now: datetime.datetime
) -> bool:
    """Raise `state` on the connection unless it is already raised; mail the responsible once.

    The conditional UPDATE makes the mail go out once even when two workers see
    the same broken token at the same moment.
    """
    if connection.alert == state:
        return False
    changed = AccountConnection.objects.filter(pk=connection.pk, alert=connection.alert).update(
        alert=state,
        alert_message=message[:300],
        alert_since=now,
        alert_notified_at=now,
        updated_at=now,
    )
    if not changed:
        return False
    connection.alert = state
    connection.alert_message = message[:300]
    connection.alert_since = now
    connection.alert_notified_at = now
    account = connection.account
    audit_record(
        actor=None,
        organisation=account.organisation,
        event_type=IntakeEvent.CONNECTION_ALERT_RAISED,
        target=connection,
        data={"alert": str(state), "message": message[:300]},
    )
    _mail_responsible(connection, state, message)
    return True


@transaction.atomic
def connection_refresh_failed(
    connection: AccountConnection, problem: Exception, *, now: datetime.datetime
) -> None:
    """A token could not be renewed: the connection needs to be connected again."""
    connection_alert_raise(
        connection,
        AlertState.EXPIRED,
        _("Token kunde inte förnyas (%(error)s). Anslut kontot igen.") % {"error": problem},
        now=now,
    )


def connection_alert_clear(connection: AccountConnection, *, now: datetime.datetime) -> None:
    if connection.alert == AlertState.NONE:
        return
    was = connection.alert
    AccountConnection.objects.filter(pk=connection.pk).update(
        alert=AlertState.NONE, alert_message="", alert_since=None, alert_notified_at=None
    )
    connection.alert = AlertState.NONE
    connection.alert_message = ""
    connection.alert_since = None
    connection.alert_notified_at = None
    audit_record(
        actor=None,
        organisation=connection.account.organisation,
        event_type=IntakeEvent.CONNECTION_ALERT_CLEARED,
        target=connection,
        data={"was": was},
    )


def connection_path(connection: AccountConnection) -> str:
    return reverse(
        "intake:connection",
        kwargs={"slug": connection.account.organisation.slug, "pk": connection.account_id},
    )


def _mail_responsible(connection: AccountConnection, state: AlertState, message: str) -> None:
    account = connection.account
    address = account.responsible.email
    if not address:
        logger.warning("account %s has no responsible e-mail for its alert", account.pk)
        return
    subject = _("Kanalvakt: %(account)s – %(alert)s") % {
        "account": str(account),
        "alert": str(state.label),
    }
    body = _(
        "Hej!\n\nKontot %(account)s (%(organisation)s) behöver en ny åtkomsttoken: "
        "%(alert)s.\n%(message)s\n\nTills den är bytt hämtar Kanalvakt inga nya kommentarer "
        "eller meddelanden från kontot och kan inte skicka svar.\n\n"
        "Byt token här: %(url)s\n"
    ) % {
        "account": str(account),
        "organisation": str(account.organisation),
        "alert": str(state.label),
        "message": message,
        "url": settings.SITE_URL.rstrip("/") + connection_path(connection),
    }
    from kanalvakt.notifications.models import NotificationKind
    from kanalvakt.notifications.services import notification_send

    # In the app, and by e-mail as the person prefers (at once unless they chose otherwise).
    notification_send(
        recipient=account.responsible,
        kind=NotificationKind.TOKEN_PROBLEM,
        title=subject,
        body=body,
        url=connection_path(connection),
        organisation=account.organisation,
    )


def connection_check_expiry(connection: AccountConnection, *, now: datetime.datetime) -> None:
    """Raise or clear the alert from the stored expiry date."""
    expires = connection.token_expires_at
    if expires is None or connection.alert == AlertState.EXPIRED:
        return
    when = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")
    if expires <= now:
        connection_alert_raise(
            connection,
            AlertState.EXPIRED,
            _("Åtkomsttoken gick ut %(when)s.") % {"when": when},
            now=now,
        )
    elif expires <= now + expiry_warning():
        connection_alert_raise(
            connection,
            AlertState.EXPIRING,
            _("Åtkomsttoken går ut %(when)s.") % {"when": when},
            now=now,
        )
    elif connection.alert == AlertState.EXPIRING:
        connection_alert_clear(connection, now=now)


@dataclass(frozen=True)
class TokenCheck:
    checked: int
    alerts: int


def connections_check_tokens(
    *, now: datetime.datetime | None = None, ask_platform: bool = True
) -> TokenCheck:
    """Daily: ask each platform when the token lapses (where it can tell), then alert.

    A token already rejected (`expired`) stays so until someone saves a new one.
    """
    now = now or timezone.now()
    checked = alerts = 0
    connections = (
        AccountConnection.objects.exclude(token_encrypted="")
        .exclude(alert=AlertState.EXPIRED)
        .select_related("account", "account__organisation", "account__responsible")
    )
    for connection in connections:
        checked += 1
        before = connection.alert
        if ask_platform:
            _refresh_expiry(connection, now=now)
        with transaction.atomic():
            if connection.alert != AlertState.EXPIRED:
                connection_check_expiry(connection, now=now)
        if connection.alert != before and connection.alert != AlertState.NONE:
            alerts += 1
    return TokenCheck(checked, alerts)


def _refresh_expiry(connection: AccountConnection, *, now: datetime.datetime) -> None:
    if connection.account.platform in SESSION_PLATFORMS:
        return  # app passwords do not lapse; sessions are renewed when the poll needs one
    config = connection_config(connection, connection.account)
    if config is None:
        return
    try:
        connector = connector_for(connection.account.platform)
    except UnknownPlatform:
        return
    try:
        expires = connector.token_expires_at(config)
    except TokenExpired as exc:
        with transaction.atomic():
            connection_alert_raise(connection, AlertState.EXPIRED, token_message(exc), now=now)
        return
    except (ActionNotSupported, ConnectorError, PayloadError):
        return
    finally:
        connector.close()
    if expires != connection.token_expires_at:
        AccountConnection.objects.filter(pk=connection.pk).update(token_expires_at=expires)
        connection.token_expires_at = expires


def token_message(exc: TokenExpired) -> str:
    return _("Plattformen underkände åtkomsttoken (HTTP %(status)s).") % {
        "status": exc.status or "–"
    }
