"""Processes for the several-workers test (run as `python -m … <command>`).

* `enqueue <batch> <overlap>` – queue the processing of every pending item in
  the django-tasks-db queue: tasks of `batch` ids, and every id a second time
  in tasks shifted by `overlap` (as the sweep would), so workers race for items;
* `work <log file>` – the real `db_worker` in batch mode (it exits when the
  queue is empty), with the processing steps replaced by one that appends the
  item's id to the log file: the test is about claims, not about the steps.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import django

    django.setup()
    command, *args = sys.argv[1:]
    if command == "enqueue":
        enqueue(int(args[0]), int(args[1]))
    elif command == "work":
        work(Path(args[0]))


def enqueue(batch: int, overlap: int) -> None:
    from kanalvakt.inbox.models import ItemProcessing
    from kanalvakt.inbox.tasks import items_process_batch

    ids = list(
        ItemProcessing.objects.filter(processed_at__isnull=True)
        .order_by("item_id")
        .values_list("item_id", flat=True)
    )
    for start in range(0, len(ids), batch):
        items_process_batch.enqueue(ids[start : start + batch])
        items_process_batch.enqueue(ids[start + overlap : start + overlap + batch])


def work(log: Path) -> None:
    from django.core.management import call_command

    from kanalvakt.inbox.models import Item
    from kanalvakt.inbox.processing import PROCESSING_STEPS, ProcessingStep

    def record(item: Item) -> None:
        with log.open("a") as handle:
            handle.write(f"{item.pk}\n")

    PROCESSING_STEPS[:] = [ProcessingStep(1, "test.record", record)]
    call_command("db_worker", batch=True, interval=0.05, startup_delay=False, verbosity=0)


if __name__ == "__main__":
    main()
