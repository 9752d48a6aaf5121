"""Background work on received items. Tasks load by id and call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def item_process(item_id: int) -> None:
    """Screen, route and start the response clock of a newly received item."""
    from kanalvakt.inbox.processing import item_process_once

    item_process_once(item_id=item_id)


@task()
def delivery_ingest_task(delivery_id: int) -> int:
    """Cut a stored delivery into items, batch by batch; returns how many were new."""
    from kanalvakt.inbox.ingest import delivery_ingest

    return delivery_ingest(delivery_id=delivery_id).stored


@task()
def items_process_batch(item_ids: list[int]) -> int:
    """Screen, route and start the response clocks of a batch of new items."""
    from kanalvakt.inbox.ingest import retry_when_locked
    from kanalvakt.inbox.processing import items_process

    return retry_when_locked(lambda: items_process(item_ids=item_ids))


@task()
def items_sweep_unprocessed() -> None:
    """Enqueue again every delivery and item whose reading or processing was lost.

    A worker killed with SIGKILL leaves its task marked running for ever; the
    sweep finds the delivery still unread, or the item still unprocessed, a
    minute later and queues it again. Claims make a second run harmless.
    """
    from kanalvakt.inbox.processing import unprocessed_item_ids
    from kanalvakt.inbox.sweep import unread_delivery_ids

    for delivery_id in unread_delivery_ids():
        delivery_ingest_task.enqueue(delivery_id)
    item_ids = unprocessed_item_ids(limit=5000)
    for start in range(0, len(item_ids), 500):
        items_process_batch.enqueue(item_ids[start : start + 500])


@task()
def inbox_sweep() -> None:
    """Warn before response times pass and escalate after."""
    from kanalvakt.inbox.services import entries_sweep

    entries_sweep()


@task()
def demo_traffic() -> None:
    """Ingest a few realistic messages into the demo organisations (only when enabled)."""
    from django.conf import settings

    if not settings.DEMO_TRAFFIC:
        return
    from kanalvakt.demo.traffic import demo_traffic_generate

    demo_traffic_generate(count=3)
