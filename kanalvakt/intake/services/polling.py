"""Polling: a periodic job claims every due connection with a conditional UPDATE
(`claimed_until`) and enqueues one poll task per claimed row on commit, so
several workers never poll the same account at once. The poll calls the
platform outside any transaction, then stores the response as a Delivery,
each item through `item_ingest` and the new cursor in one transaction.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.connectors.base import (
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    PayloadError,
)
from kanalvakt.connectors.http import ConnectorError, RateLimited, TokenExpired
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.registry import UnknownPlatform, connector_for
from kanalvakt.inbox.models import DeliverySource, Item, ItemVersion
from kanalvakt.inbox.services import delivery_store, item_ingest
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services.alerts import (
    connection_alert_raise,
    connection_check_expiry,
    token_message,
)
from kanalvakt.intake.services.configs import (
    SESSION_PLATFORMS,
    connection_config,
)
from kanalvakt.intake.services.timing import (
    CLAIM_LEASE,
    MAX_BACKOFF,
    POLLED_STATUSES,
    RATE_LIMIT_DEFAULT,
    RECHECK_LIMITS,
    RECHECK_ONE_BY_ONE,
    poll_interval,
    polling_platforms,
    recheck_window,
)
from kanalvakt.register.models import Account

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
        config = connection_config(connection, account, connector=connector)
        if config is None:
            _release(connection, next_poll_at=now + poll_interval(connection))
            return PollOutcome("skipped", error="token cannot be decrypted")
        try:
            result = connector.poll(config, cursor, known_external_ids=known)
        except TokenExpired:
            if account.platform not in SESSION_PLATFORMS:
                raise
            # The session lapsed (about every 2 h): log in again once with the app password.
            config = connection_config(connection, account, connector=connector, fresh_session=True)
            assert config is not None
            result = connector.poll(config, cursor, known_external_ids=known)
        for incoming in result.items:
            check_incoming(incoming)  # an over-long platform id fails the poll, not the database
    except TokenExpired as exc:
        with transaction.atomic():
            connection_alert_raise(connection, AlertState.EXPIRED, token_message(exc), now=now)
            _failed(connection, now=now, error=token_message(exc), retry_at=None)
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
        connection_check_expiry(connection, now=now)
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
