"""A worker process for the SIGKILL test (run as `python -m … <command> <count>`).

Commands, each in a fresh process on the database the test prepared (a file
SQLite database in KANALVAKT_VAR_DIR, or PostgreSQL through DATABASE_URL):

* `work`     – process every unprocessed item with `item_process_once`; with
  PAUSE_ON=<external id> it writes PAUSED_FILE inside that item's processing
  transaction and then sleeps, waiting to be killed;
* `ingest`   – cut every unread delivery into items with `delivery_ingest` (batches
  of 25), then process the pending items with `items_process` (batches of 50);
  with PAUSE_AT_BATCH=<n> it writes PAUSED_FILE inside the n-th ingest batch's
  transaction (its items written, not committed), with PAUSE_ON=<external id>
  inside the processing batch holding that item, and then sleeps, waiting to
  be killed;
and prints what was stored before and after its work, as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
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
    elif command == "ingest":
        before = ingest_report()
        ingest()
        sys.stdout.write(json.dumps({"before": before, "after": ingest_report()}) + "\n")


def ingest() -> None:
    from kanalvakt.inbox import ingest as module
    from kanalvakt.inbox.models import DeliveryIngest, ItemProcessing
    from kanalvakt.inbox.processing import items_process

    pause_at = int(os.environ.get("PAUSE_AT_BATCH", "0"))
    paused_file = Path(os.environ.get("PAUSED_FILE", "/nonexistent"))
    store = module.items_store
    batches = 0

    def pausing_store(**kwargs: object) -> list[int]:
        nonlocal batches
        created = store(**kwargs)  # type: ignore[arg-type]
        batches += 1
        if batches == pause_at:
            paused_file.write_text(str(len(created)))
            time.sleep(60)
        return created

    pause_on = os.environ.get("PAUSE_ON", "")
    if pause_on:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_step

        @processing_step(order=999, name="test.pause")
        def pause(item: Item) -> None:
            if item.external_id == pause_on:
                paused_file.write_text(str(item.pk))
                time.sleep(60)

    module.items_store = pausing_store
    module._enqueue_batch = lambda item_ids: None
    for delivery_id in DeliveryIngest.objects.filter(done_at__isnull=True).values_list(
        "delivery_id", flat=True
    ):
        module.delivery_ingest(delivery_id=delivery_id, batch_size=25)
    if os.environ.get("INGEST_ONLY"):
        return
    pending = list(
        ItemProcessing.objects.filter(processed_at__isnull=True)
        .order_by("item_id")
        .values_list("item_id", flat=True)
    )
    for start in range(0, len(pending), 50):
        items_process(item_ids=pending[start : start + 50])


def ingest_report() -> dict[str, object]:
    from django.db.models import Count, Sum

    from kanalvakt.audit.models import AuditEvent
    from kanalvakt.audit.services import audit_verify_chain
    from kanalvakt.inbox.batches import items_received_verify
    from kanalvakt.inbox.models import DeliveryIngest, InboxEntry, Item, ItemProcessing

    batches = AuditEvent.objects.filter(event_type="items.received")
    return {
        "items": Item.objects.count(),
        "distinct": Item.objects.values("external_id").distinct().count(),
        "deliveries_done": DeliveryIngest.objects.filter(done_at__isnull=False).count(),
        "positions": DeliveryIngest.objects.aggregate(n=Sum("position"))["n"],
        "batch_items": sum(event.data["count"] for event in batches),
        "batches_verify": all(items_received_verify(event.data) == [] for event in batches),
        "chain_intact": audit_verify_chain().intact,
        "processed": ItemProcessing.objects.filter(processed_at__isnull=False).count(),
        "attempts": sorted(set(ItemProcessing.objects.values_list("attempts", flat=True))),
        "entries_per_item": sorted(
            {row["n"] for row in InboxEntry.objects.values("item").annotate(n=Count("id"))}
        ),
        "entries": InboxEntry.objects.count(),
    }


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
    from kanalvakt.inbox.models import InboxEntry, Item, ItemProcessing

    return {
        "items": Item.objects.count(),
        "processed": ItemProcessing.objects.filter(processed_at__isnull=False).count(),
        "attempts": sorted(set(ItemProcessing.objects.values_list("attempts", flat=True))),
        "entries": InboxEntry.objects.count(),
        "items_with_entry": InboxEntry.objects.values("item").distinct().count(),
        "entry_items": sorted(InboxEntry.objects.values_list("item__external_id", flat=True)),
        "opened_events_per_item": sorted(set(_opened_per_item().values())),
        "items_in_opened_events": len(_opened_per_item()),
    }


def _opened_per_item() -> dict[int, int]:
    """How many `inbox_entry.opened` events (each lists a batch's entries) name each item."""
    from kanalvakt.audit.models import AuditEvent

    counts: Counter[int] = Counter()
    for data in AuditEvent.objects.filter(event_type="inbox_entry.opened").values_list(
        "data", flat=True
    ):
        counts.update(int(facts["item"]) for facts in data["entries"].values())
    return dict(counts)


if __name__ == "__main__":
    main()
