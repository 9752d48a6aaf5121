"""An import batch's items stored in a few statements (issue 12.2).

What `inbox.batches.items_store_counted` does for a webhook batch, shaped for
large imports of one account: one query finds the batch's known items (and
whether they changed since), new items get their ids from the database up
front (a sequence on PostgreSQL, the table's high-water mark on SQLite, whose
single writer holds the lock), so the rows, their pending processing rows and
the batch's one chained `items.received` audit event (with `batch_digest`
over the items, as `items_received_verify` expects) are written without
reading anything back: `COPY` on PostgreSQL, `executemany` on SQLite. Values
are prepared for the database once per row, not through a field adapter per
column. Edits and deletions of known items, and an id repeated within the
batch, go through `item_ingest` one by one, as in the webhook path.

The rows, the receipts and the audit event's JSON (encoded once) of a batch
whose items are all new can be prepared ahead (`batch_prepare`, no database
work: PostgreSQL's ids are taken from the sequence first), so an importer
builds the next batch while the database writes this one (`importing`).

Runs inside the caller's transaction; a unique-constraint conflict with a
concurrent writer rolls back to a savepoint and stores the batch item by
item (idempotently).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kanalvakt.audit.services import EncodedData, audit_data_encode, audit_record
from kanalvakt.connectors.base import IncomingItem
from kanalvakt.inbox import batches
from kanalvakt.inbox.batches import Stored, batch_digest, item_row
from kanalvakt.inbox.bulk import sequence_ids
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Delivery, Item, ItemProcessing, ItemVersion
from kanalvakt.inbox.services import item_ingest
from kanalvakt.intake.copying import rows_write
from kanalvakt.records.seals import VERSION_FIELDS, version_fields_digest
from kanalvakt.register.models import Account

ITEM_COLUMNS = (*batches.ITEM_COLUMNS, "id")
"""Every column of `inbox.Item`: `inbox.batches.item_row`'s and the id, in the order `_rows`
writes them (a test checks them against the model)."""
SEALED = batches.ITEM_COLUMNS[:19]
"""The columns of `records.seals.ITEM_FIELDS` that `item_row` gives first, in its order
(then the raw bytes and their SHA-256)."""


@dataclass(frozen=True)
class Prepared:
    """A batch of new items ready to write: their ids, rows and the batch's audit event.

    Made by `batch_prepare` for the batch as if every item were new; used when the
    batch turns out so (the same first occurrences of each id) under the same delivery.
    """

    delivery_id: int
    now: datetime
    """When the items were received (each row's `received_at`)."""
    external_ids: list[str]
    ids: list[int]
    rows: list[tuple[Any, ...]]
    data: dict[str, Any]
    encoded: EncodedData | None
    """The audit event's data with its JSON; None when an item arrived deleted (its
    version's seal is added when the version is written)."""


def import_batch_store(
    *,
    delivery: Delivery,
    account: Account,
    items: Sequence[IncomingItem],
    shas: Sequence[str],
    expect_new: bool = False,
    prepared: Prepared | None = None,
) -> Stored:
    """Store an import batch for `account`; `shas[i]` is the SHA-256 of `items[i].raw`.

    With `expect_new` (the previous batch held no known item) the new rows are written
    without looking the batch's ids up first: the unique constraint on (account,
    external_id) answers instead, and if one of them is stored already the attempt
    is rolled back to a savepoint and the batch takes the path that looks them up.
    `prepared` (`batch_prepare` of these items for this delivery) is written as it is
    when the batch's items are all new; otherwise it is left aside.
    """
    if prepared is not None and prepared.delivery_id != delivery.pk:
        prepared = None
    if expect_new:
        try:
            with transaction.atomic():
                return _store(
                    delivery, account, items, shas, {}, fall_back=False, prepared=prepared
                )
        except IntegrityError:
            pass  # an id is stored already: look the batch up, as below
    known = known_items(account, [item.external_id for item in items])
    return _store(delivery, account, items, shas, known, fall_back=True, prepared=prepared)


def _store(
    delivery: Delivery,
    account: Account,
    items: Sequence[IncomingItem],
    shas: Sequence[str],
    known: dict[str, str | None],
    *,
    fall_back: bool,
    prepared: Prepared | None = None,
) -> Stored:
    fresh: dict[str, tuple[IncomingItem, str]] = {}
    later: list[IncomingItem] = []
    stored = Stored()
    for item, sha in zip(items, shas, strict=True):
        prior = known.get(item.external_id)
        if prior is None:
            if item.external_id in fresh:
                later.append(item)
            else:
                fresh[item.external_id] = (item, sha)
        elif prior == item.text and not item.deleted:
            stored.known += 1  # what item_ingest would conclude, without a query
        else:
            later.append(item)
    if fresh:
        stored.created = _create(
            delivery, account, list(fresh.values()), fall_back=fall_back, prepared=prepared
        )
    for item in later:
        result = item_ingest(account=account, incoming=item, delivery=delivery)
        if result.created:
            stored.created.append(result.item.pk)
        elif result.version is not None and result.version.deleted:
            stored.deleted += 1
        elif result.version is not None:
            stored.edited += 1
        else:
            stored.known += 1
    return stored


def known_items(account: Account, external_ids: list[str]) -> dict[str, str | None]:
    """Stored items among `external_ids`: their text, or None when a later version exists
    (then `item_ingest` decides)."""
    wanted = list(dict.fromkeys(external_ids))
    table = connection.ops.quote_name(Item._meta.db_table)
    select = f"SELECT id, external_id, text FROM {table} WHERE account_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        # Plain SQL: building a 2,000-value IN lookup through the ORM costs more than running
        # it; on PostgreSQL the ids go as one array parameter.
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} AND external_id = ANY(%s)", [account.pk, wanted])
        else:
            marks = ", ".join(["%s"] * len(wanted))
            cursor.execute(f"{select} AND external_id IN ({marks})", [account.pk, *wanted])
        by_pk = {pk: (external_id, text) for pk, external_id, text in cursor.fetchall()}
    if not by_pk:
        return {}
    changed = set(
        ItemVersion.objects.filter(item_id__in=list(by_pk)).values_list("item_id", flat=True)
    )
    return {
        external_id: None if pk in changed else text for pk, (external_id, text) in by_pk.items()
    }


