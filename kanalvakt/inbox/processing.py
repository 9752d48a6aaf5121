"""Processing received items exactly once, however often they are enqueued.

The items' processing rows are claimed and finished in one transaction: a
worker killed half-way leaves nothing behind, and the sweep enqueues the
items again. A second run finds the rows finished and does nothing.

Steps work on the whole batch (bulk reads and writes, one audit event per
step and organisation), and the batch's audit events are appended to the
chain at the end of the transaction (`audit_deferred`), so the single
chain-head lock is held only for that and the commit (issue 12).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, models, transaction
from django.db.models import F
from django.utils import timezone

from kanalvakt.audit.services import audit_deferred
from kanalvakt.inbox.bulk import AnyOf
from kanalvakt.inbox.models import Delivery, Item, ItemProcessing, ItemVersion
from kanalvakt.inbox.services.common import LOADED_VERSIONS
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)


def item_process_once(*, item_id: int) -> bool:
    """Process the item unless already done. Returns True when this call did the work."""
    with transaction.atomic(), audit_deferred():
        (item,) = _load([item_id])
        processing, _ = ItemProcessing.objects.get_or_create(item=item)
        processing = ItemProcessing.objects.select_for_update().get(pk=processing.pk)
        if processing.processed_at is not None:
            return False
        for step in sorted(PROCESSING_STEPS):
            step.apply([item])
        processing.processed_at = timezone.now()
        processing.attempts += 1
        processing.save(update_fields=["processed_at", "attempts"])
        return True


def items_process(*, item_ids: Sequence[int]) -> int:
    """Process a batch of items; returns how many this call processed.

    One transaction for the batch on PostgreSQL, chunks of SQLITE_CHUNK on SQLite.
    Before them, outside any transaction, the pending items are read and the steps
    prepare what needs no writing (screening, intent, clocks, routing, the
    registration decision: `ProcessingStep.prepare`). On SQLite, whose every
    transaction holds the one write lock from its start, a second worker
    computes its batch while the first writes.

    In the transaction, the batch's pending processing rows are claimed FOR
    UPDATE SKIP LOCKED on PostgreSQL (SQLite has one writer at a time), so
    several workers given overlapping batches process each item once; an item
    whose versions changed since it was read is read again and worked in the
    transaction. When one item's processing fails, the batch is rolled back and
    its items are processed one by one, so the others still go through.
    """
    try:
        done = 0
        for chunk in _chunks(_prepared(item_ids)):
            with transaction.atomic():
                done += _process_claimed(chunk)
        return done
    except OperationalError:
        raise  # a locked database: the caller tries the batch again later
    except Exception:
        logger.exception("Batch of %d items failed; processing them one by one", len(item_ids))
    done = 0
    for item_id in item_ids:
        try:
            done += item_process_once(item_id=item_id)
        except OperationalError:
            raise
        except Exception:
            logger.exception("Processing item %s failed; the sweep tries again", item_id)
    return done


SQLITE_CHUNK = 500
"""Items per processing transaction on SQLite, whose single write lock every other
writer (webhooks, other workers) waits for. The transaction only writes what
was prepared before it (a task of 500 items holds the lock for about a tenth
of a second), and each transaction costs the same again in fixed work
(statements, the audit chain, FTS5 segments): 100 items per transaction made
the written part of processing 1.8 times as long as 500 (issue 12).
PostgreSQL locks rows, so there the whole batch is one transaction."""


def _chunks(items: list[Item]) -> list[list[Item]]:
    from django.db import connection

    size = SQLITE_CHUNK if connection.vendor == "sqlite" else max(1, len(items))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _prepared(item_ids: Sequence[int]) -> list[Item]:
    """The batch's pending items, read and prepared by every step (no writes)."""
    pending = (
        ItemProcessing.objects.filter(AnyOf(F("item_id"), list(item_ids)))
        .filter(processed_at__isnull=True)
        .order_by("item_id")
        .values_list("item_id", flat=True)
    )
    items = _load(list(pending))
    for step in sorted(PROCESSING_STEPS):
        if step.prepare is not None and items:
            step.prepare(items)
    return items


