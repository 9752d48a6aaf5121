"""A batch of an import committed: its items, the job's counts and position, its tasks.

Whatever wrote the batch's items (`importing`'s per-item and built-ahead paths,
or a batch built by the reading process, `readystore`), the rest of the batch's
one transaction is the same: the job's counts and position move with it (a
crash before the commit leaves both as they were, for `--resume`), and the
processing of its new items is queued in it, as one task per `ingest.BATCH`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from kanalvakt.inbox.batches import Stored
from kanalvakt.inbox.bulk import task_rows_insert
from kanalvakt.inbox.ingest import BATCH, processing_enqueue, retry_when_locked
from kanalvakt.intake.models import ImportJob


def batch_commit(job: ImportJob, last_position: int, write: Callable[[], Stored]) -> bool:
    """`write` the batch, the job's counts and position and the batch's processing tasks in
    one transaction (tried again while the database is busy); True when every item of the
    batch was new."""
    all_new = False

    def store() -> None:
        nonlocal all_new
        with transaction.atomic():
            stored = write()
            job.new_count += len(stored.created)
            job.known_count += stored.known
            job.edited_count += stored.edited
            job.deleted_count += stored.deleted
            job.position = last_position
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
            processing_queue(stored.created)
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


def processing_queue(item_ids: list[int]) -> None:
    """Queue the processing of the batch's new items in the batch's own transaction (one
    task row per `ingest.BATCH` items on the database task backend, all in one
    statement), so no stored item waits for a task that a crash after the commit never
    queued. Other task backends are queued after the commit."""
    from kanalvakt.inbox.tasks import items_process_batch

    chunks = [[item_ids[start : start + BATCH]] for start in range(0, len(item_ids), BATCH)]
    if chunks and not task_rows_insert(items_process_batch, chunks):
        transaction.on_commit(lambda: processing_enqueue(item_ids))