def _create(
    delivery: Delivery,
    account: Account,
    fresh: list[tuple[IncomingItem, str]],
    *,
    fall_back: bool = True,
    prepared: Prepared | None = None,
) -> list[int]:
    """Write the new items; on a unique conflict store them one by one with `fall_back`,
    else raise IntegrityError (the caller's savepoint then undoes the attempt)."""
    if prepared is None or prepared.external_ids != [item.external_id for item, _ in fresh]:
        sqlite = connection.vendor != "postgresql"
        ids = _new_ids(len(fresh))
        prepared = batch_prepare(account, delivery.pk, fresh, ids, timezone.now(), sqlite=sqlite)
    ids = prepared.ids
    try:
        with transaction.atomic():
            rows_write(Item, ITEM_COLUMNS, prepared.rows)
    except IntegrityError:
        if not fall_back:
            raise
        # Another process stored one of them a moment ago: one by one, idempotently.
        results = [item_ingest(account=account, incoming=i, delivery=delivery) for i, _ in fresh]
        return [result.item.pk for result in results if result.created]
    rows_write(ItemProcessing, ("item_id", "attempts"), [(pk, 0) for pk in ids])
    encoded = prepared.encoded
    if encoded is None:
        _versions_of_deleted(delivery, fresh, prepared)
        encoded = audit_data_encode(prepared.data)
    audit_record(
        actor=None,
        organisation=delivery.organisation,
        event_type=InboxEvent.ITEMS_RECEIVED,
        target=delivery,
        encoded=encoded,  # ids, hex digests and the platform's name, encoded once
    )
    return ids


def _versions_of_deleted(
    delivery: Delivery, fresh: list[tuple[IncomingItem, str]], prepared: Prepared
) -> None:
    """Items that arrived deleted have a version already: write it, and its seal in the
    batch's receipts (afresh: a transaction retried after a lock left those of its
    first attempt in them)."""
    receipts = prepared.data["receipts"]
    deleted = []
    for pk, (item, sha) in zip(prepared.ids, fresh, strict=True):
        if item.deleted:
            deleted.append(pk)
            receipts[str(pk)]["seal"]["versions"] = {}
            ItemVersion(
                item_id=pk,
                delivery=delivery,
                text=item.text,
                edited_at=item.edited_at,
                deleted=True,
                recorded_at=prepared.now,
                raw=item.raw,
                raw_sha256=sha,
            ).save()
    versions = ItemVersion.objects.filter(item_id__in=deleted).values("pk", *VERSION_FIELDS)
    for version in versions:
        receipts[str(version["item_id"])]["seal"]["versions"][str(version["pk"])] = (
            version_fields_digest(version)
        )