def _process_claimed(items: Sequence[Item]) -> int:
    rows = list(
        ItemProcessing.objects.select_for_update(skip_locked=True)
        .filter(AnyOf(F("item_id"), [item.pk for item in items]), processed_at__isnull=True)
        .order_by("item_id")
        .values_list("pk", "item_id")
    )
    if not rows:
        return 0
    claimed = {item_id for _pk, item_id in rows}
    items = _current([item for item in items if item.pk in claimed])
    with audit_deferred():
        for step in sorted(PROCESSING_STEPS):
            step.apply(items)
        ItemProcessing.objects.filter(AnyOf(F("pk"), [pk for pk, _item_id in rows])).update(
            processed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return len(rows)


def _current(items: list[Item]) -> list[Item]:
    """The items, those whose versions changed since they were read (an edit received
    meanwhile) read again, without what the steps prepared for them."""
    found: dict[int, list[int]] = {}
    versions = ItemVersion.objects.filter(AnyOf(F("item_id"), [item.pk for item in items]))
    for item_id, pk in versions.order_by("recorded_at", "pk").values_list("item_id", "pk"):
        found.setdefault(item_id, []).append(pk)
    stale = [
        item.pk
        for item in items
        if [version.pk for version in getattr(item, LOADED_VERSIONS)] != found.get(item.pk, [])
    ]
    if not stale:
        return items
    again = {item.pk: item for item in _load(stale)}
    return [again.get(item.pk, item) for item in items]


def _load(item_ids: Sequence[int]) -> list[Item]:
    """The items with what the steps read, in four queries whatever the batch's size: the
    items (without their raw bytes), their versions, and the accounts, organisations
    and deliveries they share, each read once and set on every item that has it
    (a delivery without its body: a big delivery's bytes would otherwise be read
    once per item). Joining those to every item row, and Django's per-item
    prefetch querysets, cost more than the rest of loading (issue 12)."""
    found_items = Item.objects.defer("raw").filter(AnyOf(F("pk"), list(item_ids)))
    items = {item.pk: item for item in found_items}
    versions: dict[int, list[ItemVersion]] = {pk: [] for pk in items}
    found = ItemVersion.objects.defer("raw").filter(AnyOf(F("item_id"), list(items)))
    for version in found.order_by("recorded_at", "pk"):
        versions[version.item_id].append(version)
    shared = _shared(items.values())
    for item in items.values():
        for relation, by_pk in shared:
            relation.set_cached_value(item, by_pk.get(getattr(item, relation.attname)))
        setattr(item, LOADED_VERSIONS, versions[item.pk])
    return [items[pk] for pk in item_ids]


def _shared(
    items: Iterable[Item],
) -> list[tuple[models.ForeignKey[Any, Any], Mapping[Any, models.Model]]]:
    """The accounts, organisations and deliveries of the items, each read once."""
    items = list(items)
    loaded: list[tuple[models.ForeignKey[Any, Any], Mapping[Any, models.Model]]] = []
    for name, manager in (
        ("account", Account.objects.all()),
        ("organisation", Organisation.objects.all()),
        ("delivery", Delivery.objects.defer("body", "headers")),
    ):
        relation = Item._meta.get_field(name)
        assert isinstance(relation, models.ForeignKey)
        wanted = {getattr(item, relation.attname) for item in items} - {None}
        by_pk = {row.pk: row for row in manager.filter(AnyOf(F("pk"), list(wanted)))}
        loaded.append((relation, by_pk))
    return loaded


def unprocessed_item_ids(*, older_than_seconds: int = 60, limit: int = 1000) -> list[int]:
    """Items received a while ago and not processed: the sweep enqueues them again."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Item.objects.filter(received_at__lt=cutoff)
        .exclude(processing__processed_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


@dataclass(frozen=True, order=True)
class ProcessingStep:
    """One app's part of processing an item, run inside the processing transaction.

    Conventional orders: 100 screening (moderation), 200 intent and 300 clock
    and routing (inbox), 400 registration rules (records), 500 escalations.
    A step must be safe to run again after a rollback (it only writes through
    services inside the same transaction).

    `prepare`, when given, runs on the batch before the transaction and must not
    write: it leaves on each item what the step would otherwise compute inside
    the transaction (an unsaved row, say), and the step uses it when present.
    The step must still work on an item without it (the one-by-one path, an item
    read again).
    """

    order: int
    name: str
    run: Callable[[Item], None] = field(compare=False)
    run_many: Callable[[Sequence[Item]], None] | None = field(compare=False, default=None)
    prepare: Callable[[Sequence[Item]], None] | None = field(compare=False, default=None)

    def apply(self, items: Sequence[Item]) -> None:
        if self.run_many is not None:
            self.run_many(items)
            return
        for item in items:
            self.run(item)


PROCESSING_STEPS: list[ProcessingStep] = []


def processing_step(
    order: int, name: str
) -> Callable[[Callable[[Item], None]], Callable[[Item], None]]:
    """Register a function as a processing step (call from `AppConfig.ready`)."""

    def register(function: Callable[[Item], None]) -> Callable[[Item], None]:
        if all(step.name != name for step in PROCESSING_STEPS):
            PROCESSING_STEPS.append(ProcessingStep(order, name, function))
        return function

    return register


def processing_batch_step(
    order: int, name: str, *, prepare: Callable[[Sequence[Item]], None] | None = None
) -> Callable[[Callable[[Sequence[Item]], None]], Callable[[Sequence[Item]], None]]:
    """Register a function that does its step for a whole batch of items at once, and
    optionally what it can prepare before the transaction (see `ProcessingStep`)."""

    def register(function: Callable[[Sequence[Item]], None]) -> Callable[[Sequence[Item]], None]:
        if all(step.name != name for step in PROCESSING_STEPS):
            PROCESSING_STEPS.append(
                ProcessingStep(order, name, lambda item: function([item]), function, prepare)
            )
        return function

    return register
