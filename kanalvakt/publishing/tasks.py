"""Background publishing. Tasks load by id and call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def posts_publish_due() -> None:
    """Publish the scheduled posts whose time has come."""
    from kanalvakt.publishing.publish import posts_publish_due as publish_due

    publish_due()
