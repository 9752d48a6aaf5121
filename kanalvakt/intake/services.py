"""Connecting accounts, polling them, and alerting on broken or lapsing tokens.

Polling: a periodic job claims every due connection with a conditional UPDATE
(`claimed_until`) and enqueues one poll task per claimed row on commit, so
several workers never poll the same account at once. The poll calls the
platform outside any transaction, then stores the response as a Delivery,
each item through `item_ingest` and the new cursor in one transaction.

The access token is never logged, audited or shown: only whether it changed.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    PayloadError,
)
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.bluesky.oauth import SESSION_PREFIX as ATPROTO_OAUTH_PREFIX
from kanalvakt.connectors.http import ConnectorError, RateLimited, TokenExpired
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.registry import CONNECTORS, UnknownPlatform, connector_for
from kanalvakt.inbox.models import DeliverySource, Item, ItemVersion
from kanalvakt.inbox.services import delivery_store, item_ingest
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.tokens import TokenUnreadable, token_decrypt, token_encrypt
from kanalvakt.lib.netguard import OutboundRefused, check_public_url
from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.register.models import Account, AccountStatus

logger = logging.getLogger(__name__)

POLLED_STATUSES = (AccountStatus.ACTIVE, AccountStatus.CLOSING)


# Settings ------------------------------------------------------------------------


WEBHOOK_PLATFORMS = frozenset({"facebook", "instagram", "x"})


def poll_interval(connection: AccountConnection) -> datetime.timedelta:
    """The connection's own interval, else the default: short for platforms that are only
    polled, long where webhooks bring the items and the poll is a safety net."""
    if connection.account.platform in WEBHOOK_PLATFORMS:
        default = int(getattr(settings, "INTAKE_SAFETY_POLL_INTERVAL_MINUTES", 60))
    else:
        default = int(getattr(settings, "INTAKE_POLL_INTERVAL_MINUTES", 5))
    minutes: int = connection.poll_interval_minutes or default
    return datetime.timedelta(minutes=max(1, minutes))


def expiry_warning() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "INTAKE_TOKEN_WARNING_DAYS", 7))


def recheck_window() -> datetime.timedelta:
    """How far back polled items are re-checked for deletion."""
    return datetime.timedelta(days=getattr(settings, "INTAKE_RECHECK_DAYS", 7))


# Ids re-checked for deletion per poll: one batch where the API looks ids up in
# batches (YouTube 50, X 100, Bluesky 25), a few where each id costs a call.
RECHECK_LIMITS = {"youtube": 50, "x": 100, "bluesky": 25}
RECHECK_ONE_BY_ONE = 20
CLAIM_LEASE = datetime.timedelta(minutes=10)
RATE_LIMIT_DEFAULT = datetime.timedelta(minutes=15)
MAX_BACKOFF = datetime.timedelta(hours=6)


def polling_platforms() -> list[str]:
    return [platform for platform, cls in CONNECTORS.items() if cls.polls]


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
    _check_expiry(connection, now=now)
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


def connection_account_config(account: Account) -> AccountConfig | None:
    """How to reach `account` on its platform, or None when it is not connected
    (no connection, no token, a token that cannot be decrypted, or for Bluesky an
    app password the server no longer accepts)."""
    connection = AccountConnection.objects.filter(account=account).first()
    if connection is None or not connection.token_encrypted:
        return None
    try:
        return _config(connection, account)
    except (ConnectorError, PayloadError) as exc:
        logger.warning("connection %s: no session: %s", connection.pk, type(exc).__name__)
        return None


def _config(
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


# Alerts --------------------------------------------------------------------------


def _alert_raise(
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


def _alert_clear(connection: AccountConnection, *, now: datetime.datetime) -> None:
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


def _check_expiry(connection: AccountConnection, *, now: datetime.datetime) -> None:
    """Raise or clear the alert from the stored expiry date."""
    expires = connection.token_expires_at
    if expires is None or connection.alert == AlertState.EXPIRED:
        return
    when = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")
    if expires <= now:
        _alert_raise(
            connection,
            AlertState.EXPIRED,
            _("Åtkomsttoken gick ut %(when)s.") % {"when": when},
            now=now,
        )
    elif expires <= now + expiry_warning():
        _alert_raise(
            connection,
            AlertState.EXPIRING,
            _("Åtkomsttoken går ut %(when)s.") % {"when": when},
            now=now,
        )
    elif connection.alert == AlertState.EXPIRING:
        _alert_clear(connection, now=now)


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
                _check_expiry(connection, now=now)
        if connection.alert != before and connection.alert != AlertState.NONE:
            alerts += 1
    return TokenCheck(checked, alerts)


def _refresh_expiry(connection: AccountConnection, *, now: datetime.datetime) -> None:
    if connection.account.platform in SESSION_PLATFORMS:
        return  # app passwords do not lapse; sessions are renewed when the poll needs one
    config = _config(connection, connection.account)
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
            _alert_raise(connection, AlertState.EXPIRED, _token_message(exc), now=now)
        return
    except (ActionNotSupported, ConnectorError, PayloadError):
        return
    finally:
        connector.close()
    if expires != connection.token_expires_at:
        AccountConnection.objects.filter(pk=connection.pk).update(token_expires_at=expires)
        connection.token_expires_at = expires


def _token_message(exc: TokenExpired) -> str:
    return _("Plattformen underkände åtkomsttoken (HTTP %(status)s).") % {
        "status": exc.status or "–"
    }


# Polling -------------------------------------------------------------------------


def connections_enqueue_due(*, now: datetime.datetime | None = None) -> int:
    """Claim every connection that is due for a poll and enqueue one poll task for each.

    The claim is a conditional UPDATE on `claimed_until`: of several schedulers
    running at once, one wins each row.
    """
    now = now or timezone.now()
    due = (
        AccountConnection.objects.filter(
            poll_enabled=True,
            next_poll_at__lte=now,
            account__status__in=POLLED_STATUSES,
            account__platform__in=polling_platforms(),
        )
        .exclude(token_encrypted="")
        .exclude(alert=AlertState.EXPIRED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_poll_at")
        .values_list("pk", "claimed_until")
    )
    claimed = 0
    for pk, previous in list(due):
        with transaction.atomic():
            won = (
                AccountConnection.objects.filter(pk=pk, claimed_until=previous)
                if previous is not None
                else AccountConnection.objects.filter(pk=pk, claimed_until__isnull=True)
            ).update(claimed_until=now + CLAIM_LEASE)
            if won:
                claimed += 1
                transaction.on_commit(partial(_enqueue_poll, pk))
    return claimed


def _enqueue_poll(connection_id: int) -> None:
    from kanalvakt.intake.tasks import connection_poll_task

    connection_poll_task.enqueue(connection_id)


@dataclass(frozen=True)
class PollOutcome:
    status: str
    """polled | rate_limited | token_expired | failed | skipped"""
    new: int = 0
    edited: int = 0
    deleted: int = 0
    known: int = 0
    error: str = ""


def known_external_ids(account: Account, *, now: datetime.datetime) -> list[str]:
    """Recent items of the account that are not yet known to be deleted, to re-check."""
    deleted = ItemVersion.objects.filter(item__account=account, deleted=True).values("item_id")
    return list(
        Item.objects.filter(account=account, received_at__gte=now - recheck_window())
        .exclude(pk__in=deleted)
        .exclude(external_id__startswith="export:")
        .exclude(by_account=True)
        .order_by("-received_at")
        .values_list("external_id", flat=True)[
            : RECHECK_LIMITS.get(account.platform, RECHECK_ONE_BY_ONE)
        ]
    )


def connection_poll(
    *,
    connection_id: int,
    connector: Connector | None = None,
    now: datetime.datetime | None = None,
) -> PollOutcome:
    """Poll one connected account once and store what it returns (the poll task's body)."""
    now = now or timezone.now()
    connection = (
        AccountConnection.objects.select_related(
            "account", "account__organisation", "account__responsible"
        )
        .filter(pk=connection_id)
        .first()
    )
    if connection is None:
        return PollOutcome("skipped", error="no such connection")
    account = connection.account
    if not connection.token_encrypted or connection.alert == AlertState.EXPIRED:
        _release(connection, next_poll_at=now + poll_interval(connection))
        return PollOutcome("skipped", error="not connected")
    own = connector is None
    try:
        connector = connector or connector_for(account.platform)
    except UnknownPlatform as exc:
        _release(connection, next_poll_at=None)
        return PollOutcome("skipped", error=str(exc))
    cursor = connection.poll_cursor or None
    known = known_external_ids(account, now=now)
    try:
        config = _config(connection, account, connector=connector)
        if config is None:
            _release(connection, next_poll_at=now + poll_interval(connection))
            return PollOutcome("skipped", error="token cannot be decrypted")
        try:
            result = connector.poll(config, cursor, known_external_ids=known)
        except TokenExpired:
            if account.platform not in SESSION_PLATFORMS:
                raise
            # The session lapsed (about every 2 h): log in again once with the app password.
            config = _config(connection, account, connector=connector, fresh_session=True)
            assert config is not None
            result = connector.poll(config, cursor, known_external_ids=known)
        for incoming in result.items:
            check_incoming(incoming)  # an over-long platform id fails the poll, not the database
    except TokenExpired as exc:
        with transaction.atomic():
            _alert_raise(connection, AlertState.EXPIRED, _token_message(exc), now=now)
            _failed(connection, now=now, error=_token_message(exc), retry_at=None)
        return PollOutcome("token_expired", error=str(exc))
    except RateLimited as exc:
        wait = (
            datetime.timedelta(seconds=exc.retry_after)
            if exc.retry_after and exc.retry_after > 0
            else RATE_LIMIT_DEFAULT
        )
        message = _("Plattformen begränsar antalet anrop; nytt försök %(when)s.") % {
            "when": timezone.localtime(now + wait).strftime("%H:%M")
        }
        with transaction.atomic():
            _failed(connection, now=now, error=message, retry_at=now + wait, count=False)
        return PollOutcome("rate_limited", error=message)
    except (ConnectorError, PayloadError, ActionNotSupported) as exc:
        backoff = min(MAX_BACKOFF, poll_interval(connection) * 2 ** min(connection.failures, 10))
        with transaction.atomic():
            _failed(connection, now=now, error=str(exc)[:500], retry_at=now + backoff)
        return PollOutcome("failed", error=str(exc))
    finally:
        if own and connector is not None:
            connector.close()
    return _store_poll(
        connection, cursor, result.items, result.deleted_external_ids, result.next_cursor, now=now
    )


def _store_poll(
    connection: AccountConnection,
    cursor: str | None,
    items: list[IncomingItem],
    deleted_ids: Collection[str],
    next_cursor: str | None,
    *,
    now: datetime.datetime,
) -> PollOutcome:
    account = connection.account
    new = edited = deleted = known = 0
    with transaction.atomic():
        delivery = None
        if items or deleted_ids:
            delivery = delivery_store(
                organisation=account.organisation,
                platform=account.platform,
                source=DeliverySource.POLL,
                body=_poll_body(account, cursor, next_cursor, items, deleted_ids, now=now),
                content_type="application/json",
            ).delivery
        for incoming in items:
            result = item_ingest(account=account, incoming=incoming, delivery=delivery)
            if result.created:
                new += 1
            elif result.version is not None:
                if result.version.deleted:
                    deleted += 1
                else:
                    edited += 1
            else:
                known += 1
        for external_id in deleted_ids:
            item = Item.objects.filter(account=account, external_id=external_id).first()
            if item is None:
                continue
            gone = item_ingest(
                account=account, incoming=_deletion(item, now=now), delivery=delivery
            )
            if gone.version is not None:
                deleted += 1
        _check_expiry(connection, now=now)
        AccountConnection.objects.filter(pk=connection.pk).update(
            poll_cursor=(next_cursor or cursor or "")[:500],
            last_polled_at=now,
            next_poll_at=now + poll_interval(connection),
            claimed_until=None,
            failures=0,
            last_error="",
            last_error_at=None,
            updated_at=now,
        )
    return PollOutcome("polled", new=new, edited=edited, deleted=deleted, known=known)


def _poll_body(
    account: Account,
    cursor: str | None,
    next_cursor: str | None,
    items: list[IncomingItem],
    deleted_ids: Collection[str],
    *,
    now: datetime.datetime,
) -> bytes:
    """The poll as one JSON document: what was asked, and each item's raw JSON as returned."""
    head = json.dumps(
        {
            "account_external_id": account.external_id,
            "since_cursor": cursor,
            "next_cursor": next_cursor,
            "polled_at": now.isoformat(),
            "deleted_external_ids": sorted(deleted_ids),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    parts = []
    for incoming in items:
        try:
            json.loads(incoming.raw)
            parts.append(incoming.raw)
        except ValueError:
            parts.append(json.dumps({"raw_hex": incoming.raw.hex()}).encode())
    return b'{"poll":' + head + b',"items":[' + b",".join(parts) + b"]}"


def _deletion(item: Item, *, now: datetime.datetime) -> IncomingItem:
    raw = json.dumps(
        {"external_id": item.external_id, "missing_on_platform_at": now.isoformat()},
        separators=(",", ":"),
    ).encode()
    return IncomingItem(
        platform=item.platform,
        external_id=item.external_id,
        kind=ItemKind(item.kind),
        created_at=item.created_at,
        raw=raw,
        deleted=True,
    )


def _failed(
    connection: AccountConnection,
    *,
    now: datetime.datetime,
    error: str,
    retry_at: datetime.datetime | None,
    count: bool = True,
) -> None:
    AccountConnection.objects.filter(pk=connection.pk).update(
        last_error=error[:500],
        last_error_at=now,
        failures=connection.failures + 1 if count else connection.failures,
        next_poll_at=retry_at,
        claimed_until=None,
        updated_at=now,
    )


def _release(connection: AccountConnection, *, next_poll_at: datetime.datetime | None) -> None:
    AccountConnection.objects.filter(pk=connection.pk).update(
        claimed_until=None, next_poll_at=next_poll_at
    )
