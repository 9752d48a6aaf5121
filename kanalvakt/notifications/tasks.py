from __future__ import annotations

from django.tasks import task


@task()
def notifications_digest() -> None:
    """Mail the daily digest to those who chose it."""
    from kanalvakt.notifications.services import notifications_digest_send

    notifications_digest_send()
