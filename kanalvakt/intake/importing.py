"""Importing an account's export archive: streamed, in batches, resumable.

The connectors' archive readers yield one entry at a time with a position
that is the same on every run. Each batch is stored in one transaction: one
Delivery (source=import) holding the batch's manifest, the batch's items, and
the job's new position. A killed import therefore resumes
after the last stored batch, and bad input stops the import with an error
naming the file and the position while everything before it stays stored.
New items are written in one statement per batch (COPY on PostgreSQL,
executemany on SQLite) with one chained audit event per batch, and their
processing is queued as one task per batch (`kanalvakt.inbox.ingest`). On
PostgreSQL the next batch is built while this one is written (`ahead`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from django.db import connection, transaction
from django.utils import timezone

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.archives import (
    ArchiveEntry,
    read_bluesky_car,
    read_facebook_comments,
    read_facebook_posts,
    read_instagram_comments,
    read_meta_messages,
    read_x_direct_messages,
    read_x_tweets,
)
from kanalvakt.connectors.base import PayloadError
from kanalvakt.inbox.bulk import task_row_insert
from kanalvakt.inbox.ingest import BATCH, processing_enqueue, retry_when_locked
from kanalvakt.inbox.models import DeliverySource
from kanalvakt.inbox.services import delivery_store
from kanalvakt.intake.ahead import (
    Ahead,
    batch_manifest,
    batches_built_ahead,
    delivery_store_ahead,
)
from kanalvakt.intake.archive_files import packed_archive_problem
from kanalvakt.intake.bulkstore import import_batch_store
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import AccountConnection, ImportJob, ImportState
from kanalvakt.intake.readahead import batches_ahead
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account

FORMATS = ("x", "bluesky", "facebook", "instagram")
FINGERPRINT_BYTES = 1024 * 1024
DEFAULT_BATCH = 2000
READ_ERRORS = (PayloadError, ValueError, UnicodeError)
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_CHECKPOINT_PAGES = 16384

Reader = Callable[[IO[bytes], int], Iterator[ArchiveEntry]]


class ImportFailed(Exception):
    """The import cannot start or go on; the message says why, naming the file."""


class CountingReader:
    """A binary stream that counts the bytes read, for the progress bar and error positions."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._raw.read(size)
        self.bytes_read += len(data)
        return data


def reader_kind(format: str, path: Path) -> str:
    """Which reader a file needs, from the format and the file's name in the export."""
    name = path.name.lower()
    messages = re.search(r"message_\d+\.json$", name) is not None
    if format == "x":
        return "x-direct-messages" if "direct-message" in name else "x-tweets"
    if format == "bluesky":
        return "bluesky-car"
    if format == "facebook":
        if messages:
            return "facebook-messages"
        return "facebook-comments" if "comment" in name else "facebook-posts"
    if format == "instagram":
        return "instagram-messages" if messages else "instagram-comments"
    raise ImportFailed(f"okänt format {format!r}; välj ett av {', '.join(FORMATS)}")


def reader_for(kind: str, account: Account) -> Reader:
    connection = AccountConnection.objects.filter(account=account).first()
    account_id = (connection.external_id if connection else "") or account.external_id
    handle = account.handle
    readers: dict[str, Reader] = {
        "x-tweets": lambda s, start: read_x_tweets(
            s, account_id=account_id, handle=handle, start=start
        ),
        "x-direct-messages": lambda s, start: read_x_direct_messages(
            s, account_id=account_id, start=start
        ),
        "bluesky-car": lambda s, start: read_bluesky_car(s, start=start),
        "facebook-comments": lambda s, start: read_facebook_comments(
            s, account_id=account_id, start=start
        ),
        "facebook-posts": lambda s, start: read_facebook_posts(
            s, account_id=account_id, start=start
        ),
        "facebook-messages": lambda s, start: read_meta_messages(
            s, platform="facebook", account_name=account.display_name, start=start
        ),
        "instagram-comments": lambda s, start: read_instagram_comments(
            s, account_id=account_id, handle=handle, start=start
        ),
        "instagram-messages": lambda s, start: read_meta_messages(
            s, platform="instagram", account_name=account.display_name, start=start
        ),
    }
    return readers[kind]


