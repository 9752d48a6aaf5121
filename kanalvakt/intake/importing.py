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
import os
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from django.db import connection, transaction
from django.utils import timezone

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.archives import ArchiveEntry
from kanalvakt.connectors.base import PayloadError
from kanalvakt.inbox.batches import Stored
from kanalvakt.inbox.models import DeliverySource, Item, ItemProcessing
from kanalvakt.inbox.services import delivery_store
from kanalvakt.intake.ahead import (
    Ahead,
    batch_manifest,
    batches_built_ahead,
    delivery_store_ahead,
    lz4_toast,
    reserve,
)
from kanalvakt.intake.archive_files import packed_archive_problem
from kanalvakt.intake.bulkstore import ITEM_COLUMNS, import_batch_store
from kanalvakt.intake.committing import batch_commit
from kanalvakt.intake.copying import column_oids
from kanalvakt.intake.events import IntakeEvent
from kanalvakt.intake.models import ImportJob, ImportState
from kanalvakt.intake.readahead import batches_ahead
from kanalvakt.intake.readers import FORMATS as FORMATS
from kanalvakt.intake.readers import CountingReader, reader_for, reader_kind, reader_names
from kanalvakt.intake.readers import ImportFailed as ImportFailed
from kanalvakt.intake.readers import Reader as Reader
from kanalvakt.intake.reading import Built, ReadingFailed, ReadingProcess, Setup
from kanalvakt.intake.readystore import NotAsBuilt, built_batch_write
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account

FINGERPRINT_BYTES = 1024 * 1024
DEFAULT_BATCH = 2000
READ_ERRORS = (PayloadError, ValueError, UnicodeError)
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_CHECKPOINT_PAGES = 16384
PROCESS_MIN_BYTES = 16 * 1024 * 1024
"""Files from this size on (about 25,000 X tweets) are read by a second process on PostgreSQL."""


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
    it); a KeyboardInterrupt leaves the job `interrupted` for `--resume`. A large
    file on PostgreSQL is read and built by a second process (`reading`); otherwise,
    or from the first batch that process could not build as it is written, the
    next batches are read by a background thread while one is stored.
    """
    if connection.vendor == "sqlite":
        # The items table's indexes outgrow SQLite's default 2 MiB page cache within the
        # first 100,000 items of a large import; this connection may keep more of them.
        # A batch writes several MiB: checkpoint the WAL every 64 MiB rather than every
        # 4 MiB (the default), so not after every batch. In WAL mode with
        # synchronous=NORMAL a commit survives the process being killed either way.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
    bytes_read = [0]
    try:
        done = reading_process_fits(job, path) and _run_with_process(
            job, path, batch_size, on_progress, bytes_read
        )
        if not done:
            _run_in_process(job, path, batch_size, on_progress, bytes_read)
    except READ_ERRORS as exc:
        message = (
            f"{path}: fel vid post nr {_n(job.position + 2)} "
            f"(omkring byte {_n(bytes_read[0])} av {_n(job.file_size)}): {exc}. "
            f"De {_n(job.position + 1)} posterna före felet är sparade."
        )
        _finish(job, ImportState.FAILED, error=message)
        raise ImportFailed(message) from exc
    except ReadingFailed as exc:
        message = (
            f"{path}: läsningen avbröts vid post nr {_n(job.position + 2)}: {exc}. "
            f"De {_n(job.position + 1)} posterna före är sparade; fortsätt med --resume."
        )
        _finish(job, ImportState.FAILED, error=message)
        raise ImportFailed(message) from exc
    except BaseException:
        _finish(job, ImportState.INTERRUPTED, error="avbruten")
        raise
    _finish(job, ImportState.FINISHED)
    return job


def reading_process_fits(job: ImportJob, path: Path) -> bool:
    """Whether to read in a second process: on PostgreSQL (whose ids can be taken ahead),
    with a second core, for a file large enough to repay the process's start (about a
    second)."""
    affinity = getattr(os, "sched_getaffinity", None)  # Linux: the cores this process may use
    cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return connection.vendor == "postgresql" and cores > 1 and job.file_size >= PROCESS_MIN_BYTES


def _run_with_process(
    job: ImportJob,
    path: Path,
    batch_size: int,
    on_progress: Callable[[Progress], None] | None,
    bytes_read: list[int],
) -> bool:
    """Store the batches the reading process builds; False when one could not be written
    as built (nothing of it is stored: the caller reads on from it), True when done."""
    setup = Setup(
        path=str(path),
        kind=job.reader,
        start=job.position + 1,
        batch_size=batch_size,
        names=reader_names(job.account),
        account_pk=job.account.pk,
        organisation_id=job.account.organisation_id,
        platform=job.account.platform,
        job_pk=job.pk,
        file_name=job.file_name,
        file_fingerprint=job.file_fingerprint,
        item_oids=column_oids(Item, ITEM_COLUMNS),
        processing_oids=column_oids(ItemProcessing, ("item_id", "attempts")),
    )
    all_new = False
    with lz4_toast(), closing(ReadingProcess(setup, reserve)) as reading:
        for built in reading.batches():
            bytes_read[0] = built.bytes_read
            if built.count:
                try:
                    all_new = _store_built(job, built, expect_new=all_new)
                except NotAsBuilt:
                    return False
            if built.error is not None:
                raise built.error
            if on_progress is not None:
                on_progress(Progress(job, built.bytes_read))
    return True


def _store_built(job: ImportJob, built: Built, *, expect_new: bool) -> bool:
    """One batch built by the reading process, in one transaction (see `_store_batch`)."""

    def write() -> Stored:
        return built_batch_write(account=job.account, built=built, expect_new=expect_new)

    return batch_commit(job, built.last_position, write)


def _run_in_process(
    job: ImportJob,
    path: Path,
    batch_size: int,
    on_progress: Callable[[Progress], None] | None,
    bytes_read: list[int],
) -> None:
    reader = reader_for(job.reader, job.account)
    with path.open("rb", buffering=1024 * 1024) as raw:
        stream = CountingReader(raw)
        source = entries(reader, cast(IO[bytes], stream), job.position + 1)
        all_new = False
        with (
            closing(batches_ahead(source, size=batch_size, counter=stream)) as read,
            closing(batches_built_ahead(read, job=job)) as batches,
        ):
            for batch, ahead in batches:
                bytes_read[0] = batch.bytes_read
                if batch.error is not None and not isinstance(batch.error, READ_ERRORS):
                    raise batch.error  # an interrupt: the partial batch is not stored
                if batch.entries:
                    all_new = _store_batch(job, batch.entries, expect_new=all_new, ahead=ahead)
                if batch.error is not None:
                    raise batch.error
                if on_progress is not None:
                    on_progress(Progress(job, bytes_read[0]))


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

    def write() -> Stored:
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
        return import_batch_store(
            delivery=delivery,
            account=account,
            items=items,
            shas=shas,
            expect_new=expect_new,
            prepared=ahead.prepared if ahead is not None else None,
        )

    return batch_commit(job, batch[-1].position, write)


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
