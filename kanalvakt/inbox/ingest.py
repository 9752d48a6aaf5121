"""From stored bytes to items, in batches, in the worker (INB-1, issue 12.1).

Before the platform gets its 200 only what must happen happens: the delivery's
exact bytes are stored with their SHA-256 and a `DeliveryIngest` row that says
they still have to be read, in one transaction, with the task that reads them
(`delivery_accept`). The worker then cuts the delivery into items batch by
batch (`delivery_ingest`): each batch is one transaction that stores the new
items (each with its own JSON fragment as raw copy), one chained audit event
carrying a hash over the batch's items, a pending processing row per item,
and the delivery's new position; processing (screening, intent, clock,
routing) is queued as one task per batch. A worker killed at any point leaves
the last batch unstored and the position before it, and the sweep hands the
delivery to a worker again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.tasks import Task
from django.utils import timezone

from kanalvakt.connectors.base import ConnectorProblem, IncomingItem, PayloadError
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.registry import connector_for
from kanalvakt.inbox import accept
from kanalvakt.inbox.batches import items_store as items_store
from kanalvakt.inbox.models import (
    Delivery,
    DeliveryIngest,
    DeliverySource,
)
from kanalvakt.inbox.services import KEPT_HEADERS, DeliveryResult
from kanalvakt.lib import safejson
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)

BATCH = 500


def max_items_per_delivery() -> int:
    """Items cut out of one delivery at most (KANALVAKT_MAX_ITEMS_PER_DELIVERY)."""
    return int(getattr(settings, "INBOX_MAX_ITEMS_PER_DELIVERY", 10_000))


def delivery_accept(
    *,
    organisation_id: int,
    platform: str,
    source: DeliverySource,
    body: bytes,
    content_type: str = "",
    headers: Mapping[str, str] | None = None,
) -> DeliveryResult:
    """Store a delivery's exact bytes and queue their reading (`delivery_receive`), and
    return the delivery, new or as stored before."""
    delivery_id = delivery_receive(
        organisation_id=organisation_id,
        platform=platform,
        source=source,
        body=body,
        content_type=content_type,
        headers=headers,
    )
    if delivery_id is None:
        key = {"organisation_id": organisation_id, "platform": platform}
        stored = Delivery.objects.get(**key, sha256=hashlib.sha256(body).hexdigest())
        return DeliveryResult(stored, created=False)
    return DeliveryResult(Delivery.objects.get(pk=delivery_id), created=True)


def delivery_receive(
    *,
    organisation_id: int,
    platform: str,
    source: DeliverySource,
    body: bytes,
    content_type: str = "",
    headers: Mapping[str, str] | None = None,
    guard: accept.Guard | None = None,
) -> int | None:
    """Store a delivery's exact bytes and queue their reading: all a webhook does before 200.

    Returns the new delivery's id, or None when the same bytes were stored
    before (recognised by the unique constraint in the same INSERT, so
    nothing is written for a repeat and a new delivery costs no look-up).
    The delivery, its `DeliveryIngest` row and the task row are written in
    one transaction (`kanalvakt.inbox.accept`: one statement on PostgreSQL),
    so a delivery is never stored without being queued, nor queued without
    being stored. With `guard` (the credentials the webhook verified with),
    PostgreSQL writes only if they are unchanged (`accept.CredentialsChanged`
    otherwise); on SQLite the webhook reads them in the same request anyway.
    """
    from kanalvakt.inbox.tasks import delivery_ingest_task

    now = timezone.now()
    kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in KEPT_HEADERS}
    values = accept.delivery_values(
        organisation_id=organisation_id,
        platform=platform,
        source=source,
        received_at=now,
        body=body,
        content_type=content_type,
        headers=kept,
    )
    statements = accept.prepared(delivery_ingest_task)
    if not _on_database_backend(delivery_ingest_task):
        # Another task backend (the tests' immediate one): the rows here, the task there.
        with _writer(), transaction.atomic():
            with connection.cursor() as cursor:
                if guard is not None:
                    accept.guard_check(cursor, guard)
                cursor.execute(statements.delivery_sql, values)
                row = cursor.fetchone()
                if row is None:
                    return None
                cursor.execute(statements.ingest_sql, [row[0], *statements.ingest_values])
            _enqueue_ingest(int(row[0]))
            return int(row[0])
    if connection.vendor == "postgresql":
        return accept.insert_all(statements, delivery_ingest_task, values, now, guard)
    with _writer(), transaction.atomic():
        return accept.insert_all(statements, delivery_ingest_task, values, now)


UNIQUE_DELIVERY = accept.UNIQUE_DELIVERY


def _on_database_backend(task: Task[Any, Any]) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


_SQLITE_WRITER = threading.Lock()


@contextlib.contextmanager
def _writer() -> Iterator[None]:
    """On SQLite, this process's writers queue on a lock that wakes the next one at once.

    SQLite lets one writer in at a time; the others poll with growing sleeps
    (up to 100 ms each), which is what made the slowest webhook answers slow.
    Between processes the busy timeout still applies. Re-entrant use (a
    writer inside a writer's transaction) does not take the lock again.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _SQLITE_WRITER:
        yield


def _enqueue_ingest(delivery_id: int) -> None:
    from kanalvakt.inbox.tasks import delivery_ingest_task

    delivery_ingest_task.enqueue(delivery_id)


def retry_when_locked[T](
    work: Callable[[], T], *, attempts: int = 8, first_wait: float = 0.05
) -> T:
    """Run `work` again with back-off while the database says it is locked or busy.

    SQLite answers "database is locked" when another writer holds the lock
    past the busy timeout; PostgreSQL may report a deadlock or a serialisation
    failure. Each try is a whole transaction, so trying again is safe.
    """
    wait = first_wait
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            message = str(error).lower()
            transient = any(
                word in message for word in ("locked", "busy", "deadlock", "could not serialize")
            )
            if not transient or attempt == attempts:
                raise
            logger.warning("Database busy (%s); trying again in %.2f s", error, wait)
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class IngestProgress:
    delivery_id: int
    stored: int
    position: int
    done: bool


def delivery_ingest(*, delivery_id: int, batch_size: int = BATCH) -> IngestProgress:
    """Cut a stored delivery into items, batch by batch, from where the last worker stopped.

    The delivery's ingest row is claimed FOR UPDATE SKIP LOCKED for each
    batch, so two workers never read the same batch; a delivery another worker
    holds is left to it.
    """
    delivery = Delivery.objects.select_related("organisation").get(pk=delivery_id)
    incoming, problem = _read(delivery.platform, bytes(delivery.body))
    incoming, refused = _within_limits(incoming)
    problem = problem or refused
    accounts = _accounts(delivery.organisation, delivery.platform)
    limit = max_items_per_delivery()
    stored = 0
    while True:

        def one_batch() -> tuple[int, int, bool] | None:
            with transaction.atomic():
                state = (
                    DeliveryIngest.objects.select_for_update(skip_locked=True)
                    .filter(delivery_id=delivery_id, done_at__isnull=True)
                    .first()
                )
                if state is None:
                    return None
                end = min(len(incoming), limit)
                batch = incoming[state.position : min(state.position + batch_size, end)]
                created = items_store(delivery=delivery, accounts=accounts, incoming=batch)
                state.position += len(batch)
                state.total = len(incoming)
                state.attempts += 1
                if state.position >= end:
                    state.done_at = timezone.now()
                    state.error = problem or _over_limit(len(incoming), limit)
                state.save()
                if state.error:
                    logger.warning("Delivery %s: %s", delivery_id, state.error)
                if created:
                    transaction.on_commit(lambda: _enqueue_batch(created))
                return len(created), state.position, state.done_at is not None

        step = retry_when_locked(one_batch)
        if step is None:
            state = DeliveryIngest.objects.filter(delivery_id=delivery_id).first()
            position = state.position if state else 0
            return IngestProgress(delivery_id, stored, position, done=True)
        stored += step[0]
        if step[2]:
            return IngestProgress(delivery_id, stored, step[1], done=True)


def _read(platform: str, body: bytes) -> tuple[list[IncomingItem], str]:
    """The delivery's items, or none and why: the webhook stores what the platform signed
    without parsing it, so malformed JSON and JSON nested deeper than 64 levels are
    found here, and the delivery is marked with the reason (its bytes stay stored)."""
    try:
        depth = safejson.nesting_depth(body)
        if depth > safejson.MAX_DEPTH:
            raise safejson.TooDeep(
                f"JSON nested {depth} levels deep; at most {safejson.MAX_DEPTH} are accepted"
            )
        return connector_for(platform).parse_webhook(body), ""
    except (ConnectorProblem, ValueError, RecursionError) as error:
        return [], f"Oväntat innehåll: {error}"[:500]


def _within_limits(incoming: Sequence[IncomingItem]) -> tuple[list[IncomingItem], str]:
    """The items whose platform ids fit, and why any others were left out (they stay in the
    delivery's exact bytes)."""
    kept, problems = [], []
    for item in incoming:
        try:
            kept.append(check_incoming(item))
        except PayloadError as error:
            problems.append(f"Oväntat innehåll: {error}")
    if not problems:
        return kept, ""
    return kept, f"{problems[0]} ({len(problems)} av {len(incoming)} lästes inte in)"[:500]


def _over_limit(count: int, limit: int) -> str:
    if count <= limit:
        return ""
    return (
        f"Leveransen innehöll {count} meddelanden; de första {limit} lästes in. "
        "Hela leveransen är sparad."
    )


def _accounts(organisation: Organisation, platform: str) -> dict[str, Account]:
    return {
        account.external_id: account
        for account in Account.objects.filter(organisation=organisation, platform=platform)
        .exclude(external_id="")
        .select_related("organisation")
    }


def _enqueue_batch(item_ids: list[int]) -> None:
    processing_enqueue(item_ids)


def processing_enqueue(item_ids: Sequence[int], *, size: int = BATCH) -> None:
    """Queue the processing of new items: one task per batch of `size`, not one per item."""
    from kanalvakt.inbox.tasks import items_process_batch

    ids = list(item_ids)
    for start in range(0, len(ids), size):
        items_process_batch.enqueue(ids[start : start + size])