def entries(reader: Reader, stream: IO[bytes], start: int) -> Iterator[ArchiveEntry]:
    """The reader's entries from `start` (a seam for tests that stop an import part-way)."""
    return reader(stream, start)


def file_fingerprint(path: Path) -> tuple[int, str]:
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode() + b"\0")
    with path.open("rb") as stream:
        digest.update(stream.read(FINGERPRINT_BYTES))
    return size, digest.hexdigest()


@transaction.atomic
def import_job_start(
    *,
    actor: User | None,
    account: Account,
    format: str,
    path: Path,
    resume: bool = False,
) -> ImportJob:
    """Start an import of `path` into `account`, or resume the last unfinished one of that file."""
    if format not in FORMATS:
        raise ImportFailed(f"okänt format {format!r}; välj ett av {', '.join(FORMATS)}")
    if account.platform != format:
        raise ImportFailed(
            f"{path}: ett {format}-arkiv kan inte importeras till ett "
            f"{account.get_platform_display()}-konto ({account})"
        )
    if not path.is_file():
        raise ImportFailed(f"{path}: filen finns inte")
    if problem := packed_archive_problem(path, format):
        raise ImportFailed(problem)
    kind = reader_kind(format, path)
    size, fingerprint = file_fingerprint(path)
    now = timezone.now()
    if resume:
        job = (
            ImportJob.objects.select_for_update()
            .filter(account=account, reader=kind, file_fingerprint=fingerprint)
            .exclude(state=ImportState.FINISHED)
            .order_by("-started_at", "-pk")
            .first()
        )
        if job is None:
            raise ImportFailed(f"{path}: det finns ingen avbruten import av filen att återuppta")
        job.state = ImportState.RUNNING
        job.error = ""
        job.updated_at = now
        job.save(update_fields=["state", "error", "updated_at"])
        audit_record(
            actor=actor,
            organisation=account.organisation,
            event_type=IntakeEvent.IMPORT_RESUMED,
            target=job,
            data={"file": path.name, "after_position": job.position},
        )
        return job
    job = ImportJob(
        organisation=account.organisation,
        account=account,
        format=format,
        reader=kind,
        file_name=path.name[:500],
        file_size=size,
        file_fingerprint=fingerprint,
        started_by=actor,
        started_at=now,
        updated_at=now,
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=IntakeEvent.IMPORT_STARTED,
        target=job,
        data={"file": path.name, "size": size, "reader": kind},
    )
    return job


@dataclass(frozen=True)
class Progress:
    job: ImportJob
    bytes_read: int


def import_run(
    *,
    job: ImportJob,
    path: Path,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[Progress], None] | None = None,
) -> ImportJob:
    """Read `path` from after the job's position and store it batch by batch.

    Raises ImportFailed for bad input (after storing every entry read before
    it); a KeyboardInterrupt leaves the job `interrupted` for `--resume`. The
    next batches are read by a background thread while one is stored.
    """
    reader = reader_for(job.reader, job.account)
    if connection.vendor == "sqlite":
        # The items table's indexes outgrow SQLite's default 2 MiB page cache within the
        # first 100,000 items of a large import; this connection may keep more of them.
        # A batch writes several MiB: checkpoint the WAL every 64 MiB rather than every
        # 4 MiB (the default), so not after every batch. In WAL mode with
        # synchronous=NORMAL a commit survives the process being killed either way.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
    with path.open("rb", buffering=1024 * 1024) as raw:
        stream = CountingReader(raw)
        source = entries(reader, cast(IO[bytes], stream), job.position + 1)
        bytes_read = 0
        all_new = False
        with (
            closing(batches_ahead(source, size=batch_size, counter=stream)) as read,
            closing(batches_built_ahead(read, job=job)) as batches,
        ):
            try:
                for batch, ahead in batches:
                    bytes_read = batch.bytes_read
                    if batch.error is not None and not isinstance(batch.error, READ_ERRORS):
                        raise batch.error  # an interrupt: the partial batch is not stored
                    if batch.entries:
                        all_new = _store_batch(job, batch.entries, expect_new=all_new, ahead=ahead)
                    if batch.error is not None:
                        raise batch.error
                    if on_progress is not None:
                        on_progress(Progress(job, bytes_read))
            except READ_ERRORS as exc:
                message = (
                    f"{path}: fel vid post nr {_n(job.position + 2)} "
                    f"(omkring byte {_n(bytes_read)} av {_n(job.file_size)}): {exc}. "
                    f"De {_n(job.position + 1)} posterna före felet är sparade."
                )
                _finish(job, ImportState.FAILED, error=message)
                raise ImportFailed(message) from exc
            except BaseException:
                _finish(job, ImportState.INTERRUPTED, error="avbruten")
                raise
    _finish(job, ImportState.FINISHED)
    return job


