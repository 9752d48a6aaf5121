"""Processing a received item exactly once, however often it is enqueued.

The item's processing row is claimed and finished in one transaction: a
worker killed half-way leaves nothing behind, and the sweep enqueues the
item again. A second run finds the row finished and does nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kanalvakt.inbox.models import Item, ItemProcessing


def item_process_once(*, item_id: int) -> bool:
    """Process the item unless already done. Returns True when this call did the work."""
    with transaction.atomic():
        item = Item.objects.select_related("account", "organisation").get(pk=item_id)
        processing, _ = ItemProcessing.objects.get_or_create(item=item)
        processing = ItemProcessing.objects.select_for_update().get(pk=processing.pk)
        if processing.processed_at is not None:
            return False
        for step in sorted(PROCESSING_STEPS):
            step.run(item)
        processing.processed_at = timezone.now()
        processing.attempts += 1
        processing.save(update_fields=["processed_at", "attempts"])
        return True


def unprocessed_item_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Items received a while ago and not processed: the sweep enqueues them again."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Item.objects.filter(received_at__lt=cutoff)
        .exclude(processing__processed_at__isnull=False)
        .values_list("pk", flat=True)[:1000]
    )


@dataclass(frozen=True, order=True)
class ProcessingStep:
    """One app's part of processing an item, run inside the processing transaction.

    Conventional orders: 100 screening (moderation), 200 intent and 300 clock
    and routing (inbox), 400 registration rules (records), 500 escalations.
    A step must be safe to run again after a rollback (it only writes through
    services inside the same transaction).
    """

    order: int
    name: str
    run: Callable[[Item], None] = field(compare=False)


PROCESSING_STEPS: list[ProcessingStep] = []


def processing_step(
    order: int, name: str
) -> Callable[[Callable[[Item], None]], Callable[[Item], None]]:
    """Register a function as a processing step (call from `AppConfig.ready`)."""

    def register(function: Callable[[Item], None]) -> Callable[[Item], None]:
        if all(step.name != name for step in PROCESSING_STEPS):
            PROCESSING_STEPS.append(ProcessingStep(order, name, function))
        return function

    return register
