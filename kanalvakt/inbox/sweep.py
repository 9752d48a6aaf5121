"""What the sweep finds left behind by a killed worker."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kanalvakt.inbox.models import DeliveryIngest


def unread_delivery_ids(*, older_than_seconds: int = 60, limit: int = 1000) -> list[int]:
    """Deliveries stored a while ago and not yet (wholly) cut into items."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        DeliveryIngest.objects.filter(done_at__isnull=True, delivery__received_at__lt=cutoff)
        .order_by("delivery_id")
        .values_list("delivery_id", flat=True)[:limit]
    )
