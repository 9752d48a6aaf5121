"""A worker process for the SIGKILL test (run as `python -m … <command> <count>`).

Commands, each in a fresh process on the database the test prepared (a file
SQLite database in KANALVAKT_VAR_DIR, or PostgreSQL through DATABASE_URL):

* `work`     – process every unprocessed item with `item_process_once`; with
  PAUSE_ON=<external id> it writes PAUSED_FILE inside that item's processing
  transaction and then sleeps, waiting to be killed;
and prints what was stored before and after its work, as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    command = sys.argv[1]
    if command == "work":
        before = report()
        work()
        sys.stdout.write(json.dumps({"before": before, "after": report()}) + "\n")


def work() -> None:
    from kanalvakt.inbox.models import Item
    from kanalvakt.inbox.processing import item_process_once, processing_step

    pause_on = os.environ.get("PAUSE_ON", "")
    paused_file = Path(os.environ.get("PAUSED_FILE", "/nonexistent"))

    @processing_step(order=999, name="test.pause")
    def pause(item: Item) -> None:
        if item.external_id == pause_on:
            paused_file.write_text(str(item.pk))
            time.sleep(60)

    for item_id in (
        Item.objects.exclude(processing__processed_at__isnull=False)
        .values_list("pk", flat=True)
        .order_by("pk")
    ):
        item_process_once(item_id=item_id)


def report() -> dict[str, object]:
    from django.db.models import Count

    from kanalvakt.audit.models import AuditEvent
    from kanalvakt.inbox.models import InboxEntry, Item, ItemProcessing

    return {
        "items": Item.objects.count(),
        "processed": ItemProcessing.objects.filter(processed_at__isnull=False).count(),
        "attempts": sorted(set(ItemProcessing.objects.values_list("attempts", flat=True))),
        "entries": InboxEntry.objects.count(),
        "items_with_entry": InboxEntry.objects.values("item").distinct().count(),
        "entry_items": sorted(InboxEntry.objects.values_list("item__external_id", flat=True)),
        "opened_events_per_item": sorted(
            {
                row["n"]
                for row in AuditEvent.objects.filter(event_type="inbox_entry.opened")
                .values("target_id")
                .annotate(n=Count("id"))
            }
        ),
    }


if __name__ == "__main__":
    main()