def _store_batch(
    job: ImportJob,
    batch: list[ArchiveEntry],
    *,
    expect_new: bool = False,
    ahead: Ahead | None = None,
) -> bool:
    """One transaction: the batch's manifest delivery, its new items in one go (COPY on
    PostgreSQL, executemany on SQLite) with one chained audit event, the job's position,
    and the processing of the batch's new items queued by the batch, not by the item.
    `ahead` is the batch built ahead (`ahead.batches_built_ahead`), when it was.

    True when every item of the batch was new: then the next batch is written without
    looking its ids up first (`import_batch_store`'s `expect_new`)."""
    account = job.account
    items = [entry.item for entry in batch]
    if ahead is not None:
        shas = ahead.shas
    else:
        shas = [hashlib.sha256(item.raw).hexdigest() for item in items]

    all_new = False

    def store() -> None:
        nonlocal all_new
        with transaction.atomic():
            if ahead is not None:
                delivery = delivery_store_ahead(account, ahead)
            else:
                delivery = delivery_store(
                    organisation=account.organisation,
                    platform=account.platform,
                    source=DeliverySource.IMPORT,
                    body=batch_manifest(job, batch, shas),
                    content_type="application/json",
                ).delivery
            stored = import_batch_store(
                delivery=delivery,
                account=account,
                items=items,
                shas=shas,
                expect_new=expect_new,
                prepared=ahead.prepared if ahead is not None else None,
            )
            job.new_count += len(stored.created)
            job.known_count += stored.known
            job.edited_count += stored.edited
            job.deleted_count += stored.deleted
            job.position = batch[-1].position
            job.updated_at = timezone.now()
            job.save(
                update_fields=[
                    "position",
                    "new_count",
                    "known_count",
                    "edited_count",
                    "deleted_count",
                    "updated_at",
                ]
            )
            _processing_queue(stored.created)
            all_new = stored.known == stored.edited == stored.deleted == 0

    counts = (job.new_count, job.known_count, job.edited_count, job.deleted_count, job.position)
    try:
        retry_when_locked(store)
    except BaseException:
        # The transaction rolled back: so do the counts kept on the job object.
        (job.new_count, job.known_count, job.edited_count, job.deleted_count) = counts[:4]
        job.position = counts[4]
        raise
    return all_new


def _processing_queue(item_ids: list[int]) -> None:
    """Queue the processing of the batch's new items in the batch's own transaction (one
    task row per `ingest.BATCH` items on the database task backend), so no stored item
    waits for a task that a crash after the commit never queued. Other task backends
    are queued after the commit."""
    from kanalvakt.inbox.tasks import items_process_batch

    for start in range(0, len(item_ids), BATCH):
        if not task_row_insert(items_process_batch, [item_ids[start : start + BATCH]]):
            transaction.on_commit(lambda: processing_enqueue(item_ids))
            return


def _finish(job: ImportJob, state: ImportState, *, error: str = "") -> None:
    now = timezone.now()
    with transaction.atomic():
        job.state = state
        job.error = error
        job.updated_at = now
        job.finished_at = now if state == ImportState.FINISHED else None
        job.save(update_fields=["state", "error", "updated_at", "finished_at"])
        if state == ImportState.INTERRUPTED:
            return
        audit_record(
            actor=job.started_by,
            organisation=job.organisation,
            event_type=IntakeEvent.IMPORT_FINISHED
            if state == ImportState.FINISHED
            else IntakeEvent.IMPORT_FAILED,
            target=job,
            data={
                "position": job.position,
                "new": job.new_count,
                "known": job.known_count,
                "edited": job.edited_count,
                "deleted": job.deleted_count,
                "error": error,
            },
        )


def _n(number: int) -> str:
    return f"{number:_}".replace("_", "\u00a0")
