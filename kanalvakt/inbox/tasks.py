"""Background work on received items. Tasks load by id and call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def item_process(item_id: int) -> None:
    """Screen, route and start the response clock of a newly received item."""
    from kanalvakt.inbox.processing import item_process_once

    item_process_once(item_id=item_id)


@task()
def items_sweep_unprocessed() -> None:
    """Enqueue again every item whose processing was lost (e.g. a killed worker)."""
    from kanalvakt.inbox.processing import unprocessed_item_ids

    for item_id in unprocessed_item_ids():
        item_process.enqueue(item_id)


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