def batch_prepare(
    account: Account,
    delivery_id: int,
    fresh: Sequence[tuple[IncomingItem, str]],
    ids: Sequence[int],
    now: datetime,
    *,
    sqlite: bool,
) -> Prepared:
    """The rows of `fresh` (new items with their SHA-256, one per platform id) under the
    given ids and delivery, and the batch's `items.received` event: its ids, the hash over
    the batch (`batch_digest`) and each item's receipt, encoded. No database work: an
    importer prepares the next batch while the database writes this one."""
    ids = list(ids[: len(fresh)])
    received = now.astimezone(UTC).isoformat()
    values = [item_row(account, item, delivery_id, now, sha) for item, sha in fresh]
    receipts: dict[str, dict[str, Any]] = {}
    for pk, row in zip(ids, values, strict=True):
        receipts[str(pk)] = {"sha256": row[20], "seal": _seal(row, received)}
    data = {
        "delivery": delivery_id,
        "platform": account.platform,
        "count": len(ids),
        "items": ids,
        "sha256": batch_digest(
            [(pk, item.external_id, sha) for pk, (item, sha) in zip(ids, fresh, strict=True)]
        ),
        "receipts": receipts,
    }
    deleted = any(item.deleted for item, _ in fresh)
    return Prepared(
        delivery_id=delivery_id,
        now=now,
        external_ids=[item.external_id for item, _ in fresh],
        ids=ids,
        rows=_rows(values, ids, now, sqlite=sqlite),
        data=data,
        encoded=None if deleted else audit_data_encode(data),
    )


def _seal(row: tuple[Any, ...], received: str) -> dict[str, Any]:
    """What `records.seals.receipts_for` would say about the item of `row` (an `item_row`),
    from the values written instead of reading them back: the seal over its fields
    (`records.seals.ITEM_FIELDS`), so `verify_records` checks imported items like any other."""
    fields = dict(zip(SEALED, row, strict=False))
    fields["created_at"] = row[17].astimezone(UTC).isoformat()
    fields["received_at"] = received
    fields["raw_sha256"] = row[20]
    return {"fields": fields_digest(fields), "versions": {}}


def fields_digest(values: dict[str, Any]) -> str:
    """`audit.seals.fields_digest` through orjson, for values that are already plain (no
    datetimes or bytes): the same canonical JSON, several times faster. A test keeps the
    two equal."""
    return hashlib.sha256(orjson.dumps(values, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _new_ids(count: int) -> list[int]:
    """`count` ids for new items, ascending, that no other writer will use."""
    if connection.vendor == "postgresql":
        return sequence_ids(Item, count)
    with connection.cursor() as cursor:
        # SQLite: one writer at a time, and this transaction has written already (the
        # batch's delivery); AUTOINCREMENT keeps ids of removed rows in sqlite_sequence.
        cursor.execute(
            "SELECT max(coalesce((SELECT max(id) FROM inbox_item), 0),"
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'inbox_item'), 0))"
        )
        (high,) = cursor.fetchone()
    return list(range(int(high) + 1, int(high) + 1 + count))


def _rows(
    values: list[tuple[Any, ...]], ids: list[int], now: datetime, *, sqlite: bool
) -> list[tuple[Any, ...]]:
    """The items' rows (`item_row`s) in ITEM_COLUMNS order, as the database takes them:
    on PostgreSQL as they are (COPY's dumpers encode the JSON columns), on SQLite with
    the JSON columns as text and the times as Django's SQLite backend stores them."""
    if not sqlite:
        return [(*row, pk) for row, pk in zip(values, ids, strict=True)]
    received = _sqlite_datetime(now)
    return [
        (
            *row[:15],
            _json_text(row[15]),
            _json_text(row[16]),
            _sqlite_datetime(row[17]),
            received,
            row[19],
            row[20],
            pk,
        )
        for row, pk in zip(values, ids, strict=True)
    ]


def _json_text(value: list[Any] | dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime: naive UTC, ISO with a space."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return str(value.replace(tzinfo=None))
