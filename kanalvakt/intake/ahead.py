"""Building an import's next batch while the database writes this one (PostgreSQL).

An import alternated between Python building a batch (checksums, the
manifest, rows, receipts, the audit event's JSON) and the database server
writing it, each about half of the time (issue 12). On PostgreSQL the ids of
a batch's delivery and items are taken from their sequences before the batch
is built, so a builder thread can prepare batch N+1 (`bulkstore.batch_prepare`,
no database work) while the importing thread writes batch N and waits for
the server. At most `depth` batches are built ahead, so memory stays bounded.
The importing thread alone writes, in its own transactions, as before: a
crash loses at most the batches built ahead, which `--resume` reads again
(their reserved ids stay unused, like those of any rolled-back insert).

On SQLite (one writer, whose ids come from the table inside the write) the
batches are built while being written, as before.
"""

from __future__ import annotations

import hashlib
import sys
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

import orjson
import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kanalvakt.connectors.archives import ArchiveEntry
from kanalvakt.connectors.base import IncomingItem
from kanalvakt.inbox.bulk import sequence_name
from kanalvakt.inbox.models import Delivery, DeliverySource, Item
from kanalvakt.intake.bulkstore import Prepared, batch_prepare
from kanalvakt.intake.models import ImportJob
from kanalvakt.intake.readahead import Batch
from kanalvakt.register.models import Account

SWITCH_SECONDS = 0.001


@dataclass(frozen=True)
class Ahead:
    """A batch built ahead: its items' SHA-256, its manifest and its prepared rows."""

    shas: list[str]
    manifest: bytes
    manifest_sha: str
    prepared: Prepared


def batch_manifest(job: ImportJob, batch: Sequence[ArchiveEntry], shas: Sequence[str]) -> bytes:
    """What a batch delivery holds: the file, the positions and each item's id and SHA-256.

    The items keep their own raw bytes; the manifest ties them to the file.
    """
    return orjson.dumps(
        {
            "import_job": job.pk,
            "file": job.file_name,
            "file_fingerprint": job.file_fingerprint,
            "reader": job.reader,
            "positions": [batch[0].position, batch[-1].position],
            "items": [[e.item.external_id, sha] for e, sha in zip(batch, shas, strict=True)],
        }
    )


def batches_built_ahead(
    batches: Iterator[Batch], *, job: ImportJob, depth: int = 1
) -> Generator[tuple[Batch, Ahead | None]]:
    """`batches`, each with what was built ahead for it (None on SQLite and for an empty
    batch), the next `depth` ones being built by a thread meanwhile."""
    if connection.vendor != "postgresql":
        for batch in batches:
            yield batch, None
        return
    account = job.account
    with (
        lz4_toast(),
        _prompt_switch(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-builder") as builder,
    ):
        pending: deque[tuple[Batch, Future[Ahead] | None]] = deque()
        try:
            for batch in batches:
                future = None
                if batch.entries:
                    delivery_id, ids = reserve(len(batch.entries))
                    future = builder.submit(
                        _build, job, account, batch.entries, delivery_id, ids, timezone.now()
                    )
                pending.append((batch, future))
                if len(pending) > depth:
                    yield _ready(pending.popleft())
            while pending:
                yield _ready(pending.popleft())
        finally:
            for _batch, left in pending:
                if left is not None:
                    left.cancel()


@contextmanager
def _prompt_switch() -> Iterator[None]:
    """The importing thread, back from one of a batch's round trips to the server, waits
    at most 1 ms for the GIL that the builder or reader thread holds, not Python's 5 ms
    (a batch takes about 15 round trips: up to 75 ms of an idle server per batch)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, SWITCH_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@contextmanager
def lz4_toast() -> Iterator[None]:
    """Large values this connection writes (each batch's manifest and audit event, a few
    hundred KB each) compressed with lz4 rather than PostgreSQL's default pglz, which took
    the server twice as long; the values are the same. Left as it is on a server built
    without lz4."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET default_toast_compression = 'lz4'")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET default_toast_compression")


def _ready(pending: tuple[Batch, Future[Ahead] | None]) -> tuple[Batch, Ahead | None]:
    batch, future = pending
    return batch, future.result() if future is not None else None


def reserve(count: int) -> tuple[int, list[int]]:
    """An id for a batch's delivery and `count` for its items, from their sequences."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s::regclass),"
            " ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))",
            [sequence_name(Delivery), sequence_name(Item), count],
        )
        delivery_id, ids = cursor.fetchone()
    return int(delivery_id), sorted(ids)


def _build(
    job: ImportJob,
    account: Account,
    entries: list[ArchiveEntry],
    delivery_id: int,
    ids: list[int],
    now: datetime,
) -> Ahead:
    """The batch built as if all its items were new (the builder thread: no database)."""
    shas = [hashlib.sha256(entry.item.raw).hexdigest() for entry in entries]
    manifest = batch_manifest(job, entries, shas)
    fresh: dict[str, tuple[IncomingItem, str]] = {}
    for entry, sha in zip(entries, shas, strict=True):
        fresh.setdefault(entry.item.external_id, (entry.item, sha))
    prepared = batch_prepare(account, delivery_id, list(fresh.values()), ids, now, sqlite=False)
    return Ahead(shas, manifest, hashlib.sha256(manifest).hexdigest(), prepared)


def delivery_store_ahead(account: Account, ahead: Ahead) -> Delivery:
    """`inbox.services.delivery_store` of a batch's manifest under the id reserved for it,
    in one statement (a manifest stored already is returned as it is, and the batch then
    is not written as built ahead)."""
    delivery = Delivery(
        pk=ahead.prepared.delivery_id,
        organisation=account.organisation,
        platform=account.platform,
        source=DeliverySource.IMPORT,
        received_at=ahead.prepared.now,
        body=ahead.manifest,
        sha256=ahead.manifest_sha,
        content_type="application/json",
        headers={},
    )
    if insert_unless_stored(delivery):
        return delivery
    return Delivery.objects.get(
        organisation_id=account.organisation_id,
        platform=account.platform,
        sha256=ahead.manifest_sha,
    )


def insert_unless_stored(delivery: Delivery) -> bool:
    """INSERT the delivery unless one with the same body is stored (False then), with its
    values as bound parameters: the manifest (hundreds of KB) is neither escaped here nor
    scanned as a literal by the server, as through Django's cursor, which binds on the
    client."""
    fields = Delivery._meta.concrete_fields
    table = connection.ops.quote_name(Delivery._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [
        field.get_db_prep_save(getattr(delivery, field.attname), connection) for field in fields
    ]
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        " ON CONFLICT (organisation_id, platform, sha256) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with psycopg.Cursor(cursor.connection) as bound:
            bound.execute(sql, values)
            inserted = bound.fetchone() is not None
    if inserted:
        delivery._state.adding, delivery._state.db = False, connection.alias
    return inserted
