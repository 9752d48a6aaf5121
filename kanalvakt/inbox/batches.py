"""Storing a batch of incoming items at once, with one chained audit event (issue 12.1, 12.2).

New items are written in one statement (COPY on PostgreSQL, executemany on
SQLite) with a pending processing row each and one `items.received` audit
event that carries a hash over the batch (`batch_digest`), instead of one
chain lock per item; `items_received_verify` checks such an event against
the stored items. Edits and deletions of known items go through the
per-item `item_ingest`. Used by the webhook ingest (`kanalvakt.inbox.ingest`)
and by archive imports.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kanalvakt.audit.seals import receipts_of
from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import IncomingItem
from kanalvakt.inbox import bulk
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Delivery, Item, ItemProcessing, ItemVersion
from kanalvakt.inbox.services import item_ingest
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)


@dataclass
class Stored:
    """What storing a batch did: new item ids, and what known items went through."""

    created: list[int] = field(default_factory=list)
    edited: int = 0
    deleted: int = 0
    known: int = 0


def items_store(
    *,
    delivery: Delivery,
    accounts: Mapping[str, Account],
    incoming: Sequence[IncomingItem],
    account: Account | None = None,
) -> list[int]:
    """Store a batch of incoming items; returns the ids of the new ones. Inside a transaction."""
    return items_store_counted(
        delivery=delivery, accounts=accounts, incoming=incoming, account=account
    ).created


def items_store_counted(
    *,
    delivery: Delivery,
    accounts: Mapping[str, Account],
    incoming: Sequence[IncomingItem],
    account: Account | None = None,
) -> Stored:
    """Store a batch of incoming items and say what happened. Inside a transaction.

    New items are written in one go (COPY / executemany) with one chained
    audit event for the batch; edits and deletions of known items, and an id
    repeated within the batch, go through `item_ingest` one by one.
    Items for an account the organisation has not registered stay in the
    delivery only. `account`, when given, receives every item (imports).
    """
    wanted: list[tuple[Account, IncomingItem]] = []
    for item in incoming:
        target = account or accounts.get(item.account_external_id)
        if target is None:
            logger.warning(
                "Item %s for unknown %s account %s kept in delivery %s only",
                item.external_id,
                delivery.platform,
                item.account_external_id,
                delivery.pk,
            )
            continue
        wanted.append((target, item))
    if not wanted:
        return Stored()
    known = _known(wanted)
    fresh: dict[tuple[int, str], tuple[Account, IncomingItem]] = {}
    later: list[tuple[Account, IncomingItem]] = []
    for target, item in wanted:
        key = (target.pk, item.external_id)
        if key in known or key in fresh:
            later.append((target, item))
        else:
            fresh[key] = (target, item)
    stored = Stored(created=_create(delivery, list(fresh.values())) if fresh else [])
    for target, item in later:
        result = item_ingest(account=target, incoming=item, delivery=delivery)
        if result.created:
            stored.created.append(result.item.pk)
        elif result.version is not None and result.version.deleted:
            stored.deleted += 1
        elif result.version is not None:
            stored.edited += 1
        else:
            stored.known += 1
    return stored


def _known(wanted: Sequence[tuple[Account, IncomingItem]]) -> set[tuple[int, str]]:
    by_account: dict[int, list[str]] = {}
    for target, item in wanted:
        by_account.setdefault(target.pk, []).append(item.external_id)
    known: set[tuple[int, str]] = set()
    for account_id, external_ids in by_account.items():
        known.update(
            Item.objects.filter(account_id=account_id, external_id__in=external_ids).values_list(
                "account_id", "external_id"
            )
        )
    return known


def _same(value: Any) -> Any:
    return value


ITEM_COLUMNS = (
    "organisation_id",
    "account_id",
    "delivery_id",
    "platform",
    "external_id",
    "kind",
    "parent_external_id",
    "thread_id",
    "author_name",
    "author_handle",
    "author_external_id",
    "by_account",
    "text",
    "language_hint",
    "url",
    "attachments",
    "platform_data",
    "created_at",
    "received_at",
    "raw",
    "raw_sha256",
)


def item_row(
    target: Account,
    incoming: IncomingItem,
    delivery_id: int,
    received_at: Any,
    sha256: str,
    *,
    json: Callable[[Any], Any] = _same,
    when: Callable[[datetime], Any] = _same,
) -> tuple[Any, ...]:
    """An item's values in ITEM_COLUMNS order, with the model's truncations (written here
    only: the webhook's batches and `intake.bulkstore`'s imports both take their rows from
    here). `json` prepares the two JSON columns (a list and a dict) and `when` the item's
    time, for a writer that takes them ready; `received_at` goes in as given."""
    return (
        target.organisation_id,
        target.pk,
        delivery_id,
        incoming.platform,
        incoming.external_id,
        str(incoming.kind),
        incoming.parent_external_id or "",
        incoming.thread_id or "",
        incoming.author_name[:300],
        incoming.author_handle[:300],
        incoming.author_external_id[:200],
        incoming.by_account,
        incoming.text,
        (incoming.language or "")[:10],
        incoming.url[:1000],
        json(list(incoming.attachments)),
        json(dict(incoming.platform_data)),
        when(incoming.created_at),
        received_at,
        incoming.raw,
        sha256,
    )


def _create(delivery: Delivery, fresh: list[tuple[Account, IncomingItem]]) -> list[int]:
    now = timezone.now()
    try:
        with transaction.atomic():
            bulk.values_insert(
                Item, ITEM_COLUMNS, [item_row(t, i, delivery.pk, now, i.sha256) for t, i in fresh]
            )
    except IntegrityError:
        # Another process stored one of them a moment ago: one by one, idempotently.
        results = [item_ingest(account=t, incoming=i, delivery=delivery) for t, i in fresh]
        return [result.item.pk for result in results if result.created]
    rows = _ids(fresh)
    ids = [rows[(target.pk, item.external_id)] for target, item in fresh]
    bulk.values_insert(ItemProcessing, ("item_id", "attempts"), [(pk, 0) for pk in ids])
    deleted = [
        (rows[(target.pk, item.external_id)], item) for target, item in fresh if item.deleted
    ]
    for item_id, item in deleted:
        ItemVersion(
            item_id=item_id,
            delivery=delivery,
            text=item.text,
            edited_at=item.edited_at,
            deleted=True,
            recorded_at=now,
            raw=item.raw,
            raw_sha256=item.sha256,
        ).save()
    checksums = [(rows[(t.pk, i.external_id)], i.external_id, i.sha256) for t, i in fresh]
    data: dict[str, object] = {
        "delivery": delivery.pk,
        "platform": delivery.platform,
        "count": len(ids),
        "items": sorted(ids),
        "sha256": batch_digest(checksums),
    }
    receipts = receipts_of("inbox.item", ids)
    if receipts is not None:
        # Each item's checksum and sealed fields, as `verify_records` reads them.
        data["receipts"] = receipts
    audit_record(
        actor=None,
        organisation=delivery.organisation,
        event_type=InboxEvent.ITEMS_RECEIVED,
        target=delivery,
        data=data,
    )
    return ids


def _ids(fresh: Sequence[tuple[Account, IncomingItem]]) -> dict[tuple[int, str], int]:
    by_account: dict[int, list[str]] = {}
    for target, item in fresh:
        by_account.setdefault(target.pk, []).append(item.external_id)
    rows: dict[tuple[int, str], int] = {}
    for account_id, external_ids in by_account.items():
        for pk, external_id in Item.objects.filter(
            account_id=account_id, external_id__in=external_ids
        ).values_list("pk", "external_id"):
            rows[(account_id, external_id)] = pk
    return rows


def batch_digest(checksums: Sequence[tuple[int, str, str]]) -> str:
    """SHA-256 over a batch's items: one `id<TAB>platform id<TAB>raw SHA-256` line each, by id.

    `items_received_verify` recomputes it from the stored items.
    """
    lines = "".join(f"{pk}\t{external_id}\t{sha}\n" for pk, external_id, sha in sorted(checksums))
    return hashlib.sha256(lines.encode()).hexdigest()


def items_received_verify(data: Mapping[str, object]) -> list[str]:
    """Check an `items.received` event against the stored items; returns what does not match.

    Each item's raw bytes are hashed again, so an edited raw copy, an edited
    checksum or a deleted item all show.
    """
    item_ids = [int(pk) for pk in data.get("items", []) or []]  # type: ignore[attr-defined]
    problems = []
    checksums = []
    found = Item.objects.filter(pk__in=item_ids).values_list("pk", "external_id", "raw")
    stored = {pk: (external_id, bytes(raw)) for pk, external_id, raw in found}
    for pk in item_ids:
        if pk not in stored:
            problems.append(f"item {pk} is missing")
            continue
        external_id, raw = stored[pk]
        checksums.append((pk, external_id, hashlib.sha256(raw).hexdigest()))
    if not problems and batch_digest(checksums) != data.get("sha256"):
        problems.append("the items do not match the hash written at receipt")
    return problems
